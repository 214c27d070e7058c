package org.lifelongpulse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lifelongpulse.avro.Institution;
import org.lifelongpulse.contracts.Topic;
import org.lifelongpulse.dashboards.DashboardQueryChecks;
import org.lifelongpulse.fundrisk.FundRiskJob;
import org.lifelongpulse.fundrisk.FundRiskRun;
import org.lifelongpulse.ops.kafka.KafkaTopics;
import org.lifelongpulse.participation.ParticipationITCase;
import org.lifelongpulse.participation.ParticipationJob;
import org.lifelongpulse.stack.Endpoints;
import org.lifelongpulse.stack.LocalFlinkCluster;
import org.lifelongpulse.stack.ProjectTree;
import org.lifelongpulse.stack.testing.LocalStackExtension;
import org.lifelongpulse.testutils.Await;
import org.lifelongpulse.testutils.GeneratedWorld;
import org.lifelongpulse.testutils.Warehouse;

/**
 * The operator's path, end to end: both jobs' shaded jar on one real multi-process Flink cluster,
 * submitted with Flink's own command line, on one generated world in the local Kafka and
 * ClickHouse. The participation job is stopped with a savepoint mid-stream, resumed from it and
 * drained; the fund-risk job runs bounded beside it. Both jobs' tables equal the generator's truth.
 * Then every dashboard panel's, variable's and alert rule's SQL, with the plugin's macros expanded
 * for a fixed range covering the run, returns its expected columns and rows from what the jobs
 * wrote.
 */
@ExtendWith(LocalStackExtension.class)
class OperatorPathOnClusterITCase {

    /** Activity types chosen on Activity Week Live when not "All". */
    private static final List<String> SOME_ACTIVITY_TYPES =
            List.of("COURSE_ENROLL", "EXPERIENCE_VISIT");

    @Test
    void bothJobsOnOneClusterEqualTheTruthAcrossASavepointAndFillEveryDashboard(Endpoints endpoints)
            throws Exception {
        Path participationJar = ProjectTree.jobJar("participation");
        Path fundRiskJar = ProjectTree.jobJar("fund-risk");
        long started = System.nanoTime();
        // Only this run's rows: every table the jobs write or a dashboard reads starts empty.
        Set<String> tables = new TreeSet<>(DashboardQueryChecks.tablesRead());
        tables.addAll(List.of(ParticipationITCase.TABLES));
        tables.addAll(List.of(FundRiskRun.TABLES));
        tables.addAll(List.of("late_events", "dead_letters", "duplicate_events"));
        Warehouse warehouse =
                Warehouse.of(endpoints).withEmptyTables(tables.toArray(String[]::new));
        KafkaTopics.ensure(endpoints.kafkaBootstrap(), 2, (short) 1);

        // A small world (40 institutions: every scripted fund scenario, few ordinary ones). The
        // activity side goes in two parts, the first before the stop and the rest after it, so
        // the savepoint falls mid-stream whatever the machine's speed; the fund side goes whole,
        // before its bounded job starts.
        GeneratedWorld.Split split =
                GeneratedWorld.split(
                        endpoints.kafkaBootstrap(),
                        GeneratedWorld.small(44),
                        0.4,
                        Topic.WALK_ROUTES,
                        Topic.LEARNING_ACTIVITY);
        GeneratedWorld world = split.world();
        FundRiskRun fundRisk = FundRiskRun.forWorld(endpoints, world, warehouse);
        split.sendAllOf(Topic.INSTITUTIONS, Topic.FUND_TRANSACTIONS);
        split.sendFirstPart();
        progress(started, "world sent (fund side whole, activity first part)");
        long expectedEvents = world.truth().path("participation").path("events_counted").asLong();

        var writer = endpoints.accounts().writer();
        List<String> common =
                List.of(
                        "--kafka.bootstrap", endpoints.kafkaBootstrap(),
                        "--kafka.topic-prefix", world.prefix(),
                        "--clickhouse.url", endpoints.clickHouseUrl(),
                        "--clickhouse.user", writer.user(),
                        "--clickhouse.password", writer.password(),
                        "--clickhouse.sink.flush-interval", "500ms");
        List<String> participationArgs = new ArrayList<>(common);
        participationArgs.addAll(
                List.of("--participation.kafka.group-id", "it-cluster-" + UUID.randomUUID()));
        List<String> fundRiskArgs = new ArrayList<>(common);
        fundRiskArgs.addAll(
                List.of(
                        "--kafka.bounded",
                        "true",
                        "--fund-risk.kafka.group-id",
                        "it-cluster-" + UUID.randomUUID()));

        LocalFlinkCluster cluster =
                new LocalFlinkCluster(
                        Path.of("target", "flink-cluster"),
                        line -> System.out.println("[flink-cluster] " + line));
        try {
            cluster.up(4); // two slots per job (parallelism 2)
            // Both submitted at once: each `flink run` is a JVM of its own.
            CompletableFuture<String> submitted =
                    CompletableFuture.supplyAsync(
                            () ->
                                    cluster.submit(
                                            fundRiskJar,
                                            FundRiskJob.class.getName(),
                                            null,
                                            fundRiskArgs));
            String first =
                    cluster.submit(
                            participationJar,
                            ParticipationJob.class.getName(),
                            null,
                            participationArgs);
            String fund = submitted.join();
            progress(started, "both jobs submitted");
            Await.until(
                    "the first part is in ClickHouse",
                    Duration.ofMinutes(3),
                    () -> events(warehouse) >= split.firstPartEvents());
            String savepoint = cluster.stopWithSavepoint(first, false);
            progress(started, "participation stopped with a savepoint");
            assertThat(cluster.jobStatus(first)).isEqualTo("FINISHED");
            assertThat(events(warehouse)).as("stopped mid-stream").isLessThan(expectedEvents);

            String second =
                    cluster.submit(
                            participationJar,
                            ParticipationJob.class.getName(),
                            savepoint,
                            participationArgs);
            split.sendSecondPart();
            Await.until(
                    "every admitted event is in ClickHouse",
                    Duration.ofMinutes(3),
                    () -> events(warehouse) == expectedEvents);
            cluster.stopWithSavepoint(second, true);
            progress(started, "participation resumed, every event in, drained");
            Await.until(
                    "the bounded fund-risk job ended",
                    Duration.ofMinutes(3),
                    () ->
                            List.of("FINISHED", "FAILED", "CANCELED")
                                    .contains(cluster.jobStatus(fund)));
            assertThat(cluster.jobStatus(fund)).isEqualTo("FINISHED");
            progress(started, "fund-risk finished");
        } finally {
            cluster.down();
        }
        assertThat(cluster.status()).isEmpty();
        Instant runEnded = Instant.now();

        ParticipationITCase.assertTablesEqualTruth(warehouse, world);
        fundRisk.assertAlertsEqualTruth();
        fundRisk.assertLedgersEqualTruth();
        fundRisk.assertFaultsAccountedFor();
        fundRisk.assertAlertTopicHoldsEachVersionOnce();
        progress(started, "both jobs' results equal the truth");

        assertEveryDashboardQueryShowsTheRun(endpoints, world, runEnded);
        progress(started, "every dashboard query returned its columns and rows");
    }

