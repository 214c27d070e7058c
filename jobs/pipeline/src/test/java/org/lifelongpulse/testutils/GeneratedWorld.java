package org.lifelongpulse.testutils;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;
import org.lifelongpulse.contracts.Topic;
import org.lifelongpulse.generator.Delivery;
import org.lifelongpulse.generator.Generator;
import org.lifelongpulse.generator.GroundTruth;
import org.lifelongpulse.generator.KafkaSink;
import org.lifelongpulse.generator.World;
import org.lifelongpulse.generator.WorldParameters;

/**
 * A generated world sent to Kafka under topics of its own (a unique prefix), with the ground
 * truth the generator computed from its own bookkeeping.
 */
public record GeneratedWorld(World world, JsonNode truth, String prefix) {

    /** A small world: 1,500 learners, 12,000 activities, 40 institutions, visible fault rates. */
    public static WorldParameters small(long seed) {
        return WorldParameters.defaults(seed)
                .withLearners(1_500, 12_000)
                .withInstitutions(40)
                .withFaultRates(0.02, 0.04, 0.01, 0.01);
    }

    public static GeneratedWorld sendTo(String bootstrap, WorldParameters parameters)
            throws Exception {
        World world = Generator.build(parameters);
        JsonNode truth = GroundTruth.of(world).json();
        String prefix = "it-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        try (KafkaSink sink = new KafkaSink(bootstrap, prefix, parameters)) {
            Delivery.Result result = new Delivery(0, line -> { }).send(world.messages(), sink);
            if (!result.complete()) {
                throw new IllegalStateException("the world was not sent completely");
            }
        }
        return new GeneratedWorld(world, truth, prefix);
    }

    /**
     * Builds a world and starts sending the messages of the given topics at a steady rate in a
     * background thread; the returned world's {@link #sent()} completes when all are sent.
     */
    public static Paced sendPaced(String bootstrap, WorldParameters parameters, double rate,
            Topic... topics) {
        World world = Generator.build(parameters);
        JsonNode truth = GroundTruth.of(world).json();
        String prefix = "it-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        java.util.Set<Topic> wanted = java.util.Set.of(topics);
        java.util.List<org.lifelongpulse.generator.Message> messages = world.messages().stream()
                .filter(m -> wanted.contains(m.topic())).toList();
        java.util.concurrent.CompletableFuture<Delivery.Result> sent =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try (KafkaSink sink = new KafkaSink(bootstrap, prefix, parameters)) {
                        return new Delivery(rate, line -> { }).send(messages, sink);
                    } catch (Exception e) {
                        throw new IllegalStateException("sending the world failed", e);
                    }
                });
        return new Paced(new GeneratedWorld(world, truth, prefix), sent);
    }

    /** A world being sent. */
    public record Paced(GeneratedWorld world,
            java.util.concurrent.CompletableFuture<Delivery.Result> sent) {}

    public String topic(Topic topic) {
        return KafkaSink.topicName(prefix, topic);
    }

    public JsonNode topicTruth(Topic topic) {
        return truth.path("topics").path(topic.topicName());
    }
}
