package org.lifelongpulse.fundrisk.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lifelongpulse.fundrisk.Transactions.DAY;
import static org.lifelongpulse.fundrisk.Transactions.HOUR;
import static org.lifelongpulse.fundrisk.Transactions.INSTITUTION;
import static org.lifelongpulse.fundrisk.Transactions.at;
import static org.lifelongpulse.fundrisk.Transactions.instant;
import static org.lifelongpulse.fundrisk.Transactions.of;
import static org.lifelongpulse.fundrisk.Transactions.sale;
import static org.lifelongpulse.fundrisk.Transactions.topUp;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lifelongpulse.avro.District;
import org.lifelongpulse.avro.Institution;
import org.lifelongpulse.avro.LicenseStatus;
import org.lifelongpulse.avro.RiskRule;
import org.lifelongpulse.avro.RuleMode;
import org.lifelongpulse.avro.Severity;
import org.lifelongpulse.fundrisk.records.AlertRow;
import org.lifelongpulse.fundrisk.records.FundTransaction;
import org.lifelongpulse.fundrisk.records.InstitutionInput;
import org.lifelongpulse.fundrisk.records.ReferenceUpdate;

/**
 * Every rule with its RULES.md defaults, through the keyed function: hand-worked inputs, and the
 * first alert version's severity, evidence sentence (its numbers worked out by hand) and citation
 * (the source RULES.md names). T is 2020-10-01 10:00 in Shanghai, 02:00 UTC.
 */
class RuleAlertsTest {

    static final long T = at("2020-10-01T10:00");

    KeyedBroadcastOperatorTestHarness<String, InstitutionInput, ReferenceUpdate, AlertRow> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = AssessHarness.open(new AssessInstitutions(Duration.ofDays(60)));
        harness.processBroadcastWatermark(Long.MAX_VALUE);
        reference(LicenseStatus.ACTIVE, "2020-01-01T00:00");
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    void reference(LicenseStatus status, String updatedAt) throws Exception {
        harness.processBroadcastElement(
                ReferenceUpdate.of(
                        Institution.newBuilder()
                                .setInstitutionId(INSTITUTION)
                                .setName("Test Centre")
                                .setDistrict(District.XUHUI)
                                .setCategory("music")
                                .setLicenseStatus(status)
                                .setUpdatedAt(instant(updatedAt))
                                .build()),
                0);
    }

    /** Sends transactions in order, each followed by a watermark at its time. */
    void send(FundTransaction... txns) throws Exception {
        for (FundTransaction t : txns) {
            harness.processElement(InstitutionInput.of(t), t.eventTime());
            harness.processWatermark(t.eventTime());
        }
    }

    List<AlertRow> alerts(String rule) {
        return harness.extractOutputValues().stream().filter(a -> a.ruleId().equals(rule)).toList();
    }

    /** The one alert of a rule: its first version, OPEN. */
    AlertRow opened(String rule) {
        List<AlertRow> rows = alerts(rule);
        assertThat(rows).as(rule + " alerts").isNotEmpty();
        AlertRow first = rows.get(0);
        assertThat(first.status()).isEqualTo("OPEN");
        assertThat(rows).extracting(AlertRow::alertId).containsOnly(first.alertId());
        return first;
    }

    static FundTransaction anonymous(String id, long time, long fen, String card, String payer) {
        return sale(id, time, fen, card, "ANONYMOUS", payer, "SUPERVISED_ACCOUNT", 10, 30);
    }

    static FundTransaction registered(String id, long time, long fen, String card, String payer) {
        return sale(id, time, fen, card, "REGISTERED", payer, "SUPERVISED_ACCOUNT", 10, 30);
    }

    /** Consumption or a refund paid on a card. */
    static FundTransaction onCard(String type, String id, long time, long fen, String card) {
        return new FundTransaction(
                id,
                time,
                INSTITUTION,
                type,
                fen,
                card,
                null,
                null,
                2,
                null,
                null,
                null,
                "fund",
                0,
                0);
    }

