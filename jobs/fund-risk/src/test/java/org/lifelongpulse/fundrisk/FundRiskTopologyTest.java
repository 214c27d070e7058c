package org.lifelongpulse.fundrisk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lifelongpulse.admission.DuplicateEvent;
import org.lifelongpulse.avro.AlertStatus;
import org.lifelongpulse.avro.CardKind;
import org.lifelongpulse.avro.DeadLetter;
import org.lifelongpulse.avro.District;
import org.lifelongpulse.avro.Institution;
import org.lifelongpulse.avro.LicenseStatus;
import org.lifelongpulse.avro.PrepaidTransaction;
import org.lifelongpulse.avro.RiskAlert;
import org.lifelongpulse.avro.Settlement;
import org.lifelongpulse.avro.Severity;
import org.lifelongpulse.avro.TransactionType;
import org.lifelongpulse.contracts.Topic;
import org.lifelongpulse.contracts.WireFormat;
import org.lifelongpulse.fundrisk.records.AlertRow;
import org.lifelongpulse.fundrisk.records.FundTransaction;
import org.lifelongpulse.fundrisk.records.InstitutionRiskRow;
import org.lifelongpulse.fundrisk.records.LedgerRow;
import org.lifelongpulse.jobs.JobSecrets;
import org.lifelongpulse.testkit.CollectedOutputs;
import org.lifelongpulse.testkit.MemoryTopics;
import org.lifelongpulse.testkit.TopologyRun;

/**
 * The whole production topology ({@link FundRiskJob#define}, the path of {@code defineProduction})
 * at parallelism 2 on topics in memory, with the default rule settings (an empty rules topic):
 * every table and topic it writes equals a hand-worked case with resends, out-of-order,
 * behind-the-bound and invalid messages.
 *
 * <p>The worked case, 10:00 in Shanghai on 4 March 2024 (long past: no partition is live). Every
 * sale is on a registered card into the supervised account, 20 class hours over 60 days.
 *
 * <pre>
 * fund.institutions.v1/0: INST-A (XUHUI, ACTIVE), INST-B (PUDONG, ACTIVE), bytes of no Avro
 * fund.transactions.v1/0 (INST-A)                        ledger after it
 *   o0 T1 10:00:00 CARD_SALE 3,000 yuan, card C1, payer P1
 *   o1 T2 10:00:20 CONSUMPTION 200 yuan, card C1
 *   o2 T1 again (a resend)                              → duplicate
 *   o3 T3 10:00:40 TOP_UP 6,000 yuan, no card, payer P2  → R2 (over 5,000 yuan for one charge)
 *   o4 T4 10:00:10 CONSUMPTION 100 yuan: 30 s behind the newest, past the 10 s bound; fund
 *      events are never late by contract, so it is applied in event-time order like the rest
 *   o5 bytes of no Avro                                 → dead letter, decode
 *   o6 T5 10:00:50 CARD_SALE of -1 fen                  → dead letter, validate
 * fund.transactions.v1/1 (INST-B)
 *   o0 T6 10:01:00 CARD_SALE 800 yuan, card C9, payer P9
 *   o1 T7 10:01:30 ESCROW_DEPOSIT 500 yuan
 *   o2 T6 again (a resend)                              → duplicate
 *   o3 T8 10:02:00 REFUND_REQUEST 100 yuan
 *   o4 T9 10:02:30 REFUND_PAID 100 yuan for T8
 * </pre>
 *
 * INST-A: collected 300,000 + 600,000 = 900,000 fen, delivered 20,000 + 10,000 = 30,000, escrow
 * 900,000 (all supervised), liability 900,000 - 30,000 = 870,000, coverage 900/870 = 1.03448; 4
 * transactions, the last at 10:00:40, all in minute 10:00. No other rule fires: R1 needs over 92
 * days or 60 hours, R3 a card over 5,000 yuan (T3 has none), R5 a liability of at least 10,000
 * yuan, R8 weekly sales of 50,000 yuan, R12 charges of 90-100 % of a cap (900 to 1,000 or 4,500 to
 * 5,000 yuan). The alert R2-INST-A-(T3's time), RED, OPEN, version 1, observed 6,000 against 5,000,
 * is published on fund.alerts.v1 (ENFORCE). Risk: 0 (no open alert) from T1 on, version 1; 30 (one
 * RED alert) from T3 on, version 2.
 *
 * <p>INST-B, minute 10:01 after T7 (version 2): collected 80,000, escrow 80,000 + 50,000 = 130,000,
 * liability 80,000, coverage 1.625. Minute 10:02 after T9 (version 4): refunded 10,000, nothing
 * pending, liability 70,000, coverage 130/70 = 1.85714. Risk 0 from T6 on, version 1.
 */
