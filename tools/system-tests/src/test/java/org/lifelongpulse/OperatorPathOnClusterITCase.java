package org.lifelongpulse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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
import org.lifelongpulse.stack.LocalSecrets;
import org.lifelongpulse.stack.ProjectTree;
import org.lifelongpulse.stack.testing.LocalStackExtension;
import org.lifelongpulse.testutils.Await;
import org.lifelongpulse.testutils.Flink;
import org.lifelongpulse.testutils.GeneratedWorld;
import org.lifelongpulse.testutils.PreviousRelease;
import org.lifelongpulse.testutils.Warehouse;

/**
 * The operator's path, end to end: both jobs' shaded jars on one real multi-process Flink cluster
 * running the production configuration ({@code deploy/flink/config.yaml}: RocksDB, incremental
 * checkpoints), submitted with Flink's own command line, on one generated world in the local Kafka
 * and ClickHouse. A job without its hash key refuses to start. Participation starts on the previous
 * release's jar at parallelism 2, is stopped with a savepoint mid-stream and upgraded to this
 * release's jar at parallelism 1 (from that savepoint, or, when this release's state is not
 * restorable from the previous one's, {@link PreviousRelease#PARTICIPATION_SAVEPOINT_COMPATIBLE},
 * the documented way: fresh, from the earliest offsets, over the rows the previous release wrote),
 * then rescaled to 4 through another savepoint; fund-risk is stopped with a savepoint mid-stream
 * and resumed. Both jobs' tables equal the generator's truth, and the alerts topic holds each alert
 * version once. Then every dashboard panel's, variable's and alert rule's SQL, with the plugin's
 * macros expanded for a fixed range covering the run, returns its expected columns and rows from
 * what the jobs wrote.
 */
@ExtendWith(LocalStackExtension.class)
class OperatorPathOnClusterITCase {

    /** Activity types chosen on Activity Week Live when not "All". */
    private static final List<String> SOME_ACTIVITY_TYPES =
            List.of("COURSE_ENROLL", "EXPERIENCE_VISIT");