    @Test
    void r1PrepaidSpan() throws Exception {
        send(sale("s1", T, 300_000, "C1", "REGISTERED", "P1", "SUPERVISED_ACCOUNT", 10, 93));

        AlertRow a = opened("R1");
        assertThat(a.severity()).isEqualTo("RED");
        assertThat(a.evidence())
                .isEqualTo(
                        "Charge s1 of 3,000.00 yuan pays for 93 days (limit 92) and 10 class hours"
                                + " (limit 60) in advance.");
        assertThat(a.citation()).contains("教监管函〔2021〕2号").contains("穗教规字〔2021〕8号");
    }

    @Test
    void r2ChargeAmount() throws Exception {
        send(registered("s1", T, 500_001, "C1", "P1"));

        AlertRow a = opened("R2");
        assertThat(a.severity()).isEqualTo("RED");
        assertThat(a.evidence())
                .isEqualTo(
                        "Charge s1 of 5,000.01 yuan exceeds the 5,000.00 yuan limit for one"
                                + " charge.");
        assertThat(a.citation()).contains("Beijing 2023").contains("5,000");
    }

    @Test
    void r3AnonymousCardBalanceOverItsCap() throws Exception {
        // 800 loaded, 100 consumed, 300 topped up: balance 1,000, at the cap; 0.01 more is over
        send(
                anonymous("s1", T, 80_000, "C1", "P1"),
                onCard(FundTransaction.CONSUMPTION, "c1", T + DAY, 10_000, "C1"),
                topUp("u1", T + 2 * DAY, 30_000, "C1", "ANONYMOUS"));
        assertThat(alerts("R3")).isEmpty();

        send(topUp("u2", T + 3 * DAY, 1, "C1", "ANONYMOUS"));
        AlertRow a = opened("R3");
        assertThat(a.severity()).isEqualTo("YELLOW");
        assertThat(a.evidence())
                .isEqualTo(
                        "Anonymous card C1 holds a balance of 1,000.01 yuan after charge u2, over"
                                + " its cap of 1,000.00 yuan.");
        assertThat(a.citation()).contains("单用途商业预付卡管理办法").contains("国办发〔2011〕25号");
    }

    @Test
    void r3LongLivedRegisteredCardUnderItsCapDoesNotFire() throws Exception {
        // loads 4,000 + 3,000 + 1,500 = 8,500 over the card's life, over the 5,000 cap; its
        // balance: 4,000 - 3,000 consumed + 3,000 - 1,000 consumed - 500 refunded + 1,500 = 4,000
        send(
                registered("s1", T, 400_000, "C9", "P9"),
                onCard(FundTransaction.CONSUMPTION, "c1", T + 10 * DAY, 300_000, "C9"),
                topUp("u1", T + 20 * DAY, 300_000, "C9", "REGISTERED"),
                onCard(FundTransaction.CONSUMPTION, "c2", T + 30 * DAY, 100_000, "C9"),
                onCard(FundTransaction.REFUND_PAID, "p1", T + 31 * DAY, 50_000, "C9"),
                topUp("u2", T + 40 * DAY, 150_000, "C9", "REGISTERED"));
        assertThat(alerts("R3")).isEmpty();

        // 1,001 more: balance 5,001
        send(topUp("u3", T + 41 * DAY, 100_100, "C9", "REGISTERED"));
        AlertRow a = opened("R3");
        assertThat(a.evidence())
                .isEqualTo(
                        "Registered card C9 holds a balance of 5,001.00 yuan after charge u3, over"
                                + " its cap of 5,000.00 yuan.");
        assertThat(a.observed()).isEqualTo(5_001.0);
        assertThat(a.threshold()).isEqualTo(5_000.0);
    }

    @Test
    void r4OutsideSupervision() throws Exception {
        send(sale("s1", T, 300_000, "C1", "REGISTERED", "P1", "CASH", 10, 30));

        AlertRow a = opened("R4");
        assertThat(a.severity()).isEqualTo("YELLOW");
        assertThat(a.evidence())
                .isEqualTo(
                        "Charge s1 of 3,000.00 yuan was settled to CASH; 3,000.00 yuan collected"
                                + " outside the supervised account in 30 days (RED at 10,000.00"
                                + " yuan).");
        assertThat(a.citation()).contains("supervised account").contains("Wuhu");

        // 3,000 + 7,000 in 30 days reaches 10,000: RED
        send(sale("s2", T + 29 * DAY, 700_000, "C2", "REGISTERED", "P2", "CASH", 10, 30));
        assertThat(alerts("R4")).last().extracting(AlertRow::severity).isEqualTo("RED");
    }

