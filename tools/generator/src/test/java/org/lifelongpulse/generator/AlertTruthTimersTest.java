package org.lifelongpulse.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
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
 * The timer rules on a hand-made institution: a refund paid 18 days after its request (R11 YELLOW
 * at day 15, no RED), a 98-hour silence (R13 at 72 h), and a last request whose timers only the
 * watermark of later events could reach; and the alert episodes they make.
 */
class AlertTruthTimersTest {

    private final List<PrepaidTransaction> txns = new ArrayList<>();
    private final Institution institution =
            Institution.newBuilder()
                    .setInstitutionId("INST-T")
                    .setName("Timer Centre")
                    .setDistrict(District.XUHUI)
                    .setCategory("music")
                    .setLicenseStatus(LicenseStatus.ACTIVE)
                    .setUpdatedAt(at("2020-01-01T00:00"))
                    .build();

    AlertTruthTimersTest() {
        add("s1", "2020-10-01T10:00", TransactionType.CARD_SALE, 300_000, null);
        add("r1", "2020-10-02T10:00", TransactionType.REFUND_REQUEST, 50_000, null);
        // nothing until 6 October: 98 hours of silence with money owed
        for (int day = 6; day <= 22; day++) {
            String when = String.format("2020-10-%02dT%s", day, day == 22 ? "09:00" : "12:00");
            add("c" + day, when, TransactionType.CONSUMPTION, 5_000, null);
            if (day == 20) {
                add("p1", "2020-10-20T10:00", TransactionType.REFUND_PAID, 50_000, "r1");
            }
            if (day == 21) {
                add("r2", "2020-10-21T10:00", TransactionType.REFUND_REQUEST, 20_000, null);
            }
        }
        txns.sort(java.util.Comparator.comparing(PrepaidTransaction::getOccurredAt));
    }

    @Test
    void timersFireUpToTheWatermarkOfTheLastEvent() {
        long lastEvent = at("2020-10-22T09:00").toEpochMilli();
        AlertTruth truth =
                new AlertTruth(
                        RuleThresholds.defaults(),
                        lastEvent - 10_000,
                        at("2020-10-23T00:00").toEpochMilli());

        AlertTruth.Outcome outcome = truth.evaluate("INST-T", txns, List.of(institution));

        assertThat(outcome.fired()).containsOnlyKeys(Rule.R11, Rule.R13);
        assertThat(outcome.fired().get(Rule.R11))
                .isEqualTo(
                        new AlertTruth.Detection(
                                Rule.R11,
                                at("2020-10-17T10:00").toEpochMilli(),
                                Severity.YELLOW,
                                null));
        assertThat(outcome.fired().get(Rule.R13))
                .isEqualTo(
                        new AlertTruth.Detection(
                                Rule.R13,
                                at("2020-10-05T10:00").toEpochMilli(),
                                Severity.YELLOW,
                                null));
        // r1 paid on 20 October resolves R11; R13 clears with the consumption of 6 October 12:00
        // and resolves 24 h later; r2's deadlines lie beyond the watermark
        assertThat(outcome.episodes())
                .containsExactly(
                        new AlertTruth.Episode(
                                Rule.R11,
                                "R11-INST-T-" + at("2020-10-17T10:00").toEpochMilli(),
                                at("2020-10-17T10:00").toEpochMilli(),
                                at("2020-10-17T10:00").toEpochMilli(),
                                Severity.YELLOW,
                                AlertStatus.RESOLVED,
                                at("2020-10-20T10:00").toEpochMilli(),
                                2),
                        new AlertTruth.Episode(
                                Rule.R13,
                                "R13-INST-T-" + at("2020-10-05T10:00").toEpochMilli(),
                                at("2020-10-05T10:00").toEpochMilli(),
                                at("2020-10-05T10:00").toEpochMilli(),
                                Severity.YELLOW,
                                AlertStatus.RESOLVED,
                                at("2020-10-07T12:00").toEpochMilli(),
                                2));
        assertThat(outcome.ambiguities()).isEmpty();
        // 300,000 sold - 17 x 5,000 delivered - 50,000 refunded; r2's 20,000 still pending
        assertThat(outcome.ledger().liability()).isEqualTo(165_000);
        assertThat(outcome.ledger().refundPending()).isEqualTo(20_000);
    }

    @Test
    void aLaterWatermarkWouldReachTheLastRequestsTimers() {
        AlertTruth truth =
                new AlertTruth(
                        RuleThresholds.defaults(),
                        at("2020-11-30T00:00").toEpochMilli(),
                        at("2020-12-31T00:00").toEpochMilli());

        AlertTruth.Outcome outcome = truth.evaluate("INST-T", txns, List.of(institution));
        AlertTruth.Detection r11 = outcome.fired().get(Rule.R11);

        // r2 of 21 October is never paid: RED 30 days later; the first YELLOW stays r1's
        assertThat(r11.firstDetectedAt()).isEqualTo(at("2020-10-17T10:00").toEpochMilli());
        assertThat(r11.severity()).isEqualTo(Severity.RED);
        assertThat(r11.firstRedAt()).isEqualTo(at("2020-11-20T10:00").toEpochMilli());
        // r2 falls due 5 November, 16 days after r1's alert resolved: a second alert, YELLOW
        // then RED (two versions); the silence after 22 October 09:00 is a second R13 alert
        // (17 days after the first resolved), with no transaction after it to clear it
        assertThat(outcome.episodes())
                .extracting(
                        AlertTruth.Episode::alertId,
                        AlertTruth.Episode::lastDetectedAt,
                        AlertTruth.Episode::severity,
                        AlertTruth.Episode::status,
                        AlertTruth.Episode::versions)
                .containsExactly(
                        tuple(
                                "R11-INST-T-" + at("2020-10-17T10:00").toEpochMilli(),
                                at("2020-10-17T10:00").toEpochMilli(),
                                Severity.YELLOW,
                                AlertStatus.RESOLVED,
                                2),
                        tuple(
                                "R11-INST-T-" + at("2020-11-05T10:00").toEpochMilli(),
                                at("2020-11-20T10:00").toEpochMilli(),
                                Severity.RED,
                                AlertStatus.UPDATED,
                                2),
                        tuple(
                                "R13-INST-T-" + at("2020-10-05T10:00").toEpochMilli(),
                                at("2020-10-05T10:00").toEpochMilli(),
                                Severity.YELLOW,
                                AlertStatus.RESOLVED,
                                2),
                        tuple(
                                "R13-INST-T-" + at("2020-10-25T09:00").toEpochMilli(),
                                at("2020-10-25T09:00").toEpochMilli(),
                                Severity.YELLOW,
                                AlertStatus.OPEN,
                                1));
    }

    private void add(String id, String when, TransactionType type, long fen, String request) {
        boolean sale = type == TransactionType.CARD_SALE;
        txns.add(
                PrepaidTransaction.newBuilder()
                        .setTxnId(id)
                        .setOccurredAt(at(when))
                        .setInstitutionId("INST-T")
                        .setType(type)
                        .setAmountFen(fen)
                        .setCardId("C1")
                        .setPayerId("P1")
                        .setCardKind(CardKind.REGISTERED)
                        .setSettlement(sale ? Settlement.SUPERVISED_ACCOUNT : null)
                        .setClassHours(sale ? 30 : null)
                        .setCoveredDays(sale ? 60 : null)
                        .setRefundRequestId(request)
                        .build());
    }

    private static Instant at(String local) {
        return OffsetDateTime.parse(local + ":00+08:00").toInstant();
    }
}
