package org.lifelongpulse.fundrisk.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lifelongpulse.fundrisk.Transactions.DAY;
import static org.lifelongpulse.fundrisk.Transactions.HOUR;
import static org.lifelongpulse.fundrisk.Transactions.INSTITUTION;
import static org.lifelongpulse.fundrisk.Transactions.at;
import static org.lifelongpulse.fundrisk.Transactions.instant;
import static org.lifelongpulse.fundrisk.Transactions.of;
import static org.lifelongpulse.fundrisk.Transactions.sale;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lifelongpulse.avro.AlertAction;
import org.lifelongpulse.avro.AlertActionType;
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
 * The alert lifecycle in the keyed function: one alert per real episode (quiet period, cool-down),
 * supervisors' closes, rule changes at their event time, and SHADOW trials beside the enforced
 * rules. Expected ids, versions and statuses are worked out by hand from the README's lifecycle.
 */
class AlertLifecycleTest {

    static final long T = at("2020-10-01T10:00");

    KeyedBroadcastOperatorTestHarness<String, InstitutionInput, ReferenceUpdate, AlertRow> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = AssessHarness.open(new AssessInstitutions(Duration.ofDays(60)));
        harness.processBroadcastWatermark(Long.MAX_VALUE);
        harness.processBroadcastElement(
                ReferenceUpdate.of(
                        Institution.newBuilder()
                                .setInstitutionId(INSTITUTION)
                                .setName("Test Centre")
                                .setDistrict(District.XUHUI)
                                .setCategory("music")
                                .setLicenseStatus(LicenseStatus.ACTIVE)
                                .setUpdatedAt(instant("2020-01-01T00:00"))
                                .build()),
                0);
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
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

    static FundTransaction cash(String id, long time, long fen) {
        return sale(id, time, fen, "C-" + id, "REGISTERED", "P-" + id, "CASH", 10, 30);
    }

    static FundTransaction deposit(String id, long time, long fen) {
        return of(FundTransaction.ESCROW_DEPOSIT, id, time, fen);
    }

    static RiskRule rule(
            String id,
            int version,
            RuleMode mode,
            boolean enabled,
            Long updatedAt,
            Map<String, Double> params) {
        return RiskRule.newBuilder()
                .setRuleId(id)
                .setVersion(version)
                .setEnabled(enabled)
                .setMode(mode)
                .setSeverity(Severity.RED)
                .setParams(Map.copyOf(params))
                .setUpdatedAt(updatedAt == null ? null : Instant.ofEpochMilli(updatedAt))
                .build();
    }

    /** A rule published, and the wake-up ReferenceWakeUps sends the institution with it. */
    void publish(RiskRule rule) throws Exception {
        harness.processBroadcastElement(ReferenceUpdate.of(rule), 0);
        long at = ReferenceUpdate.of(rule).effectiveAt();
        harness.processElement(InstitutionInput.ruleChange(INSTITUTION, at), at);
    }

    void close(String alertId, long seenVersion, String reason) throws Exception {
        AlertAction close =
                AlertAction.newBuilder()
                        .setActionId("a-" + alertId + "-" + seenVersion)
                        .setAlertId(alertId)
                        .setInstitutionId(INSTITUTION)
                        .setRuleId(alertId.substring(0, alertId.indexOf('-')))
                        .setAction(AlertActionType.CLOSE)
                        .setActor("ann")
                        .setText(reason)
                        .setActedAt(Instant.parse("2026-12-01T10:00:00Z"))
                        .setAlertVersion(seenVersion)
                        .build();
        harness.processElement(InstitutionInput.close(close), 0);
    }