    @Test
    void r5ThreeThousandYuanOwedWithAThirdCoveredIsRed() throws Exception {
        // 1,000 deposited, then a 3,000 cash sale: owed 3,000, escrow 1,000, coverage 33.3 %
        send(
                of(FundTransaction.ESCROW_DEPOSIT, "d1", T, 100_000),
                sale("s1", T + HOUR, 300_000, "C1", "REGISTERED", "P1", "CASH", 10, 30));

        AlertRow a = opened("R5");
        assertThat(a.severity()).isEqualTo("RED");
        assertThat(a.evidence())
                .isEqualTo(
                        "Escrow of 1,000.00 yuan covers 33.3% of the 3,000.00 yuan owed to"
                                + " learners (below 50%).");
        assertThat(a.observed()).isEqualTo(1.0 / 3);
        assertThat(a.threshold()).isEqualTo(0.5);
        assertThat(a.citation()).contains("unconsumed prepaid fees").contains("Zhejiang");
    }

    @Test
    void r5LiabilityFloorStaysAvailableOnTheRulesTopic() throws Exception {
        harness.processBroadcastElement(
                ReferenceUpdate.of(
                        RiskRule.newBuilder()
                                .setRuleId("R5")
                                .setVersion(1)
                                .setEnabled(true)
                                .setMode(RuleMode.ENFORCE)
                                .setSeverity(Severity.YELLOW)
                                .setParams(Map.of("min_liability_yuan", 10_000.0))
                                .build()),
                0);
        // the 3,000-yuan, 33 % case under a 10,000-yuan floor: nothing; 12,000 owed: RED
        send(
                of(FundTransaction.ESCROW_DEPOSIT, "d1", T, 100_000),
                sale("s1", T + HOUR, 300_000, "C1", "REGISTERED", "P1", "CASH", 10, 30));
        assertThat(alerts("R5")).isEmpty();

        send(sale("s2", T + 2 * HOUR, 900_000, "C2", "REGISTERED", "P2", "CASH", 10, 30));
        AlertRow a = opened("R5");
        assertThat(a.severity()).isEqualTo("RED");
        assertThat(a.ruleVersion()).isEqualTo(1);
        assertThat(a.evidence())
                .isEqualTo(
                        "Escrow of 1,000.00 yuan covers 8.3% of the 12,000.00 yuan owed to"
                                + " learners (below 50%).");
    }

    @Test
    void r5YellowBelowFullCoverage() throws Exception {
        // 2,000 supervised + 1,000 cash: escrow 2,000 of 3,000 owed = 66.7 %
        send(
                registered("s1", T, 200_000, "C1", "P1"),
                sale("s2", T + HOUR, 100_000, "C2", "REGISTERED", "P2", "CASH", 10, 30));

        AlertRow a = opened("R5");
        assertThat(a.severity()).isEqualTo("YELLOW");
        assertThat(a.evidence())
                .isEqualTo(
                        "Escrow of 2,000.00 yuan covers 66.7% of the 3,000.00 yuan owed to"
                                + " learners (below 100%).");
    }

    @Test
    void r6ReleaseAheadOfDelivery() throws Exception {
        send(
                registered("s1", T, 300_000, "C1", "P1"),
                of(FundTransaction.CONSUMPTION, "c1", T + DAY, 100_000),
                of(FundTransaction.ESCROW_RELEASE, "e1", T + 2 * DAY, 150_000));

        AlertRow a = opened("R6");
        assertThat(a.severity()).isEqualTo("RED");
        assertThat(a.evidence())
                .isEqualTo(
                        "Escrow releases of 1,500.00 yuan exceed the 1,000.00 yuan of classes"
                                + " delivered.");
        assertThat(a.citation()).contains("消拨同步").contains("一课一消");
    }

