package org.lifelongpulse.fundrisk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.lifelongpulse.cli.backtest.AlertDiff;
import org.lifelongpulse.cli.backtest.Backtest;
import org.lifelongpulse.cli.backtest.TrialSettings;
import org.lifelongpulse.contracts.Topic;
import org.lifelongpulse.fundrisk.records.AlertRow;
import org.lifelongpulse.generator.ThresholdTrial;
import org.lifelongpulse.generator.World;
import org.lifelongpulse.jobs.JobEnvironment;
import org.lifelongpulse.jobs.JobSecrets;
import org.lifelongpulse.stack.Endpoints;
import org.lifelongpulse.stack.testing.LocalStackExtension;
import org.lifelongpulse.testutils.Await;
import org.lifelongpulse.testutils.Flink;
import org.lifelongpulse.testutils.Warehouse;

/**
 * A back-test on the default world in real Kafka, after the live job has filled the live tables and
 * the live alerts topic (R2 episodes kept open for the whole world, so that an R2 alert is an
 * institution's first charge over the limit, as the generator's evaluation states it): lowering
 * R2's limit for one charge from 5,000 to 3,000 yuan gains exactly the alerts the generator's own
 * evaluation under that limit adds (and loses those it moves to an earlier first detection); the
 * replay with the live settings raises the alerts the live job raised; and afterwards every live
 * table, topic and consumer group is as it was, byte for byte.
 */
