package org.lifelongpulse.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lifelongpulse.contracts.Topic;
import org.lifelongpulse.fundrisk.FundRiskJob;
import org.lifelongpulse.ops.kafka.KafkaTopics;
import org.lifelongpulse.participation.ParticipationJob;
import org.lifelongpulse.stack.Endpoints;
import org.lifelongpulse.stack.LocalFlinkCluster;
import org.lifelongpulse.stack.LocalSecrets;
import org.lifelongpulse.stack.ProjectTree;
import org.lifelongpulse.stack.PrometheusServer;
import org.lifelongpulse.stack.testing.LocalStackExtension;
import org.lifelongpulse.testutils.Await;
import org.lifelongpulse.testutils.Flink;
import org.lifelongpulse.testutils.GeneratedWorld;
import org.lifelongpulse.testutils.Warehouse;

/**
 * The Flink Runtime dashboard on a running pipeline: both jobs' shaded jars on the local Flink
 * cluster (the production {@code deploy/flink/config.yaml}, Prometheus reporter on), fed with a
 * generated world, and a Prometheus of the test's own scraping every JobManager and TaskManager
 * every few seconds. While both jobs run, every PromQL target of every Prometheus panel — with
 * "All" jobs and with each job alone — returns at least one series with a number; a failure names
 * the panel, the refId and the query. Then a few values are checked against facts known without
 * Flink's metrics: the rows the generator's truth says the sink writes, the topics the jobs were
 * given, and Kafka's own end offsets.
 */
@ExtendWith(LocalStackExtension.class)
class FlinkRuntimeDashboardITCase {

    private static final String DASHBOARD = "pulse-flink-runtime";

    /**
     * The scrape interval, and so its timeout: a TaskManager busy starting two jobs on two cores
     * took a second to answer, and a failed scrape makes every series of its target stale at once.
     */
    private static final Duration SCRAPE = Duration.ofSeconds(5);

    /** What {@code $__rate_interval} becomes: six scrapes, more than Grafana's four. */
    private static final Duration RATE_INTERVAL = Duration.ofSeconds(30);

    private static final String TM = "flink_taskmanager_job_task_operator_";

    /** The topics each job reads, as the generator names them under a world's prefix. */
    private static final List<Topic> READ =
            List.of(
                    Topic.LEARNING_ACTIVITY,
                    Topic.WALK_ROUTES,
                    Topic.LEARNING_RESOURCES,
                    Topic.FUND_TRANSACTIONS,
                    Topic.INSTITUTIONS,
                    Topic.INSTITUTION_VERSIONS,
                    Topic.RISK_RULES,
                    Topic.ALERT_ACTIONS);

