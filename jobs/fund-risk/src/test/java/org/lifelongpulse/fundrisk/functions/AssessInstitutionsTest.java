package org.lifelongpulse.fundrisk.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lifelongpulse.fundrisk.Transactions.DAY;
import static org.lifelongpulse.fundrisk.Transactions.HOUR;
import static org.lifelongpulse.fundrisk.Transactions.INSTITUTION;
import static org.lifelongpulse.fundrisk.Transactions.at;
import static org.lifelongpulse.fundrisk.Transactions.instant;
import static org.lifelongpulse.fundrisk.Transactions.of;
import static org.lifelongpulse.fundrisk.Transactions.refundPaid;
import static org.lifelongpulse.fundrisk.Transactions.sale;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
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
import org.lifelongpulse.fundrisk.records.LedgerRow;
import org.lifelongpulse.fundrisk.records.ReferenceUpdate;

/**
 * The keyed broadcast function in a harness: ledger arithmetic to the fen, refund deadlines on
 * event-time timers, a rule change mid-stream, and no state left behind by a closed institution.
 * Expected values are worked out by hand.
 */
class AssessInstitutionsTest {

    static final long T = at("2020-10-01T10:00");

    KeyedBroadcastOperatorTestHarness<String, InstitutionInput, ReferenceUpdate, AlertRow> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = AssessHarness.open(new AssessInstitutions(Duration.ofDays(60)));
        // the broadcast side does not hold event time back in these tests
        harness.processBroadcastWatermark(Long.MAX_VALUE);
        harness.processBroadcastElement(
                ReferenceUpdate.of(institution(LicenseStatus.ACTIVE, "2020-01-01T00:00")), 0);
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    static Institution institution(LicenseStatus status, String updatedAt) {
        return Institution.newBuilder()
                .setInstitutionId(INSTITUTION)
                .setName("Test Centre")
                .setDistrict(District.XUHUI)
                .setCategory("music")
                .setLicenseStatus(status)
                .setUpdatedAt(instant(updatedAt))
                .build();
    }

    void send(FundTransaction... txns) throws Exception {
        for (FundTransaction t : txns) {
            harness.processElement(InstitutionInput.of(t), t.eventTime());
        }
    }

    List<AlertRow> alerts(String rule) {
        return harness.extractOutputValues().stream().filter(a -> a.ruleId().equals(rule)).toList();
    }

    List<LedgerRow> ledgers() {
        return harness.getSideOutput(AssessInstitutions.LEDGER).stream()
                .map(StreamRecord::getValue)
                .toList();
    }

    @Test
    void aRefundRequestResentPastDeduplicationIsPendingOnce() throws Exception {
        // r1 arrives again a week later, beyond what de-duplication remembers; one payment of
        // r1 then settles it: nothing stays pending
        send(
                sale("s1", T, 300_000),
                of(FundTransaction.REFUND_REQUEST, "r1", T + HOUR, 20_000),
                of(FundTransaction.REFUND_REQUEST, "r1", T + 8 * 24 * HOUR, 20_000),
                refundPaid("p1", T + 9 * 24 * HOUR, 20_000, "r1"));
        harness.processWatermark(T + 9 * 24 * HOUR);

        List<LedgerRow> rows = ledgers();
        assertThat(rows)
                .extracting(LedgerRow::refundPendingFen)
                .containsExactly(0L, 20_000L, 20_000L, 0L);
        assertThat(rows).last().extracting(LedgerRow::refundedFen).isEqualTo(20_000L);
    }

    @Test
    void ledgerAddsUpToTheFenWhateverTheArrivalOrder() throws Exception {
        send(
                refundPaid("p1", T + 5 * HOUR, 20_000, "r1"),
                sale("s1", T, 300_000),
                of(FundTransaction.CONSUMPTION, "c1", T + 2 * HOUR, 50_000),
                sale("s2", T + HOUR, 100_000, "C2", "REGISTERED", "P2", "CASH", 10, 30),
                of(FundTransaction.REFUND_REQUEST, "r1", T + 3 * HOUR, 20_000),
                of(FundTransaction.ESCROW_DEPOSIT, "d1", T + 4 * HOUR, 10_000),
                of(FundTransaction.ESCROW_RELEASE, "e1", T + 6 * HOUR, 30_000),
                of(FundTransaction.REFUND_REQUEST, "r2", T + 7 * HOUR, 5_000));
        harness.processWatermark(T + 7 * HOUR);

        List<LedgerRow> rows = ledgers();
        assertThat(rows).hasSize(8);
        assertThat(rows)
                .extracting(LedgerRow::version)
                .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
        LedgerRow last = rows.get(rows.size() - 1);
        // collected 300,000 + 100,000; delivered 50,000; refunded 20,000
        assertThat(last.collectedFen()).isEqualTo(400_000);
        assertThat(last.deliveredFen()).isEqualTo(50_000);
        assertThat(last.refundedFen()).isEqualTo(20_000);
        assertThat(last.refundPendingFen()).isEqualTo(5_000);
        assertThat(last.liabilityFen()).isEqualTo(330_000);
        // escrow: 300,000 supervised + 10,000 deposit - 30,000 release; the cash sale is outside
        assertThat(last.escrowFen()).isEqualTo(280_000);
        assertThat(last.releasedFen()).isEqualTo(30_000);
        assertThat(last.salesOutsideSupervisionFen()).isEqualTo(100_000);
        assertThat(last.coverage()).isEqualTo(280_000.0 / 330_000.0);
        assertThat(last.district()).isEqualTo("XUHUI");
        assertThat(last.lastEventAt()).isEqualTo(T + 7 * HOUR);
        // the refund paid arrived first, yet was applied after its request, in event time
        assertThat(rows.get(5).refundPendingFen()).isZero();
        assertThat(rows.get(3).refundPendingFen()).isEqualTo(20_000);
    }