@ExtendWith(LocalStackExtension.class)
class BacktestITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = Flink.miniCluster(null);

    private static final long DAY = Duration.ofDays(1).toMillis();

    /** The tables the fund-risk job writes, and the history tables of #14. */
    private static final List<String> LIVE_TABLES =
            List.of(
                    "fund_transactions",
                    "institutions",
                    "institution_ledger",
                    "institution_ledger_minute",
                    "risk_alerts",
                    "institution_risk",
                    "dead_letters",
                    "duplicate_events",
                    "alert_versions",
                    "alert_actions");

    @Test
    void aLowerChargeLimitGainsExactlyTheAlertsTheTruthPredictsAndTouchesNothingLive(
            Endpoints endpoints, @TempDir Path out) throws Exception {
        FundRiskRun run = FundRiskRun.prepare(endpoints, 6);
        // R2 is an incident rule: its alert stays open until a supervisor closes it, so each
        // institution has one R2 alert, started by its first charge over the limit
        run.runJob("fund-risk live, before the back-test", ledger -> ledger);
        World world = run.world.world();
        LiveState before = LiveState.read(endpoints, run);
        assertThat(before.tables.get("risk_alerts")).doesNotStartWith("0|");

        // a period that starts three days into the world (the replays still read what comes
        // before it; most institutions sell over 3,000 yuan within days, so about a hundred first
        // such sales fall inside) and ends a week before the world does (later transactions are
        // left out of the replay)
        Instant from = Instant.ofEpochMilli(world.parameters().fundStartMillis() + 3 * DAY);
        Instant to = Instant.ofEpochMilli(world.parameters().fundEndMillis() - 7 * DAY);
        Configuration job =
                Flink.jobConfiguration(endpoints.kafkaBootstrap(), run.world.prefix(), true);
        job.set(JobSecrets.ID_HASH_SECRET, "backtest-it-hash-key");
        TrialSettings settings =
                TrialSettings.of(Map.of(), null, List.of("R2.max_amount_yuan=3000"), Instant.now());
        List<String> progress = new ArrayList<>();
        Backtest.Result result =
                new Backtest(
                                job,
                                line -> {
                                    progress.add(line);
                                    System.out.println("[backtest] " + line);
                                },
                                Duration.ofSeconds(2),
                                JobEnvironment::of)
                        .run(settings, from, to);
        AlertDiff diff = result.diff();

        // the prediction: the generator's evaluation of the world, at RULES.md's limit and at 3,000
        Set<String> atDefaults = inPeriod(ThresholdTrial.defaults().fired(world), from, to);
        Set<String> at3000 =
                inPeriod(
                        ThresholdTrial.defaults().with("R2.max_amount_yuan", 3000).fired(world),
                        from,
                        to);
        Set<String> gained = new TreeSet<>(at3000);
        gained.removeAll(atDefaults);
        Set<String> lost = new TreeSet<>(atDefaults);
        lost.removeAll(at3000);
        assertThat(gained).as("the truth predicts new R2 alerts").hasSizeGreaterThan(50);
        assertThat(gained).allSatisfy(a -> assertThat(a).startsWith("R2|"));

        Warehouse.assertSameRows("gained alerts", gained, keys(diff.gained(), true));
        Warehouse.assertSameRows("lost alerts", lost, keys(diff.lost(), false));
        assertThat(diff.severityChanged()).as("R2 is RED at any limit").isEmpty();
        assertThat(diff.trialAlerts() - diff.liveAlerts()).isEqualTo(gained.size() - lost.size());

        // the live replay is the live job: the same enforced alerts (up to a day before the end
        // of the period, where the replay's watermark stops short of the world's)
        Map<String, AlertRow> latest = new TreeMap<>();
        for (AlertRow a : result.liveAlerts()) {
            if (!a.shadow() && a.firstDetectedAt() < to.toEpochMilli() - DAY) {
                latest.merge(a.alertId(), a, (x, y) -> x.version() >= y.version() ? x : y);
            }
        }
        Set<String> replayed =
                latest.values().stream()
                        .map(a -> a.alertId() + "|" + a.severity())
                        .collect(Collectors.toCollection(TreeSet::new));
        Set<String> liveTable =
                run.warehouse.rowSet(
                        "SELECT alert_id, toString(severity) FROM pulse.risk_alerts FINAL"
                                + " WHERE shadow = 0 AND toUnixTimestamp(first_detected_at) < "
                                + (to.toEpochMilli() - DAY) / 1000);
        Warehouse.assertSameRows("live replay vs the live job's alerts", liveTable, replayed);

        // the report: progress on stderr, every change in the CSV, the totals in the JSON
        assertThat(progress).anyMatch(l -> l.matches("live settings: [\\d,]+ / [\\d,]+ .*"));
        assertThat(result.live().transactionsRead())
                .isEqualTo(run.world.topicTruth(Topic.FUND_TRANSACTIONS).path("messages").asLong());
        diff.write(out, settings, result.replays());
        List<String> csv = Files.readAllLines(out.resolve("alerts.csv"), StandardCharsets.UTF_8);
        assertThat(csv).hasSize(1 + gained.size() + lost.size());
        assertThat(csv.stream().filter(l -> l.startsWith("gained,R2-"))).hasSize(gained.size());
        String json = Files.readString(out.resolve("diff.json"));
        assertThat(json).contains("\"gained\" : " + gained.size());

        // nothing live changed: tables, topics (end offsets, alert bytes), consumer groups
        Await.until(
                "the scratch rules topics are deleted",
                Duration.ofSeconds(30),
                () -> topics(endpoints).stream().noneMatch(t -> t.startsWith("pulse-backtest-")));
        LiveState after = LiveState.read(endpoints, run);
        assertThat(after.tables).isEqualTo(before.tables);
        assertThat(after.endOffsets).isEqualTo(before.endOffsets);
        assertThat(after.alertsDigest).isEqualTo(before.alertsDigest);
        assertThat(after.groups).isEqualTo(before.groups);
    }

    /** {@code RULE|INSTITUTION|firstDetectedMillis|SEVERITY} of the fired rules in the period. */
    private static Set<String> inPeriod(Set<ThresholdTrial.Fired> fired, Instant from, Instant to) {
        return fired.stream()
                .filter(
                        f ->
                                f.firstDetectedAt() >= from.toEpochMilli()
                                        && f.firstDetectedAt() < to.toEpochMilli())
                .map(
                        f ->
                                f.ruleId()
                                        + "|"
                                        + f.institutionId()
                                        + "|"
                                        + f.firstDetectedAt()
                                        + "|"
                                        + f.severity())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> keys(List<AlertDiff.Change> changes, boolean trialSide) {
        Set<String> keys = new TreeSet<>();
        for (AlertDiff.Change c : changes) {
            AlertRow a = trialSide ? c.trial() : c.live();
            keys.add(
                    a.ruleId()
                            + "|"
                            + a.institutionId()
                            + "|"
                            + a.firstDetectedAt()
                            + "|"
                            + a.severity());
        }
        return keys;
    }

    private static Set<String> topics(Endpoints endpoints) {
        try (Admin admin = admin(endpoints)) {
            return admin.listTopics().names().get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Admin admin(Endpoints endpoints) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.kafkaBootstrap());
        return Admin.create(props);
    }

    /**
     * What the live side holds: per table its row count and a checksum of every row; per topic of
     * the world its end offsets; a digest of every byte on the alerts topic; every consumer group's
     * committed offsets.
     */
    private record LiveState(
            Map<String, String> tables,
            Map<String, Long> endOffsets,
            String alertsDigest,
            Map<String, Map<String, Long>> groups) {

        static LiveState read(Endpoints endpoints, FundRiskRun run) throws Exception {
            Map<String, String> tables = new TreeMap<>();
            for (String table : LIVE_TABLES) {
                tables.put(
                        table,
                        String.join(
                                "|",
                                run.warehouse
                                        .admin()
                                        .rows(
                                                "SELECT count(), sum(cityHash64(*)) FROM pulse."
                                                        + table)
                                        .get(0)));
            }
            Map<String, Long> ends = new TreeMap<>();
            Map<String, Map<String, Long>> groups = new TreeMap<>();
            String digest;
            try (Admin admin = admin(endpoints);
                    KafkaConsumer<byte[], byte[]> consumer = consumer(endpoints)) {
                List<TopicPartition> partitions = new ArrayList<>();
                for (String topic : admin.listTopics().names().get()) {
                    if (!topic.startsWith("pulse-backtest-")) {
                        consumer.partitionsFor(topic)
                                .forEach(
                                        p ->
                                                partitions.add(
                                                        new TopicPartition(
                                                                p.topic(), p.partition())));
                    }
                }
                consumer.endOffsets(partitions).forEach((p, o) -> ends.put(p.toString(), o));
                for (ConsumerGroupListing g : admin.listConsumerGroups().all().get()) {
                    Map<String, Long> offsets = new TreeMap<>();
                    admin.listConsumerGroupOffsets(g.groupId())
                            .partitionsToOffsetAndMetadata()
                            .get()
                            .forEach((p, o) -> offsets.put(p.toString(), o.offset()));
                    // a group that committed nothing holds no offset to protect
                    if (!offsets.isEmpty()) {
                        groups.put(g.groupId(), offsets);
                    }
                }
                digest = digest(consumer, run.settings.alertsTopic());
            }
            return new LiveState(tables, ends, digest, groups);
        }

        private static KafkaConsumer<byte[], byte[]> consumer(Endpoints endpoints) {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.kafkaBootstrap());
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
            return new KafkaConsumer<>(
                    props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }

        /** SHA-256 over every record of the topic: partition, offset, key and value bytes. */
        private static String digest(KafkaConsumer<byte[], byte[]> consumer, String topic)
                throws Exception {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition()))
                            .sorted(java.util.Comparator.comparingInt(TopicPartition::partition))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> read =
                    new TreeMap<>(java.util.Comparator.comparingInt(TopicPartition::partition));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                assertThat(System.nanoTime()).as("alerts topic read in time").isLessThan(deadline);
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    read.computeIfAbsent(
                                    new TopicPartition(r.topic(), r.partition()),
                                    p -> new ArrayList<>())
                            .add(r);
                }
            }
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            long records = 0;
            for (var e : read.entrySet()) {
                for (ConsumerRecord<byte[], byte[]> r : e.getValue()) {
                    sha.update((r.partition() + "@" + r.offset()).getBytes(StandardCharsets.UTF_8));
                    if (r.key() != null) {
                        sha.update(r.key());
                    }
                    if (r.value() != null) {
                        sha.update(r.value());
                    }
                    records++;
                }
            }
            assertThat(records).as("the live alerts topic holds alerts").isPositive();
            return records + ":" + HexFormat.of().formatHex(sha.digest());
        }
    }
}
