package org.lifelongpulse.fundrisk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.lifelongpulse.adapters.DeadLetterStores;
import org.lifelongpulse.adapters.kafka.KafkaSources;
import org.lifelongpulse.avro.RiskAlert;
import org.lifelongpulse.contracts.ContractDecoder;
import org.lifelongpulse.contracts.Topic;
import org.lifelongpulse.contracts.Validation;
import org.lifelongpulse.contracts.WireFormat;
import org.lifelongpulse.fundrisk.records.LedgerRow;
import org.lifelongpulse.generator.WorldParameters;
import org.lifelongpulse.jobs.JobEnvironment;
import org.lifelongpulse.ops.clickhouse.ClickHouseHttp;
import org.lifelongpulse.ops.kafka.KafkaTopics;
import org.lifelongpulse.stack.ClickHouseAccounts;
import org.lifelongpulse.stack.Endpoints;
import org.lifelongpulse.testutils.Flink;
import org.lifelongpulse.testutils.GeneratedWorld;
import org.lifelongpulse.testutils.RawIdSearch;
import org.lifelongpulse.testutils.Warehouse;

/**
 * One end-to-end run of the fund-risk job for the integration tests: a generated world with the
 * default 300 institutions (so every scripted scenario sits where the default world puts it) in a
 * real Kafka, the job bounded on the MiniCluster, real ClickHouse; and the checks of its results
 * against the generator's truth (also used for a run on a real cluster).
 */
public final class FundRiskRun {

    public static final String[] TABLES = {
        "fund_transactions",
        "institutions",
        "institution_ledger",
        "institution_ledger_minute",
        "risk_alerts",
        "alert_versions",
        "alert_actions",
        "institution_risk",
        "dead_letters",
        "duplicate_events"
    };

    final Endpoints endpoints;
    final GeneratedWorld world;
    final Warehouse warehouse;
    final FundRiskOptions.Settings settings;

    private FundRiskRun(Endpoints endpoints, GeneratedWorld world, Warehouse warehouse) {
        this.endpoints = endpoints;
        this.world = world;
        this.warehouse = warehouse;
        this.settings = FundRiskJob.settings(configuration("it-fund-risk"));
    }

    /** The default world's fund side, a small activity side, sent to Kafka; tables emptied. */
    static FundRiskRun prepare(Endpoints endpoints, long seed) throws Exception {
        WorldParameters parameters = WorldParameters.defaults(seed).withLearners(1_000, 2_000);
        GeneratedWorld world = GeneratedWorld.sendTo(endpoints.kafkaBootstrap(), parameters);
        Warehouse warehouse = Warehouse.of(endpoints).withEmptyTables(TABLES);
        warehouse.admin().execute("TRUNCATE TABLE " + DeadLetterStores.RESTRICTED_TABLE);
        return forWorld(endpoints, world, warehouse);
    }

    /**
     * A run on a world sent (or being sent) by the caller, into tables the caller emptied: creates
     * the job's other topics (rule settings, alerts, dead letters) under the world's prefix.
     */
    public static FundRiskRun forWorld(
            Endpoints endpoints, GeneratedWorld world, Warehouse warehouse) throws Exception {
        FundRiskRun run = new FundRiskRun(endpoints, world, warehouse);
        run.createTopics();
        return run;
    }

    private void createTopics() {
        KafkaTopics.ensure(endpoints.kafkaBootstrap(), world.prefix(), 2, (short) 1);
    }

    /**
     * Runs the production job (as {@code defineProduction} wires it, reading the reference topics
     * from the earliest offset) to the end of its bounded input, with a hook on the ledger rows.
     */
    void runJob(String jobName, UnaryOperator<DataStream<LedgerRow>> ledgerHook) throws Exception {
        Configuration config = configuration("it-" + jobName);
        StreamExecutionEnvironment env = JobEnvironment.of(config);
        FundRiskOutputs production = FundRiskSinks.production(config);
        FundRiskOutputs outputs =
                new FundRiskOutputs(
                        production.transactions(),
                        production.institutions(),
                        s -> production.ledger().accept(ledgerHook.apply(s)),
                        production.alerts(),
                        production.actions(),
                        production.risk(),
                        production.duplicates(),
                        production.deadLetters());
        FundRiskJob.define(env, config, KafkaSources.topics(config), outputs);
        env.execute(jobName);
    }