    private static void progress(long started, String what) {
        System.out.printf(
                "[operator-path] %5.1f s %s%n", (System.nanoTime() - started) / 1e9, what);
    }

    /**
     * The dashboards on this run's tables, for one fixed range: from the start of the world's fund
     * side (its earliest event time) to the end of the run, since dead letters and dropped resends
     * are stamped with the wall-clock time they were seen.
     */
    private static void assertEveryDashboardQueryShowsTheRun(
            Endpoints endpoints, GeneratedWorld world, Instant runEnded) {
        Instant from =
                Instant.ofEpochMilli(world.world().parameters().fundStartMillis())
                        .minus(1, ChronoUnit.DAYS);
        Instant to = runEnded.truncatedTo(ChronoUnit.MINUTES).plus(2, ChronoUnit.MINUTES);
        // About what Grafana picks for a range of years on a dashboard-wide panel.
        DashboardQueryChecks checks =
                DashboardQueryChecks.asReader(endpoints, from, to, Duration.ofDays(1));

        // The institution on Fund Supervision, and the district chosen when not "All": from the
        // truth, one with a RED alert to show.
        JsonNode red = null;
        for (JsonNode alert : world.truth().path("alerts").path("must_fire")) {
            if ("RED".equals(alert.path("severity").asText())) {
                red = alert;
                break;
            }
        }
        assertThat(red).as("the truth has a RED alert").isNotNull();
        String institution = red.path("institution_id").asText();
        String district =
                world.world().institutions().stream()
                        .filter(i -> i.getInstitutionId().toString().equals(institution))
                        .map(Institution::getDistrict)
                        .map(Object::toString)
                        .reduce((a, b) -> b)
                        .orElseThrow();
        Map<String, List<String>> all = Map.of("institution", List.of(institution));
        Map<String, List<String>> some =
                Map.of(
                        "institution",
                        List.of(institution),
                        "district",
                        List.of(district),
                        "activity_type",
                        SOME_ACTIVITY_TYPES);

        DashboardQueryChecks.assertAll(
                checks.variables(), checks.panels(all), checks.panels(some), checks.alertRules());

        // The headline number equals the truth's, for "All" and for the selection.
        long visits = 0;
        long selectedVisits = 0;
        for (JsonNode row : world.truth().path("participation").path("rows")) {
            visits += row.get(5).asLong();
            if (row.get(1).asText().equals(district)
                    && SOME_ACTIVITY_TYPES.contains(row.get(2).asText())) {
                selectedVisits += row.get(5).asLong();
            }
        }
        assertThat(checks.rows("pulse-activity-week", "Participant-visits/A", all))
                .containsExactly(List.of(Long.toString(visits)));
        assertThat(checks.rows("pulse-activity-week", "Participant-visits/A", some))
                .containsExactly(List.of(Long.toString(selectedVisits)));
    }

    private static long events(Warehouse warehouse) {
        return warehouse.count("SELECT count() FROM pulse.learning_events FINAL");
    }
}
