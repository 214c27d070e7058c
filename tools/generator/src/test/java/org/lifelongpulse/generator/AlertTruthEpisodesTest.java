package org.lifelongpulse.generator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lifelongpulse.avro.AlertStatus;
import org.lifelongpulse.avro.CardKind;
import org.lifelongpulse.avro.District;
import org.lifelongpulse.avro.Institution;
import org.lifelongpulse.avro.LicenseStatus;
import org.lifelongpulse.avro.PrepaidTransaction;
import org.lifelongpulse.avro.Settlement;
import org.lifelongpulse.avro.Severity;
import org.lifelongpulse.avro.TransactionType;

/**
 * Alert episodes on hand-made institutions, each worked out by hand from its transactions in the
 * test: a cool-down of 7 days, a quiet period of 24 h for condition rules (a version only when the
 * level rises), incident rules that never resolve, R11 resolved by the last overdue payment, R8
 * ended by its window wake-up, the composite from a new R10 alert after a surge.
 *
 * <p>The R6 cases (escrow released ahead of delivery) sell nothing: with no liability R5 and R13
 * stay quiet, and with every delivery inside 14 days R9 has no baseline. Times are local
 * (Asia/Shanghai) in October 2020.
 */
class AlertTruthEpisodesTest {

    private static final String ID = "INST-E";

    private final List<PrepaidTransaction> txns = new ArrayList<>();

    @Test
    void aConditionClearForLessThanTheQuietPeriodStaysOneOpenAlert() {
        add("d", "10-01T10:00", TransactionType.ESCROW_DEPOSIT, 100_000);
        // released 20,000 > delivered 0: R6 holds (RED)
        add("x1", "10-01T12:00", TransactionType.ESCROW_RELEASE, 20_000);
        // delivered 30,000 >= released 20,000: clear from 09:00, resolution due 3 Oct 09:00
        add("c1", "10-02T09:00", TransactionType.CONSUMPTION, 30_000);
        // released 40,000 > delivered 30,000 after 11 h: the clearance is cancelled
        add("x2", "10-02T20:00", TransactionType.ESCROW_RELEASE, 20_000);
        add("e", "10-03T10:00", TransactionType.ESCROW_DEPOSIT, 10_000);

        AlertTruth.Outcome outcome = evaluate(at("10-03T10:00") - 10_000);

        // the deposit is evaluated too and finds released still ahead: the last hold
        assertThat(outcome.episodes())
                .containsExactly(
                        episode(
                                Rule.R6,
                                "10-01T12:00",
                                "10-03T10:00",
                                Severity.RED,
                                AlertStatus.OPEN,
                                null,
                                1));
        assertThat(outcome.ambiguities()).isEmpty();
    }

    @Test
    void aReTriggerWithinTheCoolDownReOpensTheSameAlert() {
        clearsForADayThenReTriggersOnTheSixth();
        add("e", "10-07T10:00", TransactionType.ESCROW_DEPOSIT, 10_000);

        AlertTruth.Outcome outcome = evaluate(at("10-07T10:00") - 10_000);

        // OPEN 1 Oct 12:00, RESOLVED 3 Oct 09:00, UPDATED 6 Oct 14:00 (within 10 Oct 09:00);
        // still ahead at the deposit of 7 Oct 10:00, the last hold
        assertThat(outcome.episodes())
                .containsExactly(
                        episode(
                                Rule.R6,
                                "10-01T12:00",
                                "10-07T10:00",
                                Severity.RED,
                                AlertStatus.UPDATED,
                                null,
                                3));
        assertThat(outcome.ambiguities()).isEmpty();
    }