    @Test
    void aConditionClearForLessThanTheQuietPeriodStaysOneOpenAlert() throws Exception {
        // coverage 0 (RED); fully covered an hour later; 75 % (YELLOW) nine hours after that
        send(
                cash("s1", T, 300_000),
                deposit("d1", T + HOUR, 300_000),
                cash("s2", T + 10 * HOUR, 100_000));
        harness.processWatermark(T + 3 * DAY);

        assertThat(alerts("R5"))
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.alertId()).isEqualTo("R5-INST-T-" + T);
                            assertThat(a.status()).isEqualTo("OPEN");
                            assertThat(a.severity()).isEqualTo("RED");
                        });
    }

    @Test
    void aReTriggerWithinTheCoolDownReopensTheSameAlertAndLaterOneOpensANewOne() throws Exception {
        send(cash("s1", T, 300_000), deposit("d1", T + HOUR, 300_000));
        // clear since T + 1 h: resolved at T + 25 h
        harness.processWatermark(T + 25 * HOUR);
        send(cash("s2", T + 3 * DAY, 100_000), deposit("d2", T + 3 * DAY + HOUR, 100_000));
        // clear again since T + 3 d 1 h: resolved at T + 4 d 1 h
        harness.processWatermark(T + 4 * DAY + HOUR);
        // eight days after that resolution: beyond the 7-day cool-down
        long later = T + 12 * DAY + 2 * HOUR;
        send(cash("s3", later, 100_000));

        List<AlertRow> r5 = alerts("R5");
        String first = "R5-INST-T-" + T;
        assertThat(r5)
                .extracting(AlertRow::alertId, AlertRow::version, AlertRow::status)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(first, 1L, "OPEN"),
                        org.assertj.core.groups.Tuple.tuple(first, 2L, "RESOLVED"),
                        org.assertj.core.groups.Tuple.tuple(first, 3L, "UPDATED"),
                        org.assertj.core.groups.Tuple.tuple(first, 4L, "RESOLVED"),
                        org.assertj.core.groups.Tuple.tuple("R5-INST-T-" + later, 1L, "OPEN"));
        // the re-opened alert keeps its start and its highest level; the new one starts afresh
        assertThat(r5.get(2).firstDetectedAt()).isEqualTo(T);
        assertThat(r5.get(2).lastDetectedAt()).isEqualTo(T + 3 * DAY);
        assertThat(r5.get(2).severity()).isEqualTo("RED");
        assertThat(r5.get(3).lastDetectedAt()).isEqualTo(T + 3 * DAY);
        assertThat(r5.get(4).severity()).isEqualTo("YELLOW");
    }

    @Test
    void anIncidentAlertStaysOpenUntilClosedAndCollectsItsHits() throws Exception {
        send(
                sale("s1", T, 600_000),
                sale("s2", T + DAY, 700_000),
                sale("s3", T + 40 * DAY, 800_000));
        harness.processWatermark(T + 100 * DAY);

        List<AlertRow> r2 = alerts("R2");
        assertThat(r2).extracting(AlertRow::alertId).containsOnly("R2-INST-T-" + T);
        assertThat(r2).extracting(AlertRow::status).containsExactly("OPEN", "UPDATED", "UPDATED");
        assertThat(r2.get(2).observed()).isEqualTo(8_000.0);
    }

    @Test
    void aCloseWaitsForTheVersionTheSupervisorSawAndAbsorbsReTriggersInTheCoolDown()
            throws Exception {
        String id = "R2-INST-T-" + T;
        send(sale("s1", T, 600_000));
        close(id, 2, "institution refunded the learner");
        assertThat(alerts("R2")).extracting(AlertRow::status).containsExactly("OPEN");

        send(sale("s2", T + HOUR, 600_000));
        send(sale("s3", T + 2 * DAY, 600_000));
        long later = T + HOUR + 7 * DAY + 1;
        send(sale("s4", later, 600_000));

        List<AlertRow> r2 = alerts("R2");
        assertThat(r2)
                .extracting(AlertRow::alertId, AlertRow::version, AlertRow::status)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(id, 1L, "OPEN"),
                        org.assertj.core.groups.Tuple.tuple(id, 2L, "UPDATED"),
                        org.assertj.core.groups.Tuple.tuple(id, 3L, "RESOLVED"),
                        org.assertj.core.groups.Tuple.tuple("R2-INST-T-" + later, 1L, "OPEN"));
        assertThat(r2.get(2).evidence())
                .startsWith(
                        "Closed by ann at 2020-10-01T03:00:00Z: institution refunded the"
                                + " learner. Last finding: ");
    }

    @Test
    void aDisabledRuleResolvesItsOpenAlertAtTheChangesEventTime() throws Exception {
        send(cash("s1", T, 300_000));
        publish(rule("R5", 1, RuleMode.ENFORCE, false, T + 5 * DAY, Map.of()));
        harness.processWatermark(T + 5 * DAY);

        List<AlertRow> r5 = alerts("R5");
        assertThat(r5).extracting(AlertRow::status).containsExactly("OPEN", "RESOLVED");
        assertThat(r5.get(1).evidence())
                .startsWith("Resolved at 2020-10-06T02:00:00Z: the rule was disabled.");
    }

    @Test
    void aTransactionIsJudgedByTheSettingsInForceAtItsEventTime() throws Exception {
        // published before both sales arrive; in force from T + 3 d only
        publish(
                rule(
                        "R2",
                        4,
                        RuleMode.ENFORCE,
                        true,
                        T + 3 * DAY,
                        Map.of("max_amount_yuan", 2000.0)));
        send(sale("s1", T + DAY, 300_000), sale("s2", T + 4 * DAY, 300_000));

        assertThat(alerts("R2"))
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.firstDetectedAt()).isEqualTo(T + 4 * DAY);
                            assertThat(a.ruleVersion()).isEqualTo(4);
                            assertThat(a.threshold()).isEqualTo(2000.0);
                        });
    }

    @Test
    void aShadowTrialRunsBesideTheEnforcedRuleAndEndsWithoutTouchingIt() throws Exception {
        publish(rule("R2", 1, RuleMode.SHADOW, true, null, Map.of("max_amount_yuan", 2000.0)));
        send(sale("s1", T, 300_000), sale("s2", T + HOUR, 600_000));

        List<AlertRow> r2 = alerts("R2");
        assertThat(r2)
                .extracting(AlertRow::alertId, AlertRow::status, AlertRow::shadow)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "R2-INST-T-" + T + "-shadow", "OPEN", true),
                        org.assertj.core.groups.Tuple.tuple(
                                "R2-INST-T-" + (T + HOUR), "OPEN", false),
                        org.assertj.core.groups.Tuple.tuple(
                                "R2-INST-T-" + T + "-shadow", "UPDATED", true));
        assertThat(r2.get(1).threshold()).isEqualTo(5000.0);
        assertThat(r2.get(2).threshold()).isEqualTo(2000.0);

        // the trial ends at T + 2 h: its alert resolves; the enforced one stays open
        publish(rule("R2", 2, RuleMode.SHADOW, false, T + 2 * HOUR, Map.of()));
        harness.processWatermark(T + 2 * HOUR);
        List<AlertRow> after = alerts("R2").subList(3, alerts("R2").size());
        assertThat(after)
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.alertId()).endsWith("-shadow");
                            assertThat(a.status()).isEqualTo("RESOLVED");
                            assertThat(a.evidence()).contains("the trial of the rule ended");
                        });
    }
}
