package org.lifelongpulse.participation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lifelongpulse.adapters.kafka.KafkaTopics;
import org.lifelongpulse.contracts.Topic;
import org.lifelongpulse.stack.Endpoints;
import org.lifelongpulse.stack.LocalFlinkCluster;
import org.lifelongpulse.stack.testing.LocalStackExtension;
import org.lifelongpulse.testutils.Await;
import org.lifelongpulse.testutils.Flink;
import org.lifelongpulse.testutils.GeneratedWorld;
import org.lifelongpulse.testutils.Warehouse;

/**
 * The operator's path: the shaded job jar on a real multi-process Flink cluster, submitted with
 * Flink's own command line, stopped with a savepoint mid-stream, resumed from it, drained — and
 * the tables still equal the ground truth.
 */
@ExtendWith(LocalStackExtension.class)
class ParticipationOnClusterITCase {

    @Test
    void stopWithSavepointAndResumeOnAClusterKeepsTheTotalsExact(Endpoints endpoints)
            throws Exception {
        Path jar = Flink.jobJar();
        Warehouse warehouse = Warehouse.of(endpoints)
                .withEmptyTables(ParticipationITCase.TABLES);
        KafkaTopics.ensure(endpoints.kafkaBootstrap(), 2, (short) 1);
        // The world goes in two parts: the first before the stop, the rest after it, so the
        // savepoint falls mid-stream whatever the machine's speed.
        GeneratedWorld.Split split = GeneratedWorld.split(endpoints.kafkaBootstrap(),
                GeneratedWorld.small(44), 0.4, Topic.WALK_ROUTES, Topic.LEARNING_ACTIVITY);
        GeneratedWorld world = split.world();
        long expected = world.truth().path("participation").path("events_counted").asLong();
        var writer = endpoints.accounts().writer();
        List<String> args = List.of(
                "--kafka.bootstrap", endpoints.kafkaBootstrap(),
                "--kafka.topic-prefix", world.prefix(),
                "--participation.kafka.group-id", "it-cluster-" + UUID.randomUUID(),
                "--clickhouse.url", endpoints.clickHouseUrl(),
                "--clickhouse.user", writer.user(),
                "--clickhouse.password", writer.password(),
                "--clickhouse.sink.flush-interval", "500ms");

        LocalFlinkCluster cluster = new LocalFlinkCluster(Path.of("target", "flink-cluster"),
                line -> System.out.println("[flink-cluster] " + line));
        try {
            cluster.up(4);
            split.sendFirstPart();
            String first = cluster.submit(jar, ParticipationJob.class.getName(), null, args);
            Await.until("the first part is in ClickHouse", Duration.ofMinutes(3),
                    () -> events(warehouse) >= split.firstPartEvents());
            String savepoint = cluster.stopWithSavepoint(first, false);
            assertThat(cluster.jobStatus(first)).isEqualTo("FINISHED");
            assertThat(events(warehouse)).as("stopped mid-stream").isLessThan(expected);

            String second = cluster.submit(jar, ParticipationJob.class.getName(), savepoint,
                    args);
            split.sendSecondPart();
            Await.until("every admitted event is in ClickHouse", Duration.ofMinutes(3),
                    () -> events(warehouse) == expected);
            cluster.stopWithSavepoint(second, true);
        } finally {
            cluster.down();
        }
        assertThat(cluster.status()).isEmpty();
        ParticipationITCase.assertTablesEqualTruth(warehouse, world);
    }

    private static long events(Warehouse warehouse) {
        return warehouse.count("SELECT count() FROM pulse.learning_events FINAL");
    }

}
