package org.lifelongpulse.cli.drill;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.lifelongpulse.avro.RiskAlert;
import org.lifelongpulse.contracts.ContractDecoder;
import org.lifelongpulse.contracts.Topic;
import org.lifelongpulse.contracts.Validation;
import org.lifelongpulse.contracts.WireFormat;
import org.lifelongpulse.ops.clickhouse.ClickHouseHttp;

/**
 * Compares what both jobs wrote — every result table and the alerts topic — with a world's ground
 * truth (the generator's manifest), table by table: rows expected, found, missing and extra. The
 * expected side comes only from the manifest; learner ids are hashed here with the key the jobs
 * were given, independently of the jobs' code.
 */
public final class Reconciliation {

    /** One comparison: a table (or a figure of it) and how it differs from the truth. */
    public record Verdict(
            String what,
            long expected,
            long found,
            long missing,
            long extra,
            List<String> examples) {

        public boolean exact() {
            return missing == 0 && extra == 0;
        }
    }

    private final ClickHouseHttp clickHouse;
    private final String kafkaBootstrap;
    private final String hashSecret;

    /**
     * @param clickHouse an account that can read {@code pulse.*}
     * @param hashSecret the id-hash key the jobs run with
     */
    public Reconciliation(ClickHouseHttp clickHouse, String kafkaBootstrap, String hashSecret) {
        this.clickHouse = clickHouse;
        this.kafkaBootstrap = kafkaBootstrap;
        this.hashSecret = hashSecret;
    }

    /** Every comparison, participation first, then fund risk, then data quality. */
    public List<Verdict> compare(JsonNode truth, long extraDeadLetters) {
        List<Verdict> verdicts = new ArrayList<>();
        verdicts.addAll(participation(truth));
        verdicts.addAll(fundRisk(truth));
        verdicts.addAll(dataQuality(truth, extraDeadLetters));
        return verdicts;
    }

    public static boolean allExact(List<Verdict> verdicts) {
        return verdicts.stream().allMatch(Verdict::exact);
    }

    List<Verdict> participation(JsonNode truth) {
        List<Verdict> out = new ArrayList<>();
        Set<String> minutes = new TreeSet<>();
        for (JsonNode r : truth.path("participation").path("rows")) {
            minutes.add(
                    seconds(r.get(0).asText())
                            + "|"
                            + r.get(1).asText()
                            + "|"
                            + r.get(2).asText()
                            + "|"
                            + r.get(3).asText()
                            + "|"
                            + r.get(4).asText()
                            + "|"
                            + r.get(5).asLong()
                            + "|"
                            + r.get(6).asLong()
                            + "|"
                            + r.get(7).asLong()
                            + "|"
                            + r.get(8).asLong());
        }
        out.add(
                rows(
                        "participation_minute",
                        minutes,
                        "SELECT toUnixTimestamp(minute),"
                                + " district, activity_type, channel, age_band, participant_visits,"
                                + " unique_learners, learning_seconds, credit_points"
                                + " FROM pulse.participation_minute FINAL"));
        long counted = truth.path("participation").path("events_counted").asLong();
        out.add(
                figure(
                        "learning_events (rows)",
                        counted,
                        "SELECT count() FROM pulse.learning_events FINAL"));
        out.add(
                figure(
                        "resource_minute (visits)",
                        counted,
                        "SELECT sum(visits) FROM pulse.resource_minute FINAL"));

        JsonNode campaign = truth.path("campaign");
        Set<String> totals = new TreeSet<>();
        totals.add("ALL|" + campaign.path("unique_learners").asLong());
        campaign.path("unique_learners_by_district")
                .fields()
                .forEachRemaining(e -> totals.add(e.getKey() + "|" + e.getValue().asLong()));
        out.add(
                rows(
                        "campaign_totals_minute (distinct)",
                        totals,
                        "SELECT scope, max(distinct_participants) FROM pulse.campaign_totals_minute"
                                + " FINAL WHERE campaign = '"
                                + campaign.path("campaign").asText()
                                + "' GROUP BY scope"));
        out.add(
                rows(
                        "campaign_totals_minute (new)",
                        totals,
                        "SELECT scope,"
                                + " sum(new_participants) FROM pulse.campaign_totals_minute FINAL"
                                + " WHERE campaign = '"
                                + campaign.path("campaign").asText()
                                + "' GROUP BY scope"));

        Set<String> funnel = new TreeSet<>();
        for (JsonNode f : truth.path("mooc_funnel")) {
            funnel.add(
                    f.path("resource_id").asText()
                            + "|"
                            + f.path("enrolled").asLong()
                            + "|"
                            + f.path("progressed").asLong()
                            + "|"
                            + f.path("completed").asLong());
        }
        out.add(
                rows(
                        "mooc_funnel_minute",
                        funnel,
                        "SELECT resource_id,"
                                + " argMax(enrolled, minute), argMax(progressed, minute),"
                                + " argMax(completed, minute) FROM pulse.mooc_funnel_minute FINAL"
                                + " WHERE resource_id LIKE 'MOOC-%' GROUP BY resource_id"));

        Set<String> completions = new TreeSet<>();
        for (JsonNode c : truth.path("route_completions")) {
            completions.add(
                    c.path("route_id").asText()
                            + "|"
                            + hash(c.path("learner_id").asText())
                            + "|"
                            + seconds(c.path("completed_at").asText()));
        }
        out.add(
                rows(
                        "route_completions",
                        completions,
                        "SELECT route_id, learner_hash, toUnixTimestamp(completed_at) FROM"
                                + " pulse.route_completions FINAL"));
        return out;
    }

