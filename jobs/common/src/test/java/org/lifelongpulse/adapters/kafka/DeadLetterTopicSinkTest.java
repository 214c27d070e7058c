package org.lifelongpulse.adapters.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.lineage.LineageDataset;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.lifelongpulse.avro.DeadLetter;
import org.lifelongpulse.contracts.Topic;
import org.lifelongpulse.jobs.KafkaOptions;

/** The dead-letter topic follows {@code kafka.topic-prefix}, as every other topic does. */
class DeadLetterTopicSinkTest {

    private static final DeadLetter LETTER =
            DeadLetter.newBuilder()
                    .setSourceTopic("staging.learning.activity.v1")
                    .setSourcePartition(1)
                    .setSourceOffset(7L)
                    .setStage("decode")
                    .setReason("garbage")
                    .setRaw(ByteBuffer.wrap(new byte[] {1, 2}))
                    .setFailedAt(Instant.EPOCH)
                    .build();

    @Test
    void theTopicNameFollowsThePrefixOption() {
        Configuration staging = new Configuration();
        staging.set(KafkaOptions.TOPIC_PREFIX, "staging.");
        assertThat(KafkaOptions.topic(staging, Topic.DEAD_LETTERS))
                .isEqualTo("staging.pulse.deadletters.v1");
        assertThat(KafkaOptions.topic(new Configuration(), Topic.DEAD_LETTERS))
                .isEqualTo("pulse.deadletters.v1");
    }

    @Test
    void lettersAreWrittenUnderThePrefixKeyedByTheirSourceTopic() {
        ProducerRecord<byte[], byte[]> record =
                DeadLetterTopicSink.records("staging.").serialize(LETTER, null, 0L);
        assertThat(record.topic()).isEqualTo("staging.pulse.deadletters.v1");
        assertThat(new String(record.key(), StandardCharsets.UTF_8))
                .isEqualTo("staging.learning.activity.v1");
        assertThat(DeadLetterTopicSink.records("").serialize(LETTER, null, 0L).topic())
                .isEqualTo("pulse.deadletters.v1");
    }

    @Test
    void theSinkReportsThePrefixedTopic() {
        assertThat(
                        DeadLetterTopicSink.create("localhost:9092", "staging.")
                                .getLineageVertex()
                                .datasets())
                .extracting(LineageDataset::name)
                .containsExactly("staging.pulse.deadletters.v1");
    }
}
