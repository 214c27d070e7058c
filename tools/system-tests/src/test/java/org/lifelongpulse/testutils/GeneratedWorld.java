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
 * A generated world sent to Kafka under topics of its own (a unique prefix), with the ground truth
 * the generator computed from its own bookkeeping.
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
            Delivery.Result result = new Delivery(0, line -> {}).send(world.messages(), sink);
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
    public static Paced sendPaced(
            String bootstrap, WorldParameters parameters, double rate, Topic... topics) {
        return sendPaced(
                bootstrap,
                parameters,
                rate,
                java.util.concurrent.CompletableFuture.completedFuture(null),
                topics);
    }

    /**
     * As {@link #sendPaced(String, WorldParameters, double, Topic...)}, but the topics are created
     * at once and the sending waits for {@code start}.
     */
    public static Paced sendPaced(
            String bootstrap,
            WorldParameters parameters,
            double rate,
            java.util.concurrent.CompletableFuture<?> start,
            Topic... topics) {
        World world = Generator.build(parameters);
        JsonNode truth = GroundTruth.of(world).json();
        String prefix = "it-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        java.util.Set<Topic> wanted = java.util.Set.of(topics);
        java.util.List<org.lifelongpulse.generator.Message> messages =
                world.messages().stream().filter(m -> wanted.contains(m.topic())).toList();
        // The sink creates the topics in its constructor; sending then waits for the start.
        java.util.concurrent.CompletableFuture<Delivery.Result> sent =
                java.util.concurrent.CompletableFuture.supplyAsync(
                        () -> {
                            try (KafkaSink sink = new KafkaSink(bootstrap, prefix, parameters)) {
                                start.join();
                                return new Delivery(rate, line -> {}).send(messages, sink);
                            } catch (Exception e) {
                                throw new IllegalStateException("sending the world failed", e);
                            }
                        });
        return new Paced(new GeneratedWorld(world, truth, prefix), sent);
    }

    /**
     * A world whose messages of the given topics go to Kafka in two parts, on demand: the first
     * {@code fraction} of each topic's messages, then the rest (each part in the world's order).
     */
    public static Split split(
            String bootstrap, WorldParameters parameters, double fraction, Topic... topics) {
        World world = Generator.build(parameters);
        JsonNode truth = GroundTruth.of(world).json();
        String prefix = "it-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        java.util.Set<Topic> wanted = java.util.Set.of(topics);
        java.util.Map<Topic, Long> total =
                world.messages().stream()
                        .filter(m -> wanted.contains(m.topic()))
                        .collect(
                                java.util.stream.Collectors.groupingBy(
                                        org.lifelongpulse.generator.Message::topic,
                                        java.util.stream.Collectors.counting()));
        java.util.Map<Topic, Long> seen = new java.util.EnumMap<>(Topic.class);
        java.util.List<org.lifelongpulse.generator.Message> first = new java.util.ArrayList<>();
        java.util.List<org.lifelongpulse.generator.Message> second = new java.util.ArrayList<>();
        for (org.lifelongpulse.generator.Message m : world.messages()) {
            if (!wanted.contains(m.topic())) {
                continue;
            }
            long index = seen.merge(m.topic(), 1L, Long::sum) - 1;
            (index < (long) (total.get(m.topic()) * fraction) ? first : second).add(m);
        }
        return new Split(
                new GeneratedWorld(world, truth, prefix), bootstrap, parameters, first, second);
    }

    /** A world sent in two parts. */
    public record Split(
            GeneratedWorld world,
            String bootstrap,
            WorldParameters parameters,
            java.util.List<org.lifelongpulse.generator.Message> first,
            java.util.List<org.lifelongpulse.generator.Message> second) {

        public void sendFirstPart() throws Exception {
            send(first);
        }

        public void sendSecondPart() throws Exception {
            send(second);
        }

        /**
         * Sends every message of the world on these topics (which the split left out), e.g. the
         * fund side for a job that runs beside the split one.
         */
        public void sendAllOf(Topic... topics) throws Exception {
            java.util.Set<Topic> wanted = java.util.Set.of(topics);
            send(
                    world.world().messages().stream()
                            .filter(m -> wanted.contains(m.topic()))
                            .toList());
        }

        /** Distinct, valid, on-time activity events of the first part (a lower bound). */
        public long firstPartEvents() {
            return firstPartClean(Topic.LEARNING_ACTIVITY);
        }

        /** Messages of the first part on {@code topic} with no fault injected (a lower bound). */
        public long firstPartClean(Topic topic) {
            return first.stream()
                    .filter(
                            m ->
                                    m.topic() == topic
                                            && m.fault() == org.lifelongpulse.generator.Fault.NONE)
                    .count();
        }

        private void send(java.util.List<org.lifelongpulse.generator.Message> part)
                throws Exception {
            try (KafkaSink sink = new KafkaSink(bootstrap, world.prefix(), parameters)) {
                if (!new Delivery(0, line -> {}).send(part, sink).complete()) {
                    throw new IllegalStateException("a part of the world was not sent");
                }
            }
        }
    }

    /** A world being sent. */
    public record Paced(
            GeneratedWorld world, java.util.concurrent.CompletableFuture<Delivery.Result> sent) {}

    public String topic(Topic topic) {
        return KafkaSink.topicName(prefix, topic);
    }

    public JsonNode topicTruth(Topic topic) {
        return truth.path("topics").path(topic.topicName());
    }
}