class FundRiskTopologyTest {

    @RegisterExtension static final MiniClusterExtension FLINK = TopologyRun.miniCluster();

    static final Instant TEN = Instant.parse("2024-03-04T02:00:00Z");
    static final String TRANSACTIONS = Topic.FUND_TRANSACTIONS.topicName();
    static final String INSTITUTIONS = Topic.INSTITUTIONS.topicName();

    @Test
    void theWholeTopologyWritesTheWorkedCase() throws Exception {
        MemoryTopics topics = new MemoryTopics();
        topics.send(INSTITUTIONS, 0, institution("INST-A", District.XUHUI), at(-3600));
        topics.send(INSTITUTIONS, 0, institution("INST-B", District.PUDONG), at(-3600));
        topics.send(INSTITUTIONS, 0, "{not avro}".getBytes(StandardCharsets.UTF_8), at(-3600));

        send(topics, 0, sale("T1", 0, "INST-A", TransactionType.CARD_SALE, 300_000, "C1", "P1"));
        send(topics, 0, txn("T2", 20, "INST-A", TransactionType.CONSUMPTION, 20_000, "C1"));
        send(topics, 0, sale("T1", 0, "INST-A", TransactionType.CARD_SALE, 300_000, "C1", "P1"));
        send(topics, 0, sale("T3", 40, "INST-A", TransactionType.TOP_UP, 600_000, null, "P2"));
        send(topics, 0, txn("T4", 10, "INST-A", TransactionType.CONSUMPTION, 10_000, "C1"));
        topics.send(TRANSACTIONS, 0, new byte[] {42}, at(45));
        send(topics, 0, sale("T5", 50, "INST-A", TransactionType.CARD_SALE, -1, "C5", "P5"));

        send(topics, 1, sale("T6", 60, "INST-B", TransactionType.CARD_SALE, 80_000, "C9", "P9"));
        send(topics, 1, txn("T7", 90, "INST-B", TransactionType.ESCROW_DEPOSIT, 50_000, null));
        send(topics, 1, sale("T6", 60, "INST-B", TransactionType.CARD_SALE, 80_000, "C9", "P9"));
        send(topics, 1, txn("T8", 120, "INST-B", TransactionType.REFUND_REQUEST, 10_000, "C9"));
        PrepaidTransaction paid =
                txn("T9", 150, "INST-B", TransactionType.REFUND_PAID, 10_000, "C9");
        paid.setRefundRequestId("T8");
        send(topics, 1, paid);

        Configuration config = new Configuration();
        CollectedOutputs out = new CollectedOutputs();
        StreamExecutionEnvironment env = TopologyRun.environment(config);
        FundRiskJob.define(
                env, config, topics, FundRiskSinks.to(out, FundRiskJob.settings(config)));
        env.execute("fund-risk topology");

        // fund_transactions: each transaction once, payer hashed, where it was read
        List<FundTransaction> transactions = out.of("pulse.fund_transactions");
        assertThat(transactions)
                .extracting(
                        t ->
                                t.txnId()
                                        + "@"
                                        + t.sourcePartition()
                                        + "/"
                                        + t.sourceOffset()
                                        + "|"
                                        + t.payerHash())
                .containsExactlyInAnyOrder(
                        "T1@0/0|" + hmac("P1"),
                        "T2@0/1|null",
                        "T3@0/3|" + hmac("P2"),
                        "T4@0/4|null",
                        "T6@1/0|" + hmac("P9"),
                        "T7@1/1|null",
                        "T8@1/3|null",
                        "T9@1/4|null");

        // institutions, as decoded
        assertThat(out.<Institution>of("pulse.institutions"))
                .extracting(i -> i.getInstitutionId() + "|" + i.getDistrict())
                .containsExactlyInAnyOrder("INST-A|XUHUI", "INST-B|PUDONG");

        // institution_ledger and institution_ledger_minute, as ClickHouse keeps them
        String a = "INST-A|XUHUI|900000|30000|0|0|900000|0|870000|1.03448|0|" + at(40) + "|4";
        String b = "INST-B|PUDONG|80000|0|10000|0|130000|0|70000|1.85714|0|" + at(150) + "|4";
        List<LedgerRow> ledger = out.of("pulse.institution_ledger");
        assertThat(latest(ledger, LedgerRow::institutionId, LedgerRow::version))
                .containsOnly(Map.entry("INST-A", a), Map.entry("INST-B", b));
        assertThat(
                        latest(
                                out.<LedgerRow>of("pulse.institution_ledger_minute"),
                                r ->
                                        r.institutionId()
                                                + "@"
                                                + (r.minute() - TEN.toEpochMilli()) / 60_000,
                                LedgerRow::version))
                .containsOnly(
                        Map.entry("INST-A@0", a),
                        Map.entry(
                                "INST-B@1",
                                "INST-B|PUDONG|80000|0|0|0|130000|0|80000|1.62500|0|"
                                        + at(90)
                                        + "|2"),
                        Map.entry("INST-B@2", b));
        assertThat(ledger).as("a row after each instant with transactions").hasSize(8);

        // risk_alerts and the alerts topic: R2 for T3, once
        long t3 = at(40);
        String evidence =
                "Charge T3 of 6,000.00 yuan exceeds the 5,000.00 yuan limit for one" + " charge.";
        assertThat(out.<AlertRow>of("pulse.risk_alerts"))
                .singleElement()
                .satisfies(
                        alert -> {
                            assertThat(alert.alertId()).isEqualTo("R2-INST-A-" + t3);
                            assertThat(
                                            List.of(
                                                    alert.institutionId(),
                                                    alert.district(),
                                                    alert.ruleId(),
                                                    alert.severity(),
                                                    alert.status()))
                                    .containsExactly("INST-A", "XUHUI", "R2", "RED", "OPEN");
                            assertThat(
                                            List.of(
                                                    alert.firstDetectedAt(),
                                                    alert.lastDetectedAt(),
                                                    alert.windowStart(),
                                                    alert.windowEnd()))
                                    .containsOnly(t3);
                            assertThat(alert.observed()).isEqualTo(6_000.0);
                            assertThat(alert.threshold()).isEqualTo(5_000.0);
                            assertThat(alert.evidence()).isEqualTo(evidence);
                            assertThat(alert.citation()).contains("5,000-yuan prepaid-card limit");
                            assertThat(alert.ruleVersion()).isZero();
                            assertThat(alert.version()).isEqualTo(1);
                            assertThat(alert.shadow()).isFalse();
                        });
        assertThat(out.<RiskAlert>of(Topic.RISK_ALERTS.topicName()))
                .singleElement()
                .satisfies(
                        alert -> {
                            assertThat(alert.getAlertId()).isEqualTo("R2-INST-A-" + t3);
                            assertThat(alert.getSeverity()).isEqualTo(Severity.RED);
                            assertThat(alert.getStatus()).isEqualTo(AlertStatus.OPEN);
                            assertThat(alert.getFirstDetectedAt())
                                    .isEqualTo(Instant.ofEpochMilli(t3));
                            assertThat(alert.getEvidence()).isEqualTo(evidence);
                            assertThat(alert.getVersion()).isEqualTo(1);
                        });

        // institution_risk: every version
        assertThat(out.<InstitutionRiskRow>of("pulse.institution_risk"))
                .extracting(
                        r ->
                                r.institutionId()
                                        + "|"
                                        + r.district()
                                        + "|"
                                        + r.score()
                                        + "|"
                                        + r.openAlerts()
                                        + "|"
                                        + r.redAlerts()
                                        + "|"
                                        + r.updatedAt()
                                        + "|"
                                        + r.version())
                .containsExactlyInAnyOrder(
                        "INST-A|XUHUI|0.0|0|0|" + at(0) + "|1",
                        "INST-A|XUHUI|30.0|1|1|" + t3 + "|2",
                        "INST-B|PUDONG|0.0|0|0|" + at(60) + "|1");

        // duplicate_events: the two resends
        assertThat(out.<DuplicateEvent>of("pulse.duplicate_events"))
                .extracting(
                        d ->
                                d.job()
                                        + "|"
                                        + d.sourceTopic()
                                        + "|"
                                        + d.sourcePartition()
                                        + "|"
                                        + d.sourceOffset()
                                        + "|"
                                        + d.eventId()
                                        + "|"
                                        + d.eventTime())
                .containsExactlyInAnyOrder(
                        "fund-risk|" + TRANSACTIONS + "|0|2|T1|" + at(0),
                        "fund-risk|" + TRANSACTIONS + "|1|2|T6|" + at(60));

        // dead letters, to the table and to the topic alike
        for (String where : List.of("pulse.dead_letters", Topic.DEAD_LETTERS.topicName())) {
            List<DeadLetter> letters = out.of(where);
            assertThat(letters)
                    .as(where)
                    .extracting(
                            d ->
                                    d.getSourceTopic()
                                            + "|"
                                            + d.getSourcePartition()
                                            + "|"
                                            + d.getSourceOffset()
                                            + "|"
                                            + d.getStage())
                    .containsExactlyInAnyOrder(
                            TRANSACTIONS + "|0|5|decode",
                            TRANSACTIONS + "|0|6|validate",
                            INSTITUTIONS + "|0|2|decode");
            assertThat(letters)
                    .filteredOn(d -> d.getStage().equals("validate"))
                    .singleElement()
                    .satisfies(d -> assertThat(d.getReason()).contains("amount_fen"));
            // readable: T5 with its payer and card hashed as fund_transactions holds them, the
            // undecodable ones without a payload
            assertThat(letters)
                    .filteredOn(d -> d.getStage().equals("validate"))
                    .singleElement()
                    .satisfies(
                            d -> {
                                assertThat(d.getRedaction()).isEqualTo("IDS_HASHED");
                                PrepaidTransaction t = decode(d);
                                assertThat(t.getTxnId()).isEqualTo("T5");
                                assertThat(t.getAmountFen()).isEqualTo(-1L);
                                assertThat(t.getPayerId()).isEqualTo(hmac("P5"));
                                assertThat(t.getCardId()).isEqualTo(hmac("C5"));
                            });
            assertThat(letters)
                    .filteredOn(d -> d.getStage().equals("decode"))
                    .hasSize(2)
                    .allSatisfy(
                            d -> {
                                assertThat(d.getRedaction()).isEqualTo("WITHHELD");
                                assertThat(d.getRaw().remaining()).isZero();
                            });
        }
        // as received, for replay: only in the restricted store
        List<DeadLetter> restricted = out.of("pulse_restricted.dead_letters");
        assertThat(restricted)
                .extracting(d -> d.getSourceOffset() + "|" + d.getStage() + "|" + d.getRedaction())
                .containsExactlyInAnyOrder("5|decode|null", "6|validate|null", "2|decode|null");
        assertThat(restricted)
                .filteredOn(d -> d.getStage().equals("validate"))
                .singleElement()
                .satisfies(
                        d -> {
                            assertThat(decode(d).getPayerId()).isEqualTo("P5");
                            assertThat(decode(d).getCardId()).isEqualTo("C5");
                        });
        assertThat(restricted)
                .filteredOn(d -> d.getSourceTopic().equals(TRANSACTIONS))
                .filteredOn(d -> d.getStage().equals("decode"))
                .singleElement()
                .satisfies(d -> assertThat(d.getRaw()).isEqualTo(ByteBuffer.wrap(new byte[] {42})));
    }