    @Test
    void aReOpenedAlertThatClearsAgainEndsResolved() {
        clearsForADayThenReTriggersOnTheSixth();
        // delivered 50,000 >= released 40,000: clear from 7 Oct 10:00, resolved 8 Oct 10:00
        add("c2", "10-07T10:00", TransactionType.CONSUMPTION, 20_000);
        add("e", "10-09T10:00", TransactionType.ESCROW_DEPOSIT, 10_000);

        AlertTruth.Outcome outcome = evaluate(at("10-09T10:00") - 10_000);

        assertThat(outcome.episodes())
                .containsExactly(
                        episode(
                                Rule.R6,
                                "10-01T12:00",
                                "10-06T14:00",
                                Severity.RED,
                                AlertStatus.RESOLVED,
                                "10-08T10:00",
                                4));
        assertThat(outcome.ambiguities()).isEmpty();
    }

    @Test
    void aReTriggerAfterTheCoolDownOpensASecondAlert() {
        add("d", "10-01T10:00", TransactionType.ESCROW_DEPOSIT, 100_000);
        add("x1", "10-01T12:00", TransactionType.ESCROW_RELEASE, 20_000);
        add("c1", "10-02T09:00", TransactionType.CONSUMPTION, 30_000);
        // resolved 3 Oct 09:00; the cool-down ends 10 Oct 09:00; released 40,000 > 30,000 on
        // 11 Oct 12:00, eight days and three hours after the resolution
        add("x2", "10-11T12:00", TransactionType.ESCROW_RELEASE, 20_000);
        add("e", "10-12T10:00", TransactionType.ESCROW_DEPOSIT, 10_000);

        AlertTruth.Outcome outcome = evaluate(at("10-12T10:00") - 10_000);

        assertThat(outcome.episodes())
                .containsExactly(
                        episode(
                                Rule.R6,
                                "10-01T12:00",
                                "10-01T12:00",
                                Severity.RED,
                                AlertStatus.RESOLVED,
                                "10-03T09:00",
                                2),
                        episode(
                                Rule.R6,
                                "10-11T12:00",
                                "10-12T10:00",
                                Severity.RED,
                                AlertStatus.OPEN,
                                null,
                                1));
        assertThat(outcome.episodes().get(1).alertId()).isEqualTo("R6-INST-E-" + at("10-11T12:00"));
        assertThat(outcome.ambiguities()).isEmpty();
    }

    @Test
    void anIncidentRuleHitThreeTimesIsOneAlertThatNeverResolves() {
        // three 3,000-yuan cards covering 120 days (over 92: R1 RED) on 1, 13 and 25 October,
        // on separate cards; a class a day keeps the feed alive (no R13) until 31 October
        sale("s1", "10-01T10:00", "C1", 120);
        sale("s2", "10-13T10:00", "C2", 120);
        sale("s3", "10-25T10:00", "C3", 120);
        for (int day = 2; day <= 31; day++) {
            add("c" + day, String.format("10-%02dT12:00", day), TransactionType.CONSUMPTION, 5_000);
        }

        AlertTruth.Outcome outcome = evaluate(at("10-31T12:00") - 10_000);

        // one version per hit: OPEN, UPDATED, UPDATED
        assertThat(outcome.episodes())
                .containsExactly(
                        episode(
                                Rule.R1,
                                "10-01T10:00",
                                "10-25T10:00",
                                Severity.RED,
                                AlertStatus.UPDATED,
                                null,
                                3));
        assertThat(outcome.fired()).containsOnlyKeys(Rule.R1);
        assertThat(outcome.ambiguities()).isEmpty();
    }

