package org.lifelongpulse.participation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lifelongpulse.avro.ActivityType;
import org.lifelongpulse.avro.AgeBand;
import org.lifelongpulse.avro.Channel;
import org.lifelongpulse.avro.District;
import org.lifelongpulse.avro.LearningActivity;
import org.lifelongpulse.contracts.Topic;
import org.lifelongpulse.generator.Fault;
import org.lifelongpulse.generator.KafkaSink;
import org.lifelongpulse.generator.Message;
import org.lifelongpulse.generator.WorldParameters;
import org.lifelongpulse.jobs.JobEnvironment;
import org.lifelongpulse.stack.Endpoints;
import org.lifelongpulse.stack.testing.LocalStackExtension;
import org.lifelongpulse.testutils.Await;
import org.lifelongpulse.testutils.Flink;
import org.lifelongpulse.testutils.Warehouse;

/**
 * A window fires again, live: the participation job runs unbounded, as in production, on the wall
 * clock. A hand-worked minute: two learners (one on each partition) act in it; once the minute's
 * row is in ClickHouse, a third activity of that minute arrives — behind the watermark, within the
 * allowed lateness — and the row is written again with a higher version and the new count; an
 * activity ten minutes old arrives too and is recorded as late, not counted.
 *
 * <p>The generated worlds of the other end-to-end tests hold late arrivals within the lateness too
 * (and cases at its very edge), and equal their truth; but a replay runs far ahead of its
 * watermark, so whether a window had already fired when such an event came is up to timing there.
 * Here it is certain.
 */
@ExtendWith(LocalStackExtension.class)
class LateReEmissionITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = Flink.miniCluster(null);

    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final Duration LATENESS = Duration.ofSeconds(60);

    @Test
    void aLateActivityWithinTheLatenessFiresItsMinuteAgainWithAHigherVersion(Endpoints endpoints)
            throws Exception {
        String prefix = "it-late-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        Warehouse warehouse =
                Warehouse.of(endpoints).withEmptyTables("participation_minute", "resource_minute");
        WorldParameters parameters = WorldParameters.defaults(5);
        String first = learnerOn(0, parameters.activityPartitions());
        String second = learnerOn(1, parameters.activityPartitions());

        Configuration config =
                warehouse.sinkOptions(
                        Flink.jobConfiguration(endpoints.kafkaBootstrap(), prefix, false));
        config.set(ParticipationOptions.GROUP_ID, "it-late-" + UUID.randomUUID());
        config.set(ParticipationOptions.OUT_OF_ORDERNESS, BOUND);
        config.set(ParticipationOptions.ALLOWED_LATENESS, LATENESS);
        try (KafkaSink sink = new KafkaSink(endpoints.kafkaBootstrap(), prefix, parameters)) {
            StreamExecutionEnvironment env = JobEnvironment.of(config);
            ParticipationJob.defineProduction(env, config);
            JobClient job = env.executeAsync("participation late re-emission");
            try {
                Await.until("the job runs", Duration.ofMinutes(1), () -> running(job));
                // the previous wall-clock minute, 55 s in: live (minutes, not days, old), and
                // the partitions' clocks pass its end about 15 s of wall time from now
                long now = System.currentTimeMillis();
                long minute = Math.floorDiv(now, 60_000L) * 60_000L - 60_000L;
                sink.send(activity("late-a1", first, minute + 55_000));
                sink.send(activity("late-b1", second, minute + 55_500));
                sink.flush();
                String row =
                        "SELECT participant_visits, unique_learners, version FROM"
                                + " pulse.participation_minute FINAL WHERE minute ="
                                + " toDateTime("
                                + minute / 1000
                                + ")";
                Await.until(
                        "the minute's first row is in ClickHouse",
                        Duration.ofMinutes(2),
                        () -> !warehouse.admin().rows(row).isEmpty());
                List<String> fired = warehouse.admin().rows(row).get(0);
                assertThat(fired.subList(0, 2)).as("visits, learners").containsExactly("2", "2");

                // behind the watermark (the minute has fired), well within the lateness: the
                // partition's clock stands about 60 s short of the minute's end plus lateness
                sink.send(activity("late-a2", first, minute + 50_000));
                // and one ten minutes old: late
                sink.send(activity("late-a3", first, minute - 10 * 60_000));
                sink.flush();
                Await.until(
                        "the minute is written again",
                        Duration.ofMinutes(2),
                        () -> !warehouse.admin().rows(row).get(0).equals(fired));
                List<String> again = warehouse.admin().rows(row).get(0);
                assertThat(again.subList(0, 2)).as("visits, learners").containsExactly("3", "2");
                assertThat(Long.parseLong(again.get(2)))
                        .as("the re-emission's version")
                        .isGreaterThan(Long.parseLong(fired.get(2)));
                String topic = Topic.LEARNING_ACTIVITY.topicName(prefix);
                Await.until(
                        "the old activity is recorded as late",
                        Duration.ofMinutes(1),
                        () ->
                                warehouse.count(
                                                "SELECT count() FROM pulse.late_events FINAL"
                                                        + " WHERE source_topic = '"
                                                        + topic
                                                        + "'")
                                        == 1);
                Await.until(
                        "the resource row fired again too",
                        Duration.ofMinutes(1),
                        () ->
                                warehouse.count(
                                                "SELECT sum(visits) FROM pulse.resource_minute"
                                                        + " FINAL WHERE minute = toDateTime("
                                                        + minute / 1000
                                                        + ")")
                                        == 3);
            } finally {
                job.cancel().get();
            }
        }
    }

    private static boolean running(JobClient job) {
        try {
            return job.getJobStatus().get().toString().equals("RUNNING");
        } catch (Exception e) {
            return false;
        }
    }

    /** A learner id that Kafka's default partitioner puts on {@code partition}. */
    private static String learnerOn(int partition, int partitions) {
        for (int i = 0; ; i++) {
            String id = "L-LATE-" + i;
            byte[] key = id.getBytes(StandardCharsets.UTF_8);
            if (Utils.toPositive(Utils.murmur2(key)) % partitions == partition) {
                return id;
            }
        }
    }

    private static Message activity(String id, String learner, long at) {
        LearningActivity a =
                LearningActivity.newBuilder()
                        .setEventId(id)
                        .setOccurredAt(Instant.ofEpochMilli(at))
                        .setLearnerId(learner)
                        .setDistrict(District.HUANGPU)
                        .setAgeBand(AgeBand.AGE_60_69)
                        .setChannel(Channel.WEB)
                        .setActivityType(ActivityType.LESSON_ATTEND)
                        .setResourceId("CLASS-HUANGPU-01")
                        .setDurationSeconds(600)
                        .setCreditPoints(1)
                        .build();
        return new Message(
                Topic.LEARNING_ACTIVITY,
                Topic.LEARNING_ACTIVITY.keyOf(a),
                a,
                null,
                Fault.NONE,
                at,
                at);
    }
}