    @Test
    void everyPanelQueryReturnsSeriesWhileBothJobsRun(Endpoints endpoints) throws Exception {
        long started = System.nanoTime();
        Warehouse warehouse =
                Warehouse.of(endpoints).withEmptyTables("learning_events", "fund_transactions");
        GeneratedWorld world =
                GeneratedWorld.sendTo(endpoints.kafkaBootstrap(), GeneratedWorld.small(46));
        // The jobs' other topics (rule settings, alerts, dead letters) under the world's prefix.
        KafkaTopics.ensure(endpoints.kafkaBootstrap(), world.prefix(), 2, (short) 1);
        long events = world.truth().path("participation").path("events_counted").asLong();
        progress(started, "world sent: " + events + " admitted activity events in the truth");

        // The writer's password and the hash key reach main() as the environment of `flink run`.
        Map<String, String> secrets = LocalSecrets.jobEnvironment(endpoints.accounts());
        List<String> participationArgs =
                Flink.clusterJobArgs(endpoints, world.prefix(), "participation", "it-runtime-");
        List<String> fundRiskArgs =
                Flink.clusterJobArgs(endpoints, world.prefix(), "fund-risk", "it-runtime-");

        LocalFlinkCluster cluster =
                new LocalFlinkCluster(
                        Path.of("target", "flink-cluster-runtime-dashboard"),
                        line -> System.out.println("[flink-cluster] " + line));
        PrometheusServer prometheus = null;
        try {
            cluster.up(4); // two slots per job (parallelism 2)
            List<String> targets = cluster.metricsTargets();
            assertThat(targets).as("the JobManager's and the TaskManager's reporters").hasSize(2);
            prometheus =
                    PrometheusServer.start(
                            Path.of("target", "prometheus-runtime-dashboard"),
                            targets,
                            SCRAPE,
                            line -> System.out.println("[prometheus] " + line));
            PromQueryChecks checks =
                    PromQueryChecks.on(prometheus, RATE_INTERVAL, Duration.ofMinutes(10));
            Await.until(
                    "Prometheus scrapes every reporter",
                    Duration.ofSeconds(60),
                    () ->
                            count(checks, "up{job=\"" + PrometheusServer.SCRAPE_JOB + "\"} == 1")
                                    == targets.size());

            CompletableFuture<String> fundRisk =
                    CompletableFuture.supplyAsync(
                            () ->
                                    cluster.submit(
                                            ProjectTree.jobJar("fund-risk"),
                                            FundRiskJob.class.getName(),
                                            null,
                                            0,
                                            fundRiskArgs,
                                            secrets));
            String participation =
                    cluster.submit(
                            ProjectTree.jobJar("participation"),
                            ParticipationJob.class.getName(),
                            null,
                            0,
                            participationArgs,
                            secrets);
            String fund = fundRisk.join();
            progress(started, "both jobs submitted");

            Await.until(
                    "every admitted activity event is in ClickHouse",
                    Duration.ofMinutes(3),
                    () ->
                            warehouse.count("SELECT count() FROM pulse.learning_events FINAL")
                                    == events);
            Await.until(
                    "fund transactions are in ClickHouse",
                    Duration.ofMinutes(2),
                    () -> warehouse.count("SELECT count() FROM pulse.fund_transactions") > 0);
            // The production config checkpoints every 30 s: until then there is no last one.
            Await.until(
                    "a checkpoint of each job completed",
                    Duration.ofMinutes(3),
                    () ->
                            count(
                                            checks,
                                            "flink_jobmanager_job_numberOfCompletedCheckpoints"
                                                    + " >= 1")
                                    == 2);
            progress(started, "rows in ClickHouse, a checkpoint of each job completed");
            assertThat(cluster.jobStatus(participation)).isEqualTo("RUNNING");
            assertThat(cluster.jobStatus(fund)).isEqualTo("RUNNING");
            Await.until(
                    "the last scrape of every reporter succeeded",
                    Duration.ofSeconds(60),
                    () ->
                            count(checks, "up{job=\"" + PrometheusServer.SCRAPE_JOB + "\"} == 1")
                                    == targets.size());

            // The job variable offers the two jobs, named as the reporter names them.
            List<String> jobs = checks.options(DASHBOARD, "job");
            String participationLabel = label(jobs, ParticipationJob.NAME);
            String fundRiskLabel = label(jobs, FundRiskJob.NAME);
            assertThat(jobs).containsExactlyInAnyOrder(participationLabel, fundRiskLabel);

            DashboardQueryChecks.assertAll(
                    checks.variables(),
                    checks.panels(Map.of()),
                    checks.panels(Map.of("job", List.of(participationLabel))),
                    checks.panels(Map.of("job", List.of(fundRiskLabel))));
            progress(started, "every PromQL target returned series, for All and for each job");

            assertValuesAgreeWithTheFacts(
                    checks, world, events, endpoints.kafkaBootstrap(), participationLabel);
            assertThat(cluster.jobStatus(participation)).isEqualTo("RUNNING");
            assertThat(cluster.jobStatus(fund)).isEqualTo("RUNNING");
            progress(started, "values agree with the truth, the topics and Kafka's offsets");
        } finally {
            if (prometheus != null) {
                prometheus.close();
            }
            cluster.down();
        }
        assertThat(cluster.status()).isEmpty();
    }

