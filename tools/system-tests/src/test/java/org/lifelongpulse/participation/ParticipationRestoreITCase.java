package org.lifelongpulse.participation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.lifelongpulse.contracts.Topic;
import org.lifelongpulse.generator.Delivery;
import org.lifelongpulse.jobs.JobEnvironment;
import org.lifelongpulse.ops.kafka.KafkaTopics;
import org.lifelongpulse.stack.Endpoints;
import org.lifelongpulse.stack.testing.LocalStackExtension;
import org.lifelongpulse.testutils.Await;
import org.lifelongpulse.testutils.Flink;
import org.lifelongpulse.testutils.GeneratedWorld;
import org.lifelongpulse.testutils.Warehouse;

/**
 * The job is stopped mid-stream with a savepoint while a world is still being sent, started again
 * from it, and drained at the end: every table still equals the ground truth.
 */
@ExtendWith(LocalStackExtension.class)
class ParticipationRestoreITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = Flink.miniCluster(null);

    @TempDir Path savepoints;

    @Test
    void stoppedWithASavepointAndRestoredTheTotalsAreStillExact(Endpoints endpoints)
            throws Exception {
        Warehouse warehouse = Warehouse.of(endpoints).withEmptyTables(ParticipationITCase.TABLES);
        GeneratedWorld.Paced paced =
                GeneratedWorld.sendPaced(
                        endpoints.kafkaBootstrap(),
                        GeneratedWorld.small(33),
                        2_000,
                        Topic.WALK_ROUTES,
                        Topic.LEARNING_RESOURCES,
                        Topic.LEARNING_ACTIVITY);
        GeneratedWorld world = paced.world();
        KafkaTopics.ensure(endpoints.kafkaBootstrap(), world.prefix(), 2, (short) 1);
        long expectedEvents = world.truth().path("participation").path("events_counted").asLong();

        Configuration config =
                ParticipationITCase.configuration(endpoints, world, warehouse, "it-restore", false);
        JobClient first = start(config);
        Await.until(
                "a first part of the events is in ClickHouse",
                Duration.ofMinutes(2),
                () -> events(warehouse) > expectedEvents / 5);
        String savepoint =
                first.stopWithSavepoint(
                                false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                        .get(2, TimeUnit.MINUTES);
        long eventsAtStop = events(warehouse);
        assertThat(eventsAtStop).as("stopped mid-stream").isLessThan(expectedEvents);

        JobClient second =
                start(
                        new Configuration(config)
                                .set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint));
        Delivery.Result sent = paced.sent().get(3, TimeUnit.MINUTES);
        assertThat(sent.complete()).isTrue();
        Await.until(
                "every admitted event is in ClickHouse",
                Duration.ofMinutes(2),
                () -> events(warehouse) == expectedEvents);
        // Drain: the end of event time closes the last windows and minutes, as a bounded run.
        second.stopWithSavepoint(true, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                .get(2, TimeUnit.MINUTES);

        ParticipationITCase.assertTablesEqualTruth(warehouse, world);
    }

    /** The production job, as {@code defineProduction} wires it, started on the MiniCluster. */
    private static JobClient start(Configuration config) throws Exception {
        StreamExecutionEnvironment env = JobEnvironment.of(config);
        ParticipationJob.defineProduction(env, config);
        return env.executeAsync("participation restore");
    }

    private static long events(Warehouse warehouse) {
        return warehouse.count("SELECT count() FROM pulse.learning_events FINAL");
    }
}