    /** The job's configuration: the world's topics, the test ClickHouse, three restarts. */
    Configuration configuration(String group) {
        Configuration config =
                warehouse.sinkOptions(
                        Flink.jobConfiguration(endpoints.kafkaBootstrap(), world.prefix(), true));
        config.set(FundRiskOptions.GROUP_ID, group);
        return JobEnvironment.restarts(config, 3, Duration.ofMillis(200));
    }

    JsonNode truth() {
        return world.truth();
    }

    /**
     * Alerts per (rule, institution): first detection to the second and highest severity over all
     * its alert episodes (the truth's {@code must_fire}), and nothing on the near misses.
     */
    public void assertAlertsEqualTruth() {
        Set<String> expected = new TreeSet<>();
        for (JsonNode a : truth().path("alerts").path("must_fire")) {
            expected.add(
                    a.path("rule_id").asText()
                            + "|"
                            + a.path("institution_id").asText()
                            + "|"
                            + epochSeconds(a.path("first_detected_at").asText())
                            + "|"
                            + a.path("severity").asText());
        }
        assertThat(expected).as("the truth has alerts to find").hasSizeGreaterThan(20);
        Set<String> actual =
                warehouse.rowSet(
                        "SELECT rule_id, institution_id, toUnixTimestamp(min(first_detected_at)),"
                            + " toString(max(severity)) FROM pulse.risk_alerts FINAL WHERE shadow ="
                            + " 0 GROUP BY rule_id, institution_id");
        Warehouse.assertSameRows(
                "alerts (rule, institution, first detected, severity)", expected, actual);
        assertNearMissesFireNothing();
    }

    /**
     * Every alert episode of the truth is one ENFORCE row, and there is no other: its id, rule,
     * institution, first detection to the second, highest severity and final status, and for a
     * resolved alert its last detection (an open alert's row keeps the last detection of its latest
     * version, which need not be the last hold); nothing on the near misses.
     */
    public void assertEpisodesEqualTruth() {
        Set<String> expected = new TreeSet<>();
        for (JsonNode e : truth().path("alerts").path("episodes")) {
            String status = e.path("status").asText();
            expected.add(
                    String.join(
                            "|",
                            e.path("alert_id").asText(),
                            e.path("rule_id").asText(),
                            e.path("institution_id").asText(),
                            String.valueOf(epochSeconds(e.path("first_detected_at").asText())),
                            e.path("severity").asText(),
                            status,
                            "RESOLVED".equals(status)
                                    ? String.valueOf(
                                            epochSeconds(e.path("last_detected_at").asText()))
                                    : ""));
        }
        assertThat(expected).as("the truth has episodes to find").hasSizeGreaterThan(20);
        Set<String> actual =
                warehouse.rowSet(
                        "SELECT alert_id, rule_id, institution_id,"
                                + " toUnixTimestamp(first_detected_at), toString(severity),"
                                + " toString(status), if(status = 'RESOLVED',"
                                + " toString(toUnixTimestamp(last_detected_at)), '')"
                                + " FROM pulse.risk_alerts FINAL WHERE shadow = 0");
        Warehouse.assertSameRows(
                "alert episodes (id, rule, institution, first detected, severity, status,"
                        + " last detected if resolved)",
                expected,
                actual);
        assertNearMissesFireNothing();
    }

    /** No alert at all on a near miss of YELLOW, no RED one on a near miss of RED. */
    private void assertNearMissesFireNothing() {
        for (JsonNode miss : truth().path("alerts").path("must_not_fire")) {
            String level = miss.path("severity").asText();
            long found =
                    warehouse.count(
                            "SELECT count() FROM pulse.risk_alerts FINAL"
                                    + " WHERE rule_id = '"
                                    + miss.path("rule_id").asText()
                                    + "' AND institution_id = '"
                                    + miss.path("institution_id").asText()
                                    + "'"
                                    + ("RED".equals(level) ? " AND severity = 'RED'" : ""));
            assertThat(found).as("near miss " + miss).isZero();
        }
    }