    private static void assertValuesAgreeWithTheFacts(
            PromQueryChecks checks,
            GeneratedWorld world,
            long events,
            String bootstrap,
            String participation)
            throws Exception {
        Map<String, List<String>> all = Map.of();

        // No fault was injected: no job restarted, so no row was replayed into a counter.
        for (JsonNode series : checks.series(DASHBOARD, "Restarts/A", all)) {
            assertThat(PromQueryChecks.value(series))
                    .as("restarts of " + series.path("metric"))
                    .isZero();
        }
        // The sink counted each admitted event once for learning_events: the truth's number.
        String written =
                "sum("
                        + TM
                        + "rowsWritten{job_name=\""
                        + participation
                        + "\", operator_name=~\".*learning_events.*\"})";
        Await.until(
                "rowsWritten of learning_events reaches the truth's " + events,
                Duration.ofSeconds(30),
                () -> sum(checks.result(written, "rowsWritten")) == events);

        // The per-topic panels carry exactly the topics the jobs were given.
        Map<String, String> reported = new TreeMap<>();
        for (Topic topic : READ) {
            String name = world.topic(topic);
            reported.put(name, reportedLabel(checks, name));
        }
        Set<String> read = topics(checks.series(DASHBOARD, "Records read per topic/A", all));
        assertThat(read)
                .as("topics of 'Records read per topic'")
                .containsExactlyInAnyOrderElementsOf(reported.values());
        Set<String> lagged =
                topics(checks.series(DASHBOARD, "Kafka consumer lag per topic/A", all));
        assertThat(lagged)
                .as("topics of 'Kafka consumer lag per topic'")
                .contains(
                        reported.get(world.topic(Topic.LEARNING_ACTIVITY)),
                        reported.get(world.topic(Topic.FUND_TRANSACTIONS)))
                .isSubsetOf(reported.values());

        // Everything was read: each activity partition's last offset read is Kafka's end offset
        // minus one, and the lag the dashboard shows for the topic is zero.
        String activity = world.topic(Topic.LEARNING_ACTIVITY);
        Map<Integer, Long> ends = endOffsets(bootstrap, activity);
        String positions =
                TM
                        + "KafkaSourceReader_topic_partition_currentOffset{topic=\""
                        + reported.get(activity)
                        + "\"}";
        Await.until(
                "the activity topic is read to its end " + ends,
                Duration.ofSeconds(30),
                () -> nextOffsets(checks.result(positions, "currentOffset")).equals(ends));
        for (JsonNode series : checks.series(DASHBOARD, "Kafka consumer lag per topic/A", all)) {
            if (series.path("metric").path("topic").asText().equals(reported.get(activity))) {
                assertThat(PromQueryChecks.value(series))
                        .as("lag of " + activity + " once it is read to its end")
                        .isZero();
            }
        }
    }

    /** The topic label of every series. */
    private static Set<String> topics(JsonNode result) {
        Set<String> topics = new TreeSet<>();
        result.forEach(s -> topics.add(s.path("metric").path("topic").asText()));
        return topics;
    }

    /** Per partition, the offset after the last one the source read (currentOffset + 1). */
    private static Map<Integer, Long> nextOffsets(JsonNode result) {
        Map<Integer, Long> next = new HashMap<>();
        for (JsonNode series : result) {
            next.merge(
                    series.path("metric").path("partition").asInt(),
                    (long) PromQueryChecks.value(series) + 1,
                    Math::max);
        }
        return next;
    }

    private static Map<Integer, Long> endOffsets(String bootstrap, String topic) throws Exception {
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            int partitions =
                    admin.describeTopics(List.of(topic))
                            .allTopicNames()
                            .get()
                            .get(topic)
                            .partitions()
                            .size();
            Map<TopicPartition, OffsetSpec> wanted = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                wanted.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            return admin.listOffsets(wanted).all().get().entrySet().stream()
                    .collect(
                            Collectors.toMap(
                                    e -> e.getKey().partition(), e -> e.getValue().offset()));
        }
    }

    /**
     * A name as the reporter labels it: as it is, or with every character outside {@code
     * [a-zA-Z0-9:_]} replaced by {@code _} when the reporter filters label values (its default).
     */
    private static String label(List<String> reported, String name) {
        String filtered = name.replaceAll("[^a-zA-Z0-9:_]", "_");
        assertThat(reported).as("labels reported for " + name).containsAnyOf(name, filtered);
        return reported.contains(name) ? name : filtered;
    }

    private static String reportedLabel(PromQueryChecks checks, String topic) {
        List<String> topics =
                new ArrayList<>(
                        topics(
                                checks.result(
                                        "count by (topic) ("
                                                + TM
                                                + "KafkaSourceReader_topic_partition_currentOffset)",
                                        "topics")));
        return label(topics, topic);
    }

    private static long count(PromQueryChecks checks, String promql) {
        return checks.result(promql, promql).size();
    }

    private static double sum(JsonNode result) {
        double sum = 0;
        for (JsonNode series : result) {
            sum += PromQueryChecks.value(series);
        }
        return sum;
    }

    private static void progress(long started, String what) {
        System.out.printf(
                "[flink-runtime] %5.1f s %s%n", (System.nanoTime() - started) / 1e9, what);
    }
}