    @Test
    void refundOverdueResolvesWhenTheLastOverdueRequestIsPaid() {
        sale("s1", "10-01T10:00", "C1", 60);
        for (int day = 2; day <= 26; day++) {
            add("c" + day, String.format("10-%02dT12:00", day), TransactionType.CONSUMPTION, 5_000);
        }
        add("r1", "10-02T10:00", TransactionType.REFUND_REQUEST, 50_000);
        add("r2", "10-04T10:00", TransactionType.REFUND_REQUEST, 20_000);
        // r1 overdue 17 Oct 10:00 (OPEN), r2 19 Oct 10:00 (UPDATED); r1 paid 20 Oct leaves r2
        // overdue; r2 paid 22 Oct 10:00 resolves it
        refundPaid("p1", "10-20T10:00", 50_000, "r1");
        refundPaid("p2", "10-22T10:00", 20_000, "r2");

        AlertTruth.Outcome outcome = evaluate(at("10-26T12:00") - 10_000);

        assertThat(outcome.episodes())
                .containsExactly(
                        episode(
                                Rule.R11,
                                "10-17T10:00",
                                "10-19T10:00",
                                Severity.YELLOW,
                                AlertStatus.RESOLVED,
                                "10-22T10:00",
                                3));
        assertThat(outcome.ambiguities()).isEmpty();
    }

    @Test
    void aSurgeEndsAtItsWindowWakeUpWhenNoTransactionFollows() {
        // eleven 4,800-yuan cards an hour apart: 52,800 yuan in 7 days from the eleventh (R8)
        for (int i = 0; i < 11; i++) {
            saleOf("s" + i, String.format("10-01T%02d:00", 9 + i), "C" + i, 480_000, 30);
        }

        AlertTruth.Outcome outcome = evaluate(at("10-12T00:00"));

        // the wake-up at 8 Oct 19:00 finds (1 Oct 19:00, 8 Oct 19:00] empty: resolved a day
        // later; the silence from 1 Oct 19:00 with 52,800 yuan owed is R13 at 4 Oct 19:00
        assertThat(outcome.episodes())
                .containsExactly(
                        episode(
                                Rule.R8,
                                "10-01T19:00",
                                "10-01T19:00",
                                Severity.YELLOW,
                                AlertStatus.RESOLVED,
                                "10-09T19:00",
                                2),
                        episode(
                                Rule.R13,
                                "10-04T19:00",
                                "10-04T19:00",
                                Severity.YELLOW,
                                AlertStatus.OPEN,
                                null,
                                1));
        assertThat(outcome.ambiguities()).isEmpty();
    }

    @Test
    void aConditionRuleAddsAVersionOnlyWhenItsLevelRises() {
        sale("s1", "10-01T10:00", "C1", 60);
        // 100,000 in cash: owed 400,000 against 300,000 escrowed, R5 YELLOW (and R4 YELLOW)
        saleOf("s2", "10-01T11:00", "C2", 100_000, 30, Settlement.CASH);
        // owed 700,000 against 300,000: under half, RED (UPDATED); R4 hit again
        saleOf("s3", "10-02T11:00", "C3", 300_000, 30, Settlement.CASH);
        // escrow 400,000, then 450,000 and 460,000: back to YELLOW, no new version
        add("d1", "10-03T11:00", TransactionType.ESCROW_DEPOSIT, 100_000);
        add("d2", "10-04T11:00", TransactionType.ESCROW_DEPOSIT, 50_000);
        add("d3", "10-05T11:00", TransactionType.ESCROW_DEPOSIT, 10_000);

        AlertTruth.Outcome outcome = evaluate(at("10-05T11:00") - 10_000);

        // 400,000 outside supervision in 30 days stays under the 10,000 yuan of R4's RED
        assertThat(outcome.episodes())
                .containsExactly(
                        episode(
                                Rule.R4,
                                "10-01T11:00",
                                "10-02T11:00",
                                Severity.YELLOW,
                                AlertStatus.UPDATED,
                                null,
                                2),
                        episode(
                                Rule.R5,
                                "10-01T11:00",
                                "10-05T11:00",
                                Severity.RED,
                                AlertStatus.UPDATED,
                                null,
                                2));
        assertThat(outcome.ambiguities()).isEmpty();
    }