    /** Every institution's ledger equals the manifest's to the fen. */
    public void assertLedgersEqualTruth() {
        Set<String> expected = new TreeSet<>();
        for (JsonNode l : truth().path("ledgers")) {
            if (l.path("collected_fen").asLong() == 0
                    && l.path("delivered_fen").asLong() == 0
                    && l.path("escrow_fen").asLong() == 0) {
                continue; // an institution without transactions has no ledger row
            }
            JsonNode coverage = l.path("coverage");
            expected.add(
                    l.path("institution_id").asText()
                            + "|"
                            + l.path("collected_fen")
                            + "|"
                            + l.path("delivered_fen")
                            + "|"
                            + l.path("refunded_fen")
                            + "|"
                            + l.path("refund_pending_fen")
                            + "|"
                            + l.path("liability_fen")
                            + "|"
                            + l.path("escrow_fen")
                            + "|"
                            + l.path("released_fen")
                            + "|"
                            + (coverage.isNull()
                                    ? "inf"
                                    : String.format(
                                            java.util.Locale.ROOT, "%.4f", coverage.asDouble())));
        }
        Set<String> actual = new TreeSet<>();
        for (List<String> r :
                warehouse
                        .admin()
                        .rows(
                                "SELECT institution_id, collected_fen, delivered_fen, refunded_fen,"
                                        + " refund_pending_fen, liability_fen, escrow_fen,"
                                        + " released_fen, coverage FROM pulse.institution_ledger"
                                        + " FINAL")) {
            double coverage = Double.parseDouble(r.get(8).replace("inf", "Infinity"));
            actual.add(
                    String.join("|", r.subList(0, 8))
                            + "|"
                            + (Double.isInfinite(coverage)
                                    ? "inf"
                                    : String.format(
                                            java.util.Locale.ROOT,
                                            "%.4f",
                                            Math.round(coverage * 10_000) / 10_000.0)));
        }
        Warehouse.assertSameRows("institution ledgers", expected, actual);
    }

    /** Dead letters and dropped resends match the generator's fault counts. */
    public void assertFaultsAccountedFor() {
        JsonNode fund = world.topicTruth(Topic.FUND_TRANSACTIONS);
        String topic = world.topic(Topic.FUND_TRANSACTIONS);
        assertThat(
                        warehouse.count(
                                "SELECT count() FROM pulse.dead_letters FINAL"
                                        + " WHERE source_topic = '"
                                        + topic
                                        + "'"))
                .as("dead letters")
                .isEqualTo(fund.path("malformed").asLong());
        assertThat(
                        warehouse.count(
                                "SELECT count() FROM pulse.duplicate_events FINAL"
                                        + " WHERE source_topic = '"
                                        + topic
                                        + "'"))
                .as("duplicates")
                .isEqualTo(fund.path("duplicates").asLong());
        assertThat(warehouse.count("SELECT count() FROM pulse.fund_transactions FINAL"))
                .as("distinct transactions")
                .isEqualTo(fund.path("distinct_valid").asLong());
        assertThat(
                        warehouse.count(
                                "SELECT count() FROM pulse.fund_transactions"
                                        + " WHERE payer_hash LIKE 'P%'"))
                .as("no payer id in clear")
                .isZero();
        assertThat(
                        warehouse.count(
                                "SELECT count() FROM pulse.fund_transactions"
                                        + " WHERE card_id LIKE 'C%'"))
                .as("no card id in clear")
                .isZero();
        assertThat(
                        warehouse.count(
                                "SELECT count() FROM pulse.fund_transactions"
                                        + " WHERE card_id IS NOT NULL"))
                .as("card ids are there, hashed")
                .isPositive();
    }