    @Test
    void aRefundPaidBeforeItsDeadlineRaisesNothing() throws Exception {
        send(
                sale("s1", T, 300_000),
                of(FundTransaction.REFUND_REQUEST, "r1", T + HOUR, 50_000),
                refundPaid("p1", T + HOUR + 14 * DAY, 50_000, "r1"));
        harness.processWatermark(T + 40 * DAY);

        assertThat(alerts("R11")).isEmpty();
    }

    @Test
    void aRefundPaidAtTheVeryDeadlineRaisesNothing() throws Exception {
        send(
                sale("s1", T, 300_000),
                of(FundTransaction.REFUND_REQUEST, "r1", T + HOUR, 50_000),
                refundPaid("p1", T + HOUR + 15 * DAY, 50_000, "r1"));
        harness.processWatermark(T + 40 * DAY);

        assertThat(alerts("R11")).isEmpty();
    }

    @Test
    void aRefundPaidLateRaisesYellowThenRedThenResolves() throws Exception {
        long asked = T + HOUR;
        send(
                sale("s1", T, 300_000),
                of(FundTransaction.REFUND_REQUEST, "r1", asked, 50_000),
                refundPaid("p1", asked + 35 * DAY, 50_000, "r1"));
        harness.processWatermark(T + 40 * DAY);

        List<AlertRow> r11 = alerts("R11");
        assertThat(r11).extracting(AlertRow::status).containsExactly("OPEN", "UPDATED", "RESOLVED");
        assertThat(r11).extracting(AlertRow::version).containsExactly(1L, 2L, 3L);
        assertThat(r11).extracting(AlertRow::severity).containsExactly("YELLOW", "RED", "RED");
        assertThat(r11)
                .extracting(AlertRow::alertId)
                .containsOnly("R11-INST-T-" + (asked + 15 * DAY));
        assertThat(r11)
                .allSatisfy(a -> assertThat(a.firstDetectedAt()).isEqualTo(asked + 15 * DAY));
        assertThat(r11.get(1).lastDetectedAt()).isEqualTo(asked + 30 * DAY);
        assertThat(r11).extracting(AlertRow::shadow).containsOnly(false);
    }

    @Test
    void theFinalWatermarkOfABoundedInputFiresNoDeadline() throws Exception {
        send(sale("s1", T, 300_000), of(FundTransaction.REFUND_REQUEST, "r1", T + HOUR, 50_000));
        harness.processWatermark(Long.MAX_VALUE);

        assertThat(ledgers()).hasSize(2);
        assertThat(alerts("R11")).isEmpty();
        assertThat(alerts("R13")).isEmpty();
    }

    @Test
    void feedSilenceFiresAt72HoursAndResolves24HoursAfterTransactionsResume() throws Exception {
        send(sale("s1", T, 300_000), of(FundTransaction.CONSUMPTION, "c1", T + 100 * HOUR, 10_000));
        harness.processWatermark(T + 123 * HOUR);
        assertThat(alerts("R13")).extracting(AlertRow::status).containsExactly("OPEN");

        // transactions resumed at T + 100 h: the quiet period of 24 h ends at T + 124 h
        harness.processWatermark(T + 124 * HOUR);
        List<AlertRow> r13 = alerts("R13");
        assertThat(r13).extracting(AlertRow::status).containsExactly("OPEN", "RESOLVED");
        assertThat(r13.get(0).firstDetectedAt()).isEqualTo(T + 72 * HOUR);
        assertThat(r13.get(1).lastDetectedAt()).isEqualTo(T + 72 * HOUR);
        assertThat(r13.get(1).evidence())
                .startsWith(
                        "Resolved at 2020-10-06T06:00:00Z: the condition has not held since"
                                + " 2020-10-05T06:00:00Z (24 h).");
    }