    List<Verdict> fundRisk(JsonNode truth) {
        List<Verdict> out = new ArrayList<>();
        Set<String> alerts = new TreeSet<>();
        for (JsonNode a : truth.path("alerts").path("must_fire")) {
            alerts.add(
                    a.path("rule_id").asText()
                            + "|"
                            + a.path("institution_id").asText()
                            + "|"
                            + seconds(a.path("first_detected_at").asText())
                            + "|"
                            + a.path("severity").asText());
        }
        out.add(
                rows(
                        "risk_alerts (rule, institution, first, severity)",
                        alerts,
                        "SELECT rule_id, institution_id, toUnixTimestamp(min(first_detected_at)),"
                                + " toString(max(severity)) FROM pulse.risk_alerts FINAL"
                                + " WHERE shadow = 0 GROUP BY rule_id, institution_id"));

        // one alert per episode: id, status and highest severity as the truth says (not the
        // number of versions: the last deadlines of a bounded replay fire only if a watermark
        // happens to reach them before the input ends)
        Set<String> episodes = new TreeSet<>();
        for (JsonNode e : truth.path("alerts").path("episodes")) {
            episodes.add(
                    e.path("alert_id").asText()
                            + "|"
                            + seconds(e.path("first_detected_at").asText())
                            + "|"
                            + e.path("severity").asText()
                            + "|"
                            + e.path("status").asText());
        }
        out.add(
                rows(
                        "alert episodes (id, first, severity, status)",
                        episodes,
                        "SELECT alert_id, toUnixTimestamp(first_detected_at),"
                                + " toString(severity), toString(status)"
                                + " FROM pulse.risk_alerts FINAL WHERE shadow = 0"));

        Set<String> ledgers = new TreeSet<>();
        for (JsonNode l : truth.path("ledgers")) {
            if (l.path("collected_fen").asLong() == 0
                    && l.path("delivered_fen").asLong() == 0
                    && l.path("escrow_fen").asLong() == 0) {
                continue; // an institution without transactions has no ledger row
            }
            JsonNode coverage = l.path("coverage");
            ledgers.add(
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
                            + (coverage.isNull() ? "inf" : fourPlaces(coverage.asDouble())));
        }
        out.add(
                compare(
                        "institution_ledger",
                        ledgers,
                        read(
                                "SELECT institution_id, collected_fen, delivered_fen, refunded_fen,"
                                    + " refund_pending_fen, liability_fen, escrow_fen,"
                                    + " released_fen, coverage FROM pulse.institution_ledger FINAL",
                                r -> {
                                    double c =
                                            Double.parseDouble(r.get(8).replace("inf", "Infinity"));
                                    return String.join("|", r.subList(0, 8))
                                            + "|"
                                            + (Double.isInfinite(c)
                                                    ? "inf"
                                                    : fourPlaces(
                                                            Math.round(c * 10_000) / 10_000.0));
                                })));
        JsonNode fund = truth.path("topics").path(Topic.FUND_TRANSACTIONS.topicName());
        out.add(
                figure(
                        "fund_transactions (rows)",
                        fund.path("distinct_valid").asLong(),
                        "SELECT count() FROM pulse.fund_transactions FINAL"));
        out.add(alertTopic());
        return out;
    }