    @Test
    void theCompositeFollowsANewRefundSpikeAfterASurgeAndEndsWithIt() {
        // R8 from the eleventh 4,800-yuan card on 1 Oct 19:00; a class a day from 2 Oct 12:00
        for (int i = 0; i < 11; i++) {
            saleOf("s" + i, String.format("10-01T%02d:00", 9 + i), "C" + i, 480_000, 30);
        }
        for (int day = 2; day <= 20; day++) {
            add("c" + day, String.format("10-%02dT12:00", day), TransactionType.CONSUMPTION, 5_000);
        }
        // five refund requests on 10 Oct 10:00-14:00 (R10 from the fifth), paid on 12 Oct
        for (int i = 0; i < 5; i++) {
            txns.add(
                    base(
                                    "r" + i,
                                    String.format("10-10T%02d:00", 10 + i),
                                    TransactionType.REFUND_REQUEST,
                                    100_000)
                            .setCardId("C" + i)
                            .build());
            refundPaid("p" + i, String.format("10-12T%02d:00", 10 + i), 100_000, "r" + i, "C" + i);
        }

        AlertTruth.Outcome outcome = evaluate(at("10-20T12:00") - 10_000);

        // R8: (t - 7 d, t] holds all eleven sales up to 7 Oct 12:00, seven of them on 8 Oct
        // 12:00 (33,600 yuan): clear, resolved 9 Oct 12:00 after that day's class is applied.
        // R10: five requests in 7 days up to 16 Oct 12:00, two on 17 Oct: resolved 18 Oct 12:00.
        // The composite: R10's new alert 8 d 19 h after R8's start; it ends with R10.
        assertThat(outcome.episodes())
                .containsExactly(
                        episode(
                                Rule.R8,
                                "10-01T19:00",
                                "10-07T12:00",
                                Severity.YELLOW,
                                AlertStatus.RESOLVED,
                                "10-09T12:00",
                                2),
                        episode(
                                Rule.R10,
                                "10-10T14:00",
                                "10-16T12:00",
                                Severity.YELLOW,
                                AlertStatus.RESOLVED,
                                "10-18T12:00",
                                2),
                        episode(
                                Rule.COMPOSITE,
                                "10-10T14:00",
                                "10-10T14:00",
                                Severity.RED,
                                AlertStatus.RESOLVED,
                                "10-18T12:00",
                                2));
        assertThat(outcome.ambiguities()).isEmpty();
    }

    @Test
    void aHoldWithinAnHourOfTheQuietDeadlineIsAmbiguous() {
        add("d", "10-01T10:00", TransactionType.ESCROW_DEPOSIT, 100_000);
        add("x1", "10-01T12:00", TransactionType.ESCROW_RELEASE, 20_000);
        add("c1", "10-02T09:00", TransactionType.CONSUMPTION, 30_000);
        // 23.5 h clear: one convention's resolution, the other's cancelled clearance
        add("x2", "10-03T08:30", TransactionType.ESCROW_RELEASE, 20_000);
        add("e", "10-04T10:00", TransactionType.ESCROW_DEPOSIT, 10_000);

        AlertTruth.Outcome outcome = evaluate(at("10-04T10:00") - 10_000);

        assertThat(outcome.ambiguities())
                .containsExactly(
                        "R6 quiet period ending at "
                                + Time.format(at("10-03T09:00"))
                                + " is within an hour of the hold that decides it");
    }

    @Test
    void aReTriggerWithinAnHourOfTheCoolDownBoundaryIsAmbiguous() {
        add("d", "10-01T10:00", TransactionType.ESCROW_DEPOSIT, 100_000);
        add("x1", "10-01T12:00", TransactionType.ESCROW_RELEASE, 20_000);
        add("c1", "10-02T09:00", TransactionType.CONSUMPTION, 30_000);
        // resolved 3 Oct 09:00: the cool-down ends 10 Oct 09:00, 40 minutes before this
        add("x2", "10-10T09:40", TransactionType.ESCROW_RELEASE, 20_000);
        add("e", "10-11T10:00", TransactionType.ESCROW_DEPOSIT, 10_000);

        AlertTruth.Outcome outcome = evaluate(at("10-11T10:00") - 10_000);

        assertThat(outcome.ambiguities())
                .containsExactly(
                        "R6 cool-down ending at "
                                + Time.format(at("10-10T09:00"))
                                + " is within an hour of the hold that decides it");
    }

