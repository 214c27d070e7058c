package org.lifelongpulse.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.lifelongpulse.avro.ActivityType;
import org.lifelongpulse.avro.AgeBand;
import org.lifelongpulse.avro.Channel;
import org.lifelongpulse.avro.District;
import org.lifelongpulse.avro.LearningActivity;
import org.lifelongpulse.contracts.WireFormat;
import org.lifelongpulse.jobs.JobSecrets;
import org.lifelongpulse.participation.ParticipationOptions;

/**
 * B0 for participation on a hand-worked partition: the job's defaults (10 s out of order, 60 s
 * allowed lateness), one group and one resource, so each firing is one row in each table.
 */
class ParticipationFloorTest {

    /** A minute boundary, two days ago (the contract refuses events from the future). */
    private static final long T0 =
            Instant.now().minusSeconds(2 * 86_400).toEpochMilli() / 60_000 * 60_000;

    private final WireFormat<LearningActivity> wire = WireFormat.of(LearningActivity.class);
    private final List<ConsumerRecord<byte[], byte[]>> partition = new ArrayList<>();

    @Test
    void itAdmitsDropsAndTalliesAsTheJobDoes() {
        send("e1", 5, "L1"); // minute 1
        send("e2", 20, "L2"); // minute 1
        send("e1", 5, "L1"); // a resend: dropped
        garbage(); // a dead letter
        send("e3", 90, "L1"); // minute 2; the clock at 79.999 s: minute 1 fires (2 rows)
        send("e4", 30, "L3"); // minute 1, within its lateness: a late firing (2 rows)
        send("e5", 300, "L2"); // minute 5; the clock at 289.999 s: minute 2 fires (2 rows)
        send("e6", 10, "L4"); // minute 1, 59.999 + 60 s <= 289.999 s: too late
        // the end of input fires minute 5 (2 rows)

        ParticipationFloor.Result r = ParticipationFloor.run(partition, settings());

        assertThat(r.messages()).isEqualTo(8);
        assertThat(r.admitted()).isEqualTo(5);
        assertThat(r.duplicates()).isEqualTo(1);
        assertThat(r.deadLetters()).isEqualTo(1);
        assertThat(r.late()).isEqualTo(1);
        assertThat(r.rows()).isEqualTo(8);
        assertThat(r.cpuSeconds()).isPositive();
    }

    private static ParticipationOptions.Settings settings() {
        Configuration config = new Configuration();
        config.set(JobSecrets.ID_HASH_SECRET, "a-secret-for-the-floor-test-0123456789");
        return ParticipationOptions.settings(config);
    }

    private void send(String id, int second, String learner) {
        LearningActivity a =
                LearningActivity.newBuilder()
                        .setEventId(id)
                        .setOccurredAt(Instant.ofEpochMilli(T0 + second * 1000L))
                        .setLearnerId(learner)
                        .setDistrict(District.HUANGPU)
                        .setAgeBand(AgeBand.AGE_18_34)
                        .setChannel(Channel.WEB)
                        .setActivityType(ActivityType.LESSON_ATTEND)
                        .setResourceId("R1")
                        .setDurationSeconds(60)
                        .setCreditPoints(1)
                        .build();
        add(wire.encode(a));
    }

    private void garbage() {
        add("not avro".getBytes(StandardCharsets.UTF_8));
    }

    private void add(byte[] value) {
        partition.add(
                new ConsumerRecord<>("learning.activity.v1", 0, partition.size(), null, value));
    }
}