    private static PrepaidTransaction decode(DeadLetter letter) {
        ByteBuffer raw = letter.getRaw().duplicate();
        byte[] bytes = new byte[raw.remaining()];
        raw.get(bytes);
        try {
            return WireFormat.of(PrepaidTransaction.class).decode(bytes);
        } catch (java.io.IOException e) {
            throw new AssertionError("the letter's record does not decode", e);
        }
    }

    /** The highest version of each key, the row as text (coverage to 5 decimals). */
    static Map<String, String> latest(
            List<LedgerRow> rows,
            Function<LedgerRow, String> key,
            Function<LedgerRow, Long> version) {
        Map<String, LedgerRow> best = new HashMap<>();
        for (LedgerRow row : rows) {
            best.merge(key.apply(row), row, (x, y) -> version.apply(x) >= version.apply(y) ? x : y);
        }
        Map<String, String> view = new HashMap<>();
        best.forEach(
                (k, r) ->
                        view.put(
                                k,
                                String.join(
                                        "|",
                                        r.institutionId(),
                                        r.district(),
                                        "" + r.collectedFen(),
                                        "" + r.deliveredFen(),
                                        "" + r.refundedFen(),
                                        "" + r.refundPendingFen(),
                                        "" + r.escrowFen(),
                                        "" + r.releasedFen(),
                                        "" + r.liabilityFen(),
                                        String.format(java.util.Locale.ROOT, "%.5f", r.coverage()),
                                        "" + r.salesOutsideSupervisionFen(),
                                        "" + r.lastEventAt(),
                                        "" + r.version())));
        return view;
    }