    /**
     * No raw learner, payer or card id of the world in any column of any table the read-only
     * account can read, after a run with validate-stage and undecodable dead letters; the letters
     * as received are in the restricted store, which the reader may not read and the search finds
     * the raw ids in as the admin.
     */
    public void assertNoRawIdReadable() {
        JsonNode fund = world.topicTruth(Topic.FUND_TRANSACTIONS);
        String topic = world.topic(Topic.FUND_TRANSACTIONS);
        assertThat(fund.path("invalid").asLong()).as("the world has invalid letters").isPositive();
        assertThat(fund.path("garbage").asLong()).as("and undecodable ones").isPositive();
        assertThat(
                        warehouse.rowSet(
                                "SELECT stage, count(), countIf(raw = '') FROM pulse.dead_letters"
                                        + " FINAL WHERE source_topic = '"
                                        + topic
                                        + "' GROUP BY stage"))
                .as("validate letters keep their (redacted) record, decode letters nothing")
                .containsExactlyInAnyOrder(
                        "validate|" + fund.path("invalid").asLong() + "|0",
                        "decode|"
                                + fund.path("garbage").asLong()
                                + "|"
                                + fund.path("garbage").asLong());
        assertThat(
                        warehouse.count(
                                "SELECT count() FROM "
                                        + DeadLetterStores.RESTRICTED_TABLE
                                        + " FINAL WHERE source_topic = '"
                                        + topic
                                        + "' AND raw != ''"))
                .as("every letter as received in the restricted store")
                .isEqualTo(fund.path("malformed").asLong());

        Set<String> ids = RawIdSearch.rawIds(world.world());
        assertThat(ids)
                .as("learner, payer and card ids to look for")
                .anyMatch(id -> id.startsWith("L"))
                .anyMatch(id -> id.startsWith("P"))
                .anyMatch(id -> id.startsWith("C"));
        ClickHouseAccounts.Account reader = endpoints.accounts().reader();
        RawIdSearch.Result asReader =
                RawIdSearch.search(
                        new ClickHouseHttp(
                                endpoints.clickHouseUrl(), reader.user(), reader.password()),
                        ids);
        assertThat(asReader.readable())
                .as("tables the reader reads")
                .contains("pulse.dead_letters", "pulse.fund_transactions", "pulse.risk_alerts");
        assertThat(asReader.readable()).doesNotContain(DeadLetterStores.RESTRICTED_TABLE);
        assertThat(asReader.hits())
                .as("raw ids readable by " + reader.user() + ", per table")
                .isEmpty();

        assertThat(
                        RawIdSearch.searchTable(
                                warehouse.admin(), DeadLetterStores.RESTRICTED_TABLE, ids))
                .as("the search finds raw ids where they are: the restricted store, as the admin")
                .isNotEmpty();
    }

    /**
     * The alerts topic, read committed, holds every version of every ENFORCE alert exactly once,
     * and its latest versions are the rows in ClickHouse.
     */
    public void assertAlertTopicHoldsEachVersionOnce() {
        List<RiskAlert> published = readAlerts();
        Set<String> versions = new HashSet<>();
        for (RiskAlert a : published) {
            assertThat(versions.add(a.getAlertId() + "#" + a.getVersion()))
                    .as("published once: " + a.getAlertId() + " v" + a.getVersion())
                    .isTrue();
            assertThat(a.getShadow()).isFalse();
        }
        Map<String, Long> latest = new HashMap<>();
        for (RiskAlert a : published) {
            latest.merge(a.getAlertId(), a.getVersion(), Math::max);
        }
        for (Map.Entry<String, Long> e : latest.entrySet()) {
            for (long v = 1; v <= e.getValue(); v++) {
                assertThat(versions)
                        .as("versions of " + e.getKey() + " have no gap")
                        .contains(e.getKey() + "#" + v);
            }
        }
        Set<String> expected = new TreeSet<>();
        latest.forEach((id, v) -> expected.add(id + "|" + v));
        Set<String> stored =
                warehouse.rowSet(
                        "SELECT alert_id, version FROM pulse.risk_alerts"
                                + " FINAL WHERE shadow = 0");
        Warehouse.assertSameRows("alerts on the topic vs in ClickHouse", stored, expected);
        assertThat(warehouse.count("SELECT count() FROM pulse.risk_alerts FINAL"))
                .as("one row per alert id")
                .isEqualTo(warehouse.count("SELECT uniqExact(alert_id) FROM pulse.risk_alerts"));
    }

    /** Every alert version on the alerts topic, read committed. */
    List<RiskAlert> readAlerts() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.kafkaBootstrap());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        ContractDecoder<RiskAlert> decoder =
                new ContractDecoder<>(
                        WireFormat.of(RiskAlert.class), new Validation(Duration.ofDays(36_500)));
        List<RiskAlert> alerts = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(settings.alertsTopic()).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read the alerts topic to its end");
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    var decoded =
                            decoder.decode(
                                    r.topic(), r.partition(), r.offset(), r.value(), Instant.now());
                    assertThat(decoded.isValid()).as("alert decodes").isTrue();
                    assertThat(r.key()).isEqualTo(decoded.value().getAlertId());
                    alerts.add(decoded.value());
                }
            }
        }
        return alerts;
    }

    static long epochSeconds(String iso) {
        return OffsetDateTime.parse(iso).toEpochSecond();
    }
}
