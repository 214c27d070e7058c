package org.lifelongpulse.generator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lifelongpulse.contracts.Topic;
import org.lifelongpulse.contracts.Validation;
import org.lifelongpulse.contracts.WireFormat;
import org.lifelongpulse.stack.Endpoints;
import org.lifelongpulse.stack.testing.LocalStackExtension;

/**
 * A generated world sent to a real Kafka broker reads back as the manifest says: per topic the
 * valid messages, the duplicates among them and the malformed ones, decoded with the contracts.
 */
@ExtendWith(LocalStackExtension.class)
class KafkaDeliveryITCase {

    private static final Duration DEADLINE = Duration.ofMinutes(2);

    @Test
    void consumedMessagesMatchTheManifest(Endpoints endpoints) throws Exception {
        World world = Generator.build(SmallWorlds.small(11));
        JsonNode truth = GroundTruth.of(world).json();
        String prefix = "it-" + UUID.randomUUID() + ".";

        try (KafkaSink sink =
                new KafkaSink(endpoints.kafkaBootstrap(), prefix, world.parameters())) {
            Delivery.Result result = new Delivery(0, line -> {}).send(world.messages(), sink);
            assertThat(result.complete()).isTrue();
        }

        for (Topic topic :
                List.of(
                        Topic.LEARNING_ACTIVITY,
                        Topic.FUND_TRANSACTIONS,
                        Topic.INSTITUTIONS,
                        Topic.WALK_ROUTES)) {
            Counts counts =
                    consume(endpoints.kafkaBootstrap(), KafkaSink.topicName(prefix, topic), topic);
            JsonNode expected = truth.path("topics").path(topic.topicName());
            assertThat(counts.valid)
                    .as(topic + " valid")
                    .isEqualTo(expected.path("valid_messages").asLong());
            assertThat(counts.valid - counts.ids.size())
                    .as(topic + " duplicates")
                    .isEqualTo(expected.path("duplicates").asLong());
            assertThat(counts.malformed)
                    .as(topic + " malformed")
                    .isEqualTo(expected.path("malformed").asLong());
        }
        JsonNode activity = truth.path("topics").path(Topic.LEARNING_ACTIVITY.topicName());
        assertThat(activity.path("duplicates").asLong()).isPositive();
        assertThat(activity.path("malformed").asLong()).isPositive();
    }

    /** Not a test of speed: prints how fast the default world goes to files and to Kafka. */
    @Test
    void measuresTheDefaultWorldsRates(Endpoints endpoints) throws Exception {
        long begin = System.nanoTime();
        World world = Generator.build(WorldParameters.defaults(1));
        long built = System.nanoTime();
        List<Message> messages = world.messages();
        java.nio.file.Path dir = java.nio.file.Path.of("target", "benchmark-world");
        Delivery.Result files;
        try (DirectorySink sink = new DirectorySink(dir)) {
            files = new Delivery(0, line -> {}).send(messages, sink);
        }
        Delivery.Result kafka;
        try (KafkaSink sink =
                new KafkaSink(
                        endpoints.kafkaBootstrap(),
                        "bench-" + UUID.randomUUID() + ".",
                        world.parameters())) {
            kafka =
                    new Delivery(0, line -> System.out.println("[generate] " + line))
                            .send(messages, sink);
        }
        System.out.printf(
                "[benchmark] default world: %,d messages, built in %.1f s;"
                        + " files %,.0f msg/s; Kafka %,.0f msg/s%n",
                messages.size(), (built - begin) / 1e9, files.perSecond(), kafka.perSecond());
        assertThat(kafka.sent()).isEqualTo(messages.size());
    }

    /** What one topic holds, decoded and validated as the jobs will. */
    private static final class Counts {
        long valid;
        long malformed;
        final Set<String> ids = new HashSet<>();
    }

    @SuppressWarnings("unchecked")
    private static Counts consume(String bootstrap, String topicName, Topic topic)
            throws Exception {
        WireFormat<SpecificRecord> format =
                WireFormat.of((Class<SpecificRecord>) topic.recordClass());
        Validation validation = Validation.defaults();
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Counts counts = new Counts();
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topicName)
                    .forEach(p -> partitions.add(new TopicPartition(topicName, p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Instant deadline = Instant.now().plus(DEADLINE);
            while (!reached(consumer, end)) {
                assertThat(Instant.now()).as("reading " + topicName).isBefore(deadline);
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    try {
                        SpecificRecord record = format.decode(r.value());
                        if (validation.problems(record, Instant.now()).isEmpty()) {
                            counts.valid++;
                            counts.ids.add(
                                    topic.compacted()
                                            ? topic.keyOf(record)
                                                    + "@"
                                                    + record.get(
                                                            record.getSchema()
                                                                    .getField("updated_at")
                                                                    .pos())
                                            : record.get(0).toString());
                        } else {
                            counts.malformed++;
                        }
                    } catch (Exception e) {
                        counts.malformed++;
                    }
                }
            }
        }
        return counts;
    }

    private static boolean reached(
            KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }
}
