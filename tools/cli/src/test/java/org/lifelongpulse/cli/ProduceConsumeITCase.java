package org.lifelongpulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lifelongpulse.contracts.Topic;
import org.lifelongpulse.stack.Endpoints;
import org.lifelongpulse.stack.testing.LocalStackExtension;

/** `produce` then `consume` through a real broker gives back the same JSON, for every topic. */
@ExtendWith(LocalStackExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProduceConsumeITCase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SAMPLES = Path.of("src/test/resources/samples");

    @Order(1)
    @ParameterizedTest
    @EnumSource(Topic.class)
    void whatIsProducedIsConsumedBackIdentically(Topic topic, Endpoints endpoints)
            throws Exception {
        ensureTopics(endpoints);
        Path file = SAMPLES.resolve(topic.topicName() + ".jsonl");
        List<String> lines = Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();

        CliRun produced =
                CliRun.of(
                        CliRun.onTestStack(
                                "produce",
                                "--topic",
                                topic.topicName(),
                                "--file",
                                file.toString()));
        assertThat(produced.exitCode()).as(produced.err()).isZero();
        assertThat(produced.err()).contains("sent " + lines.size() + " record(s)");
        if (topic == Topic.SCHEMAS) {
            assertSchemaEntriesConsumedBack(lines);
            return;
        }

        CliRun consumed =
                CliRun.of(
                        CliRun.onTestStack(
                                "consume",
                                "--topic",
                                topic.topicName(),
                                "--from-beginning",
                                "--max",
                                Integer.toString(lines.size()),
                                "--idle-timeout",
                                "30"));
        assertThat(consumed.exitCode()).as(consumed.err()).isZero();
        assertThat(consumed.outLines()).hasSize(lines.size());
        // Partitions interleave, so compare as multisets; each line must match field for field.
        assertThat(counts(consumed.outLines())).isEqualTo(counts(lines));
        // And textually: what consume prints is exactly the canonical input line.
        assertThat(consumed.outLines()).containsExactlyInAnyOrderElementsOf(lines);
    }

    /**
     * Every other produce registers its writer schema on the schema topic too (and a contract
     * another branch evolved registers an entry the sample does not hold), so the sample's entries
     * must be among what the compacted topic holds, each consumed back identically.
     */
    private static void assertSchemaEntriesConsumedBack(List<String> lines) throws Exception {
        CliRun consumed =
                CliRun.of(
                        CliRun.onTestStack(
                                "consume",
                                "--topic",
                                Topic.SCHEMAS.topicName(),
                                "--from-beginning",
                                "--idle-timeout",
                                "3"));
        assertThat(consumed.exitCode()).as(consumed.err()).isZero();
        assertThat(consumed.outLines()).containsAll(lines);
        for (String line : consumed.outLines()) {
            var entry =
                    org.lifelongpulse.contracts.JsonForm.fromJson(
                            line, org.lifelongpulse.avro.WriterSchema.class);
            assertThat(
                            org.lifelongpulse.contracts.WriterSchemas.fingerprint(
                                    org.lifelongpulse.contracts.WriterSchemas.schemaOf(entry)))
                    .as(line)
                    .isEqualTo(entry.getFingerprint());
        }
    }

    @Order(2)
    @Test
    void aFileWithOneBadLineIsRejectedWholeNamingFileAndLine(Endpoints endpoints) {
        ensureTopics(endpoints);
        Path file = Path.of("src/test/resources/bad/activities-with-one-bad-line.jsonl");
        Map<TopicPartition, Long> before = endOffsets(endpoints, Topic.LEARNING_ACTIVITY);

        CliRun run =
                CliRun.of(
                        CliRun.onTestStack(
                                "produce",
                                "--topic",
                                Topic.LEARNING_ACTIVITY.topicName(),
                                "--file",
                                file.toString()));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err())
                .contains(file + ":4: field 'district': unknown symbol 'ATLANTIS'")
                .contains("nothing was sent");
        assertThat(endOffsets(endpoints, Topic.LEARNING_ACTIVITY)).isEqualTo(before);

        CliRun skipping =
                CliRun.of(
                        CliRun.onTestStack(
                                "produce",
                                "--topic",
                                Topic.LEARNING_ACTIVITY.topicName(),
                                "--file",
                                file.toString(),
                                "--skip-invalid"));
        assertThat(skipping.exitCode()).as("still non-zero: a line was rejected").isEqualTo(1);
        assertThat(skipping.err()).contains("sent 3 record(s)").contains("skipped 1");
        long added =
                endOffsets(endpoints, Topic.LEARNING_ACTIVITY).entrySet().stream()
                        .mapToLong(e -> e.getValue() - before.get(e.getKey()))
                        .sum();
        assertThat(added).isEqualTo(3);
    }

    @Test
    void anUnknownTopicIsAUsefulError() {
        CliRun run =
                CliRun.of(CliRun.onTestStack("produce", "--topic", "nope", "--file", "pom.xml"));
        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.err()).contains("unknown topic 'nope'; the topics are learning.activity.v1");
    }

    private static void ensureTopics(Endpoints endpoints) {
        org.lifelongpulse.ops.kafka.KafkaTopics.ensure(endpoints.kafkaBootstrap(), 2, (short) 1);
    }

    private static Map<JsonNode, Long> counts(List<String> lines) {
        return lines.stream()
                .map(ProduceConsumeITCase::parse)
                .collect(Collectors.groupingBy(n -> n, Collectors.counting()));
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }

    private static Map<TopicPartition, Long> endOffsets(Endpoints endpoints, Topic topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.kafkaBootstrap());
        try (var consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic.topicName()).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition()))
                            .toList();
            return consumer.endOffsets(partitions);
        }
    }
}