    @Test
    void r7SalesWhileSuspended() throws Exception {
        reference(LicenseStatus.SUSPENDED, "2020-09-01T00:00");
        send(registered("s1", T, 300_000, "C1", "P1"));

        AlertRow a = opened("R7");
        assertThat(a.severity()).isEqualTo("RED");
        assertThat(a.evidence())
                .isEqualTo(
                        "Charge s1 of 3,000.00 yuan was collected while the licence is SUSPENDED.");
        assertThat(a.citation()).contains("单用途预付消费卡管理规定 Art. 13").contains("30 days");
    }

    @Test
    void r8SalesSurge() throws Exception {
        // 40,000 in the 4 weeks before: a weekly mean of 10,000; then 60,000 in 7 days (6.0x)
        send(
                registered("s1", T, 4_000_000, "C1", "P1"),
                registered("s2", T + 28 * DAY + HOUR, 6_000_000, "C2", "P2"));

        AlertRow a = opened("R8");
        assertThat(a.severity()).isEqualTo("YELLOW");
        assertThat(a.evidence())
                .isEqualTo(
                        "Sales of 60,000.00 yuan in 7 days are 6.0x the weekly mean of 10,000.00"
                                + " yuan over the 4 windows before (limit 3.0x, minimum 50,000.00"
                                + " yuan).");
        assertThat(a.citation()).contains("bundle drives").contains("300% over expected");
    }

    @Test
    void r9DeliveryCollapseBelowTheOldFloor() throws Exception {
        // 2,800 delivered in the baseline (1,400 per 14 days), nothing since, sales go on: RED
        // although the baseline is under the 10,000 yuan the job used to require
        send(
                registered("s1", T, 100_000, "C1", "P1"),
                of(FundTransaction.CONSUMPTION, "c1", T + HOUR, 280_000),
                registered("s2", T + 20 * DAY, 100_000, "C2", "P2"));

        AlertRow a = opened("R9");
        assertThat(a.severity()).isEqualTo("RED");
        assertThat(a.evidence())
                .isEqualTo(
                        "Classes worth 0.00 yuan were delivered in 14 days against a baseline of"
                                + " 1,400.00 yuan (limit 50%) while sales of 1,000.00 yuan went"
                                + " on.");
        assertThat(a.citation()).contains("liability grows while service stops");
    }

    @Test
    void r10RefundSpike() throws Exception {
        // 4 requests in the 4 weeks before (weekly mean 1.00), then 5 within a week
        FundTransaction[] txns = new FundTransaction[10];
        txns[0] = registered("s1", T - HOUR, 500_000, "C1", "P1");
        for (int i = 0; i < 4; i++) {
            txns[1 + i] = of(FundTransaction.REFUND_REQUEST, "a" + i, T + i * HOUR, 1_000);
        }
        for (int i = 0; i < 5; i++) {
            txns[5 + i] =
                    of(FundTransaction.REFUND_REQUEST, "b" + i, T + 28 * DAY + i * HOUR, 1_000);
        }
        send(txns);

        AlertRow a = opened("R10");
        assertThat(a.severity()).isEqualTo("YELLOW");
        assertThat(a.evidence())
                .isEqualTo(
                        "5 refund requests in 7 days against a weekly mean of 1.00 over the 4"
                                + " windows before (limit 3.0x, minimum 5).");
        assertThat(a.firstDetectedAt()).isEqualTo(T + 28 * DAY + 4 * HOUR);
        assertThat(a.citation()).contains("model training contract (2021)");
    }

    @Test
    void r11RefundOverdue() throws Exception {
        send(
                registered("s1", T, 300_000, "C1", "P1"),
                of(FundTransaction.REFUND_REQUEST, "r1", T + HOUR, 50_000));
        harness.processWatermark(T + HOUR + 15 * DAY);

        AlertRow a = opened("R11");
        assertThat(a.severity()).isEqualTo("YELLOW");
        assertThat(a.evidence())
                .isEqualTo(
                        "1 refund request(s) of 500.00 yuan unpaid; the oldest, made"
                                + " 2020-10-01T03:00:00Z, has waited 15.0 days (limit 15).");
        assertThat(a.citation()).contains("model contract refund deadlines");

        harness.processWatermark(T + HOUR + 30 * DAY);
        AlertRow red = alerts("R11").get(1);
        assertThat(red.severity()).isEqualTo("RED");
        assertThat(red.evidence())
                .isEqualTo(
                        "1 refund request(s) of 500.00 yuan unpaid; the oldest, made"
                                + " 2020-10-01T03:00:00Z, has waited 30.0 days (limit 30).");
    }