    @Test
    void bothJobsOnTheProductionConfigEqualTheTruthAcrossUpgradeRescaleAndSavepoints(
            Endpoints endpoints) throws Exception {
        Path participationJar = ProjectTree.jobJar("participation");
        Path fundRiskJar = ProjectTree.jobJar("fund-risk");
        // Built while the world is made and the cluster starts.
        CompletableFuture<Path> previousRelease =
                CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return PreviousRelease.jobJar("participation");
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        });
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
        // reference data goes whole, first; activity and transactions go in two parts, the first
        // before the savepoints and the rest after them, so that each stop falls mid-stream
        // whatever the machine's speed.
        GeneratedWorld.Split split =
                GeneratedWorld.split(
                        endpoints.kafkaBootstrap(),
                        GeneratedWorld.small(44),
                        0.4,
                        Topic.LEARNING_ACTIVITY,
                        Topic.FUND_TRANSACTIONS);
        GeneratedWorld world = split.world();
        FundRiskRun fundRisk = FundRiskRun.forWorld(endpoints, world, warehouse);
        split.sendAllOf(Topic.WALK_ROUTES, Topic.LEARNING_RESOURCES, Topic.INSTITUTIONS);
        split.sendFirstPart();
        progress(started, "world sent (reference data whole, activity and payments first part)");
        long expectedEvents = world.truth().path("participation").path("events_counted").asLong();
        long expectedTransactions =
                world.topicTruth(Topic.FUND_TRANSACTIONS).path("distinct_valid").asLong();

        List<String> participationArgs =
                Flink.clusterJobArgs(endpoints, world.prefix(), "participation", "it-cluster-");
        List<String> fundRiskArgs =
                Flink.clusterJobArgs(endpoints, world.prefix(), "fund-risk", "it-cluster-");
        // The writer's password and the hash key reach main() as the environment of `flink run`.
        Map<String, String> secrets = LocalSecrets.jobEnvironment(endpoints.accounts());
        String participationMain = ParticipationJob.class.getName();
        String fundRiskMain = FundRiskJob.class.getName();

        LocalFlinkCluster cluster =
                new LocalFlinkCluster(
                        Path.of("target", "flink-cluster"),
                        line -> System.out.println("[flink-cluster] " + line));
        try {
            // 6 slots: fund-risk at 2 beside participation at up to 4.
            cluster.up(3, 2);

            // Without the hash key, main() refuses with one line, and nothing is submitted.
            Map<String, String> noKey = new java.util.HashMap<>(secrets);
            noKey.remove(LocalSecrets.ID_HASH_SECRET_ENV);
            assertThatThrownBy(
                            () ->
                                    cluster.submit(
                                            participationJar,
                                            participationMain,
                                            null,
                                            0,
                                            participationArgs,
                                            noKey))
                    .hasMessageContaining("(exit 2)")
                    .hasMessageContaining(
                            "participation: PULSE_ID_HASH_SECRET is not set: the key of the"
                                    + " hashes that replace learner, payer and card ids must come"
                                    + " from a secret");
            assertThat(cluster.rest("/jobs/overview")).doesNotContain("\"name\"");

            // Participation starts on the previous release's jar, at parallelism 2.
            Path previousJar = previousRelease.join();
            progress(started, "previous release's participation jar built: " + previousJar);
            CompletableFuture<String> submitted =
                    CompletableFuture.supplyAsync(
                            () ->
                                    cluster.submit(
                                            fundRiskJar,
                                            fundRiskMain,
                                            null,
                                            2,
                                            fundRiskArgs,
                                            secrets));
            String first =
                    cluster.submit(
                            previousJar, participationMain, null, 2, participationArgs, secrets);
            String fund = submitted.join();
            progress(started, "both jobs submitted");
            assertThat(cluster.rest("/jobs/" + fund + "/checkpoints/config"))
                    .as("the production state backend and checkpoint interval")
                    .contains("\"state_backend\":\"EmbeddedRocksDBStateBackend\"")
                    .contains("\"interval\":30000");
            assertThat(cluster.parallelism(first)).isEqualTo(2);

            // Fund-risk: a savepoint mid-stream, resumed from it.
            Await.until(
                    "the first part's payments are in ClickHouse",
                    Duration.ofMinutes(3),
                    () -> transactions(warehouse) >= split.firstPartClean(Topic.FUND_TRANSACTIONS));
            String fundSavepoint = cluster.stopWithSavepoint(fund, false);
            assertThat(transactions(warehouse))
                    .as("stopped mid-stream")
                    .isLessThan(expectedTransactions);
            String fundResumed =
                    cluster.submit(
                            fundRiskJar, fundRiskMain, fundSavepoint, 2, fundRiskArgs, secrets);
            progress(started, "fund-risk stopped with a savepoint and resumed");

            // Participation: previous release at 2 -> this release at 1 -> this release at 4.
            Await.until(
                    "the first part's activity is in ClickHouse",
                    Duration.ofMinutes(3),
                    () -> events(warehouse) >= split.firstPartEvents());
            String upgrade = cluster.stopWithSavepoint(first, false);
            assertThat(cluster.jobStatus(first)).isEqualTo("FINISHED");
            long eventsAtUpgrade = events(warehouse);
            assertThat(eventsAtUpgrade).as("stopped mid-stream").isLessThan(expectedEvents);
            boolean fromSavepoint = PreviousRelease.PARTICIPATION_SAVEPOINT_COMPATIBLE;
            if (!fromSavepoint) {
                // the runbook's fresh start across #15: the previous release wrote resource rows
                // without a district, course rows into the MOOC funnel, and dead letters with raw
                // ids (the replay writes every letter again, redacted, and its original to the
                // restricted store)
                warehouse.withEmptyTables("resource_minute", "mooc_funnel_minute");
                // only participation's letters: fund-risk keeps running beside it
                warehouse
                        .admin()
                        .execute(
                                "ALTER TABLE pulse.dead_letters DELETE WHERE job ="
                                        + " 'participation'");
                Await.until(
                        "the previous release's dead letters are deleted",
                        Duration.ofMinutes(1),
                        () ->
                                warehouse.count(
                                                "SELECT count() FROM pulse.dead_letters"
                                                        + " WHERE job = 'participation'")
                                        == 0);
            }
            String atOne =
                    cluster.submit(
                            participationJar,
                            participationMain,
                            fromSavepoint ? upgrade : null,
                            1,
                            fromSavepoint
                                    ? participationArgs
                                    : Flink.clusterJobArgs(
                                            endpoints,
                                            world.prefix(),
                                            "participation",
                                            "it-cluster-fresh-"),
                            secrets);
            assertThat(cluster.parallelism(atOne)).isEqualTo(1);
            progress(
                    started,
                    "participation upgraded from the previous release, at parallelism 1, "
                            + (fromSavepoint
                                    ? "from its savepoint"
                                    : "fresh from the earliest offsets"));

            split.sendSecondPart();
            Await.until(
                    "the job at parallelism 1 writes the second part's activity",
                    Duration.ofMinutes(3),
                    () -> events(warehouse) > eventsAtUpgrade);
            String rescale = cluster.stopWithSavepoint(atOne, false);
            String atFour =
                    cluster.submit(
                            participationJar,
                            participationMain,
                            rescale,
                            4,
                            participationArgs,
                            secrets);
            assertThat(cluster.parallelism(atFour)).isEqualTo(4);
            progress(started, "participation rescaled from 1 to 4");

            Await.until(
                    "every admitted event is in ClickHouse",
                    Duration.ofMinutes(3),
                    () -> events(warehouse) == expectedEvents);
            cluster.stopWithSavepoint(atFour, true);
            Await.until(
                    "every distinct payment is in ClickHouse",
                    Duration.ofMinutes(3),
                    () -> transactions(warehouse) == expectedTransactions);
            cluster.stopWithSavepoint(fundResumed, true);
            progress(started, "both jobs drained");
        } finally {
            cluster.down();
        }
        assertThat(cluster.status()).isEmpty();
        Instant runEnded = Instant.now();

        ParticipationITCase.assertTablesEqualTruth(warehouse, world);
        fundRisk.assertAlertsEqualTruth();
        fundRisk.assertEpisodesEqualTruth();
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

    private static long transactions(Warehouse warehouse) {
        return warehouse.count("SELECT count() FROM pulse.fund_transactions FINAL");
    }

    private static long events(Warehouse warehouse) {
        return warehouse.count("SELECT count() FROM pulse.learning_events FINAL");
    }
}
