package org.lifelongpulse.adapters.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lifelongpulse.avro.ActivityType;
import org.lifelongpulse.avro.AgeBand;
import org.lifelongpulse.avro.Channel;
import org.lifelongpulse.avro.DeadLetter;
import org.lifelongpulse.avro.District;
import org.lifelongpulse.avro.LearningActivity;
import org.lifelongpulse.ops.kafka.ContractProducer;
import org.lifelongpulse.ops.kafka.KafkaTopics;
import org.lifelongpulse.stack.Endpoints;
import org.lifelongpulse.stack.testing.LocalStackExtension;

/** Bad messages on a real topic become dead letters in a running Flink job, not exceptions. */
@ExtendWith(LocalStackExtension.class)
class DeadLetterDecodingITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final Instant OPENING = Instant.parse("2020-11-01T01:00:00Z");

    @Test
    void garbageAndInvalidMessagesBecomeDeadLettersWithTheirPosition(Endpoints endpoints)
            throws Exception {
        String topic = "it.decode." + UUID.randomUUID();
        createTopic(endpoints.kafkaBootstrap(), topic, 2);

        byte[] garbage = "definitely not avro".getBytes(StandardCharsets.UTF_8);
        LearningActivity valid = activity("evt-ok", 600);
        LearningActivity negative = activity("evt-negative", -5);
        RecordMetadata garbageAt;
        RecordMetadata validAt;
        RecordMetadata negativeAt;
        RecordMetadata truncatedAt;
        try (ContractProducer producer = new ContractProducer(endpoints.kafkaBootstrap())) {
            byte[] whole = producer.encode(valid);
            garbageAt = producer.sendRaw(topic, "k1", garbage).get();
            validAt = producer.sendRaw(topic, "k2", whole).get();
            negativeAt = producer.sendRaw(topic, "k3", producer.encode(negative)).get();
            truncatedAt = producer.sendRaw(topic, "k4", Arrays.copyOf(whole, 12)).get();
        }

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(new Configuration().set(PipelineOptions.GENERIC_TYPES, false));
        env.setParallelism(2);
        SingleOutputStreamOperator<LearningActivity> decoded =
                env.fromSource(
                                KafkaSources.raw(
                                        endpoints.kafkaBootstrap(), "it-decode", true, topic),
                                WatermarkStrategy.noWatermarks(),
                                "raw activity")
                        .uid("raw-activity")
                        .process(DecodeFunction.of(LearningActivity.class))
                        .uid("decode")
                        .name("decode activity");
        CloseableIterator<LearningActivity> good = decoded.collectAsync();
        CloseableIterator<DeadLetter> bad =
                decoded.getSideOutput(DecodeFunction.DEAD_LETTERS).collectAsync();
        env.execute("dead-letter decoding");

        List<LearningActivity> goodOnes = drain(good);
        List<DeadLetter> deadLetters = drain(bad);
        assertThat(goodOnes).containsExactly(valid);
        assertThat(deadLetters).hasSize(3);

        Map<Long, DeadLetter> byOffset = new java.util.HashMap<>();
        deadLetters.forEach(
                d -> byOffset.put(d.getSourceOffset() * 10 + d.getSourcePartition(), d));
        DeadLetter g = byOffset.get(key(garbageAt));
        assertThat(g.getSourceTopic()).isEqualTo(topic);
        assertThat(g.getStage()).isEqualTo("decode");
        assertThat(g.getReason()).contains("not Avro single-object encoding");
        assertThat(g.getRaw()).isEqualTo(ByteBuffer.wrap(garbage));
        assertThat(byOffset.get(key(negativeAt)).getReason())
                .contains("'duration_seconds' is negative (-5)");
        assertThat(byOffset.get(key(negativeAt)).getStage()).isEqualTo("validate");
        assertThat(byOffset.get(key(truncatedAt)).getReason())
                .contains("does not decode as LearningActivity");
        assertThat(byOffset).doesNotContainKey(key(validAt));
    }

    private static long key(RecordMetadata m) {
        return m.offset() * 10 + m.partition();
    }

    private static LearningActivity activity(String id, int duration) {
        return LearningActivity.newBuilder()
                .setEventId(id)
                .setOccurredAt(OPENING)
                .setLearnerId("L-1")
                .setDistrict(District.JINGAN)
                .setAgeBand(AgeBand.AGE_35_59)
                .setChannel(Channel.WEB)
                .setActivityType(ActivityType.LESSON_ATTEND)
                .setResourceId("course-1")
                .setDurationSeconds(duration)
                .build();
    }

    private static <T> List<T> drain(CloseableIterator<T> it) throws Exception {
        List<T> all = new ArrayList<>();
        try (it) {
            it.forEachRemaining(all::add);
        }
        return all;
    }

    static void createTopic(String bootstrap, String topic, int partitions) {
        KafkaTopics.create(bootstrap, List.of(new NewTopic(topic, partitions, (short) 1)));
    }
}