    @Test
    void r12StructuringJustUnderTheAnonymousCap() throws Exception {
        String payer = "a1b2c3d4e5f6a7b8";
        send(
                anonymous("s1", T, 95_000, "C1", payer),
                anonymous("s2", T + 5 * HOUR, 92_000, "C2", payer),
                anonymous("s3", T + 23 * HOUR, 99_999, "C3", payer));

        AlertRow a = opened("R12");
        assertThat(a.severity()).isEqualTo("YELLOW");
        assertThat(a.evidence())
                .isEqualTo(
                        "Payer a1b2c3d4e5f6 made 3 charges within 24 hours, each within 90-100% of"
                                + " its card kind's cap.");
        assertThat(a.firstDetectedAt()).isEqualTo(T + 23 * HOUR);
        assertThat(a.citation()).contains("structuring typology");
    }

    @Test
    void r12ChargesNearTheOtherKindsCapDoNotFire() throws Exception {
        // 950 yuan is 95 % of the anonymous cap, but these cards are registered (cap 5,000);
        // 4,800 yuan is 96 % of the registered cap, but these cards are anonymous (cap 1,000)
        send(
                registered("s1", T, 95_000, "C1", "P1"),
                registered("s2", T + HOUR, 95_000, "C2", "P1"),
                registered("s3", T + 2 * HOUR, 95_000, "C3", "P1"),
                anonymous("s4", T + 3 * HOUR, 480_000, "C4", "P2"),
                anonymous("s5", T + 4 * HOUR, 480_000, "C5", "P2"),
                anonymous("s6", T + 5 * HOUR, 480_000, "C6", "P2"));

        assertThat(alerts("R12")).isEmpty();
        assertThat(alerts("R3"))
                .as("the anonymous 4,800-yuan cards are over their cap")
                .isNotEmpty();
    }

    @Test
    void r13FeedSilence() throws Exception {
        send(registered("s1", T, 300_000, "C1", "P1"));
        harness.processWatermark(T + 72 * HOUR);

        AlertRow a = opened("R13");
        assertThat(a.severity()).isEqualTo("YELLOW");
        assertThat(a.evidence())
                .isEqualTo(
                        "No transaction for 72 hours since 2020-10-01T02:00:00Z while 3,000.00"
                                + " yuan is owed to learners.");
        assertThat(a.citation()).contains("continuous reporting");
    }

    @Test
    void compositeSurgeThenCollapse() throws Exception {
        // R8 at T+28d+1h (as in r8SalesSurge); 2,800 delivered at T+20d and nothing after: at
        // T+36d the 14 days before delivered 0 against a baseline of 1,400 while sales went on
        // (60,100 against 40,000 in the 28 days before): R9, 7 d 23 h = 8.0 days after R8
        send(
                registered("s1", T, 4_000_000, "C1", "P1"),
                of(FundTransaction.CONSUMPTION, "c1", T + 20 * DAY, 280_000),
                registered("s2", T + 28 * DAY + HOUR, 6_000_000, "C2", "P2"),
                registered("s3", T + 36 * DAY, 10_000, "C3", "P3"));

        assertThat(opened("R8").firstDetectedAt()).isEqualTo(T + 28 * DAY + HOUR);
        assertThat(opened("R9").firstDetectedAt()).isEqualTo(T + 36 * DAY);
        AlertRow a = opened("COMPOSITE");
        assertThat(a.severity()).isEqualTo("RED");
        assertThat(a.evidence())
                .isEqualTo(
                        "Absconding pattern: a sales surge (R8) from 2020-10-29T03:00:00Z, then a"
                                + " delivery collapse (R9) 8.0 days later.");
        assertThat(a.citation()).contains("absconding pattern");
    }
}