    List<Verdict> dataQuality(JsonNode truth, long extraDeadLetters) {
        List<Verdict> out = new ArrayList<>();
        JsonNode topics = truth.path("topics");
        JsonNode activity = topics.path(Topic.LEARNING_ACTIVITY.topicName());
        JsonNode fund = topics.path(Topic.FUND_TRANSACTIONS.topicName());
        out.add(
                figure(
                        "late_events",
                        truth.path("late_events").asLong(),
                        "SELECT count() FROM pulse.late_events FINAL"));
        out.add(
                figure(
                        "duplicate_events",
                        activity.path("duplicates").asLong() + fund.path("duplicates").asLong(),
                        "SELECT count() FROM pulse.duplicate_events FINAL"));
        out.add(
                figure(
                        "dead_letters",
                        activity.path("malformed").asLong()
                                + fund.path("malformed").asLong()
                                + extraDeadLetters,
                        "SELECT count() FROM pulse.dead_letters FINAL"));
        out.add(
                figure(
                        "dropped_events (behind a watermark)",
                        0,
                        "SELECT count() FROM pulse.dropped_events FINAL"));
        return out;
    }

    /**
     * The alerts topic, read committed: every version of every ENFORCE alert once, none missing
     * below the latest, and the latest versions equal to the rows in {@code risk_alerts}.
     */
    Verdict alertTopic() {
        Map<String, Long> latest = new HashMap<>();
        Set<String> seen = new HashSet<>();
        List<String> examples = new ArrayList<>();
        long repeated = 0;
        for (RiskAlert a : readAlerts()) {
            if (!seen.add(a.getAlertId() + "#" + a.getVersion())) {
                repeated++;
                examples.add("repeated " + a.getAlertId() + " v" + a.getVersion());
            }
            latest.merge(a.getAlertId().toString(), a.getVersion(), Math::max);
        }
        long gaps = 0;
        for (Map.Entry<String, Long> e : latest.entrySet()) {
            for (long v = 1; v <= e.getValue(); v++) {
                if (!seen.contains(e.getKey() + "#" + v)) {
                    gaps++;
                    examples.add("missing " + e.getKey() + " v" + v);
                }
            }
        }
        Set<String> onTopic = new TreeSet<>();
        latest.forEach((id, v) -> onTopic.add(id + "|" + v));
        Set<String> stored =
                new TreeSet<>(
                        read(
                                "SELECT alert_id, version"
                                        + " FROM pulse.risk_alerts FINAL WHERE shadow = 0",
                                r -> String.join("|", r)));
        Verdict versus = compare("", stored, onTopic);
        examples.addAll(versus.examples());
        return new Verdict(
                "fund.alerts.v1 (versions once, latest = table)",
                stored.size(),
                onTopic.size(),
                versus.missing() + gaps,
                versus.extra() + repeated,
                examples.stream().limit(6).toList());
    }

    private List<RiskAlert> readAlerts() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        ContractDecoder<RiskAlert> decoder =
                new ContractDecoder<>(
                        WireFormat.of(RiskAlert.class), new Validation(Duration.ofDays(36_500)));
        List<RiskAlert> alerts = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(Topic.RISK_ALERTS.topicName()).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    var decoded =
                            decoder.decode(
                                    r.topic(), r.partition(), r.offset(), r.value(), Instant.now());
                    if (decoded.isValid()) {
                        alerts.add(decoded.value());
                    }
                }
            }
        }
        return alerts;
    }

    private Verdict figure(String what, long expected, String sql) {
        String value = clickHouse.scalar(sql);
        long found = value == null || value.isBlank() ? 0 : Long.parseLong(value.trim());
        return new Verdict(
                what,
                expected,
                found,
                Math.max(0, expected - found),
                Math.max(0, found - expected),
                List.of());
    }

    private Verdict rows(String what, Set<String> expected, String sql) {
        return compare(what, expected, read(sql, r -> String.join("|", r)));
    }

    private Set<String> read(String sql, Function<List<String>, String> row) {
        Set<String> rows = new TreeSet<>();
        for (List<String> r : clickHouse.rows(sql)) {
            rows.add(row.apply(r));
        }
        return rows;
    }

    /** Row sets compared: what is missing from the tables and what is there in addition. */
    static Verdict compare(String what, Set<String> expected, Set<String> found) {
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(found);
        Set<String> extra = new TreeSet<>(found);
        extra.removeAll(expected);
        List<String> examples = new ArrayList<>();
        missing.stream().limit(3).forEach(m -> examples.add("missing " + m));
        extra.stream().limit(3).forEach(e -> examples.add("extra " + e));
        return new Verdict(
                what, expected.size(), found.size(), missing.size(), extra.size(), examples);
    }

    private String hash(String id) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(hashSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal(id.getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder();
            for (int i = 0; i < 16; i++) {
                hex.append(String.format("%02x", digest[i]));
            }
            return hex.toString();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long seconds(String iso) {
        return OffsetDateTime.parse(iso).toEpochSecond();
    }

    private static String fourPlaces(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }
}