    /** R6 from 1 Oct 12:00, clear 2 Oct 09:00, resolved 3 Oct 09:00, holding again 6 Oct 14:00. */
    private void clearsForADayThenReTriggersOnTheSixth() {
        add("d", "10-01T10:00", TransactionType.ESCROW_DEPOSIT, 100_000);
        add("x1", "10-01T12:00", TransactionType.ESCROW_RELEASE, 20_000);
        add("c1", "10-02T09:00", TransactionType.CONSUMPTION, 30_000);
        add("x2", "10-06T14:00", TransactionType.ESCROW_RELEASE, 20_000);
    }

    private AlertTruth.Outcome evaluate(long watermarkEnd) {
        txns.sort(Comparator.comparing(PrepaidTransaction::getOccurredAt));
        AlertTruth truth =
                new AlertTruth(RuleThresholds.defaults(), watermarkEnd, at("12-31T00:00"));
        return truth.evaluate(ID, txns, List.of(institution()));
    }

    private static AlertTruth.Episode episode(
            Rule rule,
            String first,
            String last,
            Severity severity,
            AlertStatus status,
            String resolved,
            int versions) {
        return new AlertTruth.Episode(
                rule,
                rule.name() + "-" + ID + "-" + at(first),
                at(first),
                at(last),
                severity,
                status,
                resolved == null ? null : at(resolved),
                versions);
    }

    private void add(String id, String when, TransactionType type, long fen) {
        txns.add(base(id, when, type, fen).build());
    }

    /** A 3,000-yuan registered card of 30 class hours, into the supervised account. */
    private void sale(String id, String when, String card, int coveredDays) {
        saleOf(id, when, card, 300_000, coveredDays);
    }

    private void saleOf(String id, String when, String card, long fen, int coveredDays) {
        saleOf(id, when, card, fen, coveredDays, Settlement.SUPERVISED_ACCOUNT);
    }

    private void saleOf(
            String id, String when, String card, long fen, int coveredDays, Settlement settlement) {
        txns.add(
                base(id, when, TransactionType.CARD_SALE, fen)
                        .setCardId(card)
                        .setPayerId("P-" + card)
                        .setCardKind(CardKind.REGISTERED)
                        .setSettlement(settlement)
                        .setClassHours(30)
                        .setCoveredDays(coveredDays)
                        .build());
    }

    private void refundPaid(String id, String when, long fen, String request) {
        refundPaid(id, when, fen, request, "C1");
    }

    private void refundPaid(String id, String when, long fen, String request, String card) {
        txns.add(
                base(id, when, TransactionType.REFUND_PAID, fen)
                        .setCardId(card)
                        .setRefundRequestId(request)
                        .build());
    }

    private static PrepaidTransaction.Builder base(
            String id, String when, TransactionType type, long fen) {
        return PrepaidTransaction.newBuilder()
                .setTxnId(id)
                .setOccurredAt(Instant.ofEpochMilli(at(when)))
                .setInstitutionId(ID)
                .setType(type)
                .setAmountFen(fen);
    }

    private static Institution institution() {
        return Institution.newBuilder()
                .setInstitutionId(ID)
                .setName("Episode Centre")
                .setDistrict(District.XUHUI)
                .setCategory("music")
                .setLicenseStatus(LicenseStatus.ACTIVE)
                .setUpdatedAt(Instant.ofEpochMilli(at("01-01T00:00")))
                .build();
    }

    /** Epoch millis of a local time in 2020, written "MM-ddTHH:mm". */
    private static long at(String local) {
        return OffsetDateTime.parse("2020-" + local + ":00+08:00").toInstant().toEpochMilli();
    }
}