    static long at(int seconds) {
        return TEN.plusSeconds(seconds).toEpochMilli();
    }

    private static void send(MemoryTopics topics, int partition, PrepaidTransaction t) {
        topics.send(TRANSACTIONS, partition, t, t.getOccurredAt().toEpochMilli() + 200);
    }

    static Institution institution(String id, District district) {
        return Institution.newBuilder()
                .setInstitutionId(id)
                .setName(id + " training")
                .setDistrict(district)
                .setCategory("arts")
                .setLicenseStatus(LicenseStatus.ACTIVE)
                .setClosureNoticeAt(null)
                .setBondInsured(true)
                .setUpdatedAt(Instant.parse("2024-01-01T00:00:00Z"))
                .build();
    }

    static PrepaidTransaction sale(
            String id,
            int second,
            String institution,
            TransactionType type,
            long fen,
            String card,
            String payer) {
        PrepaidTransaction t = txn(id, second, institution, type, fen, card);
        t.setPayerId(payer);
        t.setCardKind(CardKind.REGISTERED);
        t.setClassHours(20);
        t.setCoveredDays(60);
        return t;
    }

    static PrepaidTransaction txn(
            String id,
            int second,
            String institution,
            TransactionType type,
            long fen,
            String card) {
        return PrepaidTransaction.newBuilder()
                .setTxnId(id)
                .setOccurredAt(Instant.ofEpochMilli(at(second)))
                .setInstitutionId(institution)
                .setType(type)
                .setAmountFen(fen)
                .setCardId(card)
                .setSettlement(Settlement.SUPERVISED_ACCOUNT)
                .build();
    }

    /** The payer hash, computed here independently of the job's code. */
    static String hmac(String payerId) {
        try {
            return hmacOrThrow(payerId);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hmacOrThrow(String payerId)
            throws java.security.GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(
                new SecretKeySpec(
                        JobSecrets.idHashSecret(new Configuration())
                                .getBytes(StandardCharsets.UTF_8),
                        "HmacSHA256"));
        byte[] digest = mac.doFinal(payerId.getBytes(StandardCharsets.UTF_8));
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            hex.append(String.format("%02x", digest[i]));
        }
        return hex.toString();
    }
}
