package org.lifelongpulse.adapters.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.SchemaStore;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;
import org.lifelongpulse.avro.LearningActivity;
import org.lifelongpulse.avro.PrepaidTransaction;

/**
 * The lookup travels with a job's deserializers and never holds a message up for longer than its
 * timeout, whatever the broker does.
 */
class SchemaTopicTest {

    private static final long SOME_FINGERPRINT =
            SchemaNormalization.parsingFingerprint64(PrepaidTransaction.getClassSchema());

    @Test
    void aDeserializerWithTheLookupSurvivesFlinksSerialization() throws Exception {
        ContractDeserializer<LearningActivity, LearningActivityEvent> deserializer =
                new ContractDeserializer<>(
                        LearningActivity.class,
                        LearningActivityEvent.class,
                        (record, raw) -> new LearningActivityEvent(record.getEventId()),
                        Duration.ofDays(1),
                        SchemaTopic.of(
                                "127.0.0.1:1",
                                "pulse.schemas.v1",
                                Duration.ofSeconds(1),
                                Duration.ofSeconds(1)));
        assertThat(InstantiationUtil.clone(deserializer)).isNotNull();
        assertThat(
                        InstantiationUtil.clone(SchemaTopic.none())
                                .storeFor(LearningActivity.getClassSchema())
                                .findByFingerprint(SOME_FINGERPRINT))
                .isNull();
    }

    @Test
    void anUnreachableBrokerCostsOneBoundedWaitPerRetryInterval() {
        SchemaStore store =
                SchemaTopic.of(
                                "127.0.0.1:1",
                                "pulse.schemas.v1",
                                Duration.ofMillis(500),
                                Duration.ofHours(1))
                        .storeFor(LearningActivity.getClassSchema());
        long started = System.nanoTime();
        assertThat(store.findByFingerprint(SOME_FINGERPRINT)).isNull();
        assertThat(store.findByFingerprint(SOME_FINGERPRINT + 1)).isNull();
        // one wait of the timeout (plus the client's start), not one per message
        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .isLessThan(Duration.ofSeconds(10));
        assertThat(((SchemaTopicStore) store).reads()).isEqualTo(1);
    }

    /** A job event type of this test's own. */
    record LearningActivityEvent(String eventId) implements org.lifelongpulse.admission.Admissible {
        @Override
        public long eventTime() {
            return 0;
        }

        @Override
        public String sourceTopic() {
            return "t";
        }

        @Override
        public int sourcePartition() {
            return 0;
        }

        @Override
        public long sourceOffset() {
            return 0;
        }

        @Override
        public long eventIdHash() {
            return org.lifelongpulse.admission.EventIdHash.of(eventId);
        }
    }
}