    @Test
    void aRuleChangeAppliesFromItsArrivalOnAndIsRecordedInTheAlert() throws Exception {
        send(sale("s1", T, 300_000));
        harness.processWatermark(T);
        assertThat(alerts("R2")).isEmpty();

        harness.processBroadcastElement(
                ReferenceUpdate.of(
                        rule("R2", 3, RuleMode.ENFORCE, null, Map.of("max_amount_yuan", 2000.0))),
                T);
        // a setting for another district leaves this XUHUI institution alone
        harness.processBroadcastElement(
                ReferenceUpdate.of(
                        rule(
                                "R1",
                                9,
                                RuleMode.ENFORCE,
                                District.PUDONG,
                                Map.of("max_covered_days", 10.0))),
                T);
        send(sale("s2", T + DAY, 300_000));
        harness.processWatermark(T + DAY);

        List<AlertRow> r2 = alerts("R2");
        assertThat(r2).hasSize(1);
        assertThat(r2.get(0).ruleVersion()).isEqualTo(3);
        assertThat(r2.get(0).firstDetectedAt()).isEqualTo(T + DAY);
        assertThat(r2.get(0).threshold()).isEqualTo(2000.0);
        assertThat(alerts("R1")).isEmpty();

        // an older version resent does not roll the setting back; SHADOW marks the alerts
        harness.processBroadcastElement(
                ReferenceUpdate.of(
                        rule("R3", 2, RuleMode.SHADOW, null, Map.of("registered_cap_yuan", 100.0))),
                T + DAY);
        harness.processBroadcastElement(
                ReferenceUpdate.of(rule("R2", 2, RuleMode.ENFORCE, null, Map.of())), T + DAY);
        send(sale("s3", T + 2 * DAY, 300_000));
        harness.processWatermark(T + 2 * DAY);
        assertThat(alerts("R2")).last().extracting(AlertRow::ruleVersion).isEqualTo(3);
        assertThat(alerts("R3"))
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.shadow()).isTrue();
                            assertThat(a.ruleVersion()).isEqualTo(2);
                        });
    }

    @Test
    void aDisabledRuleStopsFiring() throws Exception {
        harness.processBroadcastElement(
                ReferenceUpdate.of(
                        RiskRule.newBuilder()
                                .setRuleId("R2")
                                .setVersion(1)
                                .setEnabled(false)
                                .setMode(RuleMode.ENFORCE)
                                .setSeverity(Severity.RED)
                                .setParams(Map.of())
                                .build()),
                T);
        send(sale("s1", T, 900_000));
        harness.processWatermark(T);

        assertThat(alerts("R2")).isEmpty();
        assertThat(alerts("R3")).hasSize(1);
    }

    @Test
    void aClosedInstitutionLeavesNoStateBehind() throws Exception {
        harness.processBroadcastElement(
                ReferenceUpdate.of(institution(LicenseStatus.CLOSED, "2020-10-03T00:00")), T);
        send(
                sale("s1", T, 300_000),
                of(FundTransaction.REFUND_REQUEST, "r1", T + HOUR, 10_000),
                of(FundTransaction.CONSUMPTION, "c1", T + DAY, 10_000));
        harness.processWatermark(T + DAY);
        assertThat(keyedStateEntries()).isPositive();
        assertThat(harness.numEventTimeTimers()).isPositive();

        harness.processWatermark(T + DAY + 60 * DAY);

        assertThat(alerts("R11")).isNotEmpty();
        assertThat(keyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void anActiveInstitutionKeepsItsState() throws Exception {
        send(sale("s1", T, 300_000), of(FundTransaction.CONSUMPTION, "c1", T + DAY, 10_000));
        harness.processWatermark(T + 90 * DAY);

        assertThat(keyedStateEntries()).isPositive();
        assertThat(ledgers()).last().extracting(LedgerRow::liabilityFen).isEqualTo(290_000L);
    }

    /** Keyed state entries of every key (the broadcast harness does not count them itself). */
    int keyedStateEntries() {
        return ((HeapKeyedStateBackend<?>) harness.getOperator().getKeyedStateBackend())
                .numKeyValueStateEntries();
    }

    static RiskRule rule(
            String id, int version, RuleMode mode, District district, Map<String, Double> params) {
        return RiskRule.newBuilder()
                .setRuleId(id)
                .setVersion(version)
                .setEnabled(true)
                .setMode(mode)
                .setSeverity(Severity.RED)
                .setParams(Map.copyOf(params))
                .setDistrict(district)
                .build();
    }
}
