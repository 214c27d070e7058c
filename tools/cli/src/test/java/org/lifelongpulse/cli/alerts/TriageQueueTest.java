package org.lifelongpulse.cli.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The triage queue's order, worked by hand: unacknowledged before acknowledged, within each RED
 * before YELLOW, within each the oldest first, ties by alert id; closed and shadow alerts are not
 * in it.
 */
class TriageQueueTest {

    private static final Instant T0 = Instant.parse("2021-10-25T00:00:00Z");

    static AlertCase alert(String id, String severity, int minute) {
        return new AlertCase(
                id,
                id.substring(0, 2),
                "INST-1",
                "",
                "PUDONG",
                severity,
                "OPEN",
                T0.plusSeconds(60L * minute),
                T0.plusSeconds(60L * minute),
                1,
                false,
                "evidence",
                "",
                "",
                "",
                "",
                "",
                null);
    }

    static AlertCase acked(AlertCase c, String by) {
        return new AlertCase(
                c.alertId(),
                c.ruleId(),
                c.institutionId(),
                c.institutionName(),
                c.district(),
                c.severity(),
                c.status(),
                c.firstDetectedAt(),
                c.lastDetectedAt(),
                c.version(),
                c.shadow(),
                c.evidence(),
                by,
                c.assignee(),
                c.lastNote(),
                c.closedBy(),
                c.closeReason(),
                c.supervisorClosedAt());
    }

    static AlertCase assigned(AlertCase c, String to) {
        return new AlertCase(
                c.alertId(),
                c.ruleId(),
                c.institutionId(),
                c.institutionName(),
                c.district(),
                c.severity(),
                c.status(),
                c.firstDetectedAt(),
                c.lastDetectedAt(),
                c.version(),
                c.shadow(),
                c.evidence(),
                c.acknowledgedBy(),
                to,
                c.lastNote(),
                c.closedBy(),
                c.closeReason(),
                c.supervisorClosedAt());
    }

    static AlertCase closedBy(AlertCase c, String by, String reason, int minute) {
        return new AlertCase(
                c.alertId(),
                c.ruleId(),
                c.institutionId(),
                c.institutionName(),
                c.district(),
                c.severity(),
                c.status(),
                c.firstDetectedAt(),
                c.lastDetectedAt(),
                c.version(),
                c.shadow(),
                c.evidence(),
                c.acknowledgedBy(),
                c.assignee(),
                c.lastNote(),
                by,
                reason,
                T0.plusSeconds(60L * minute));
    }

    static AlertCase resolved(AlertCase c, int lastMinute) {
        return new AlertCase(
                c.alertId(),
                c.ruleId(),
                c.institutionId(),
                c.institutionName(),
                c.district(),
                c.severity(),
                "RESOLVED",
                c.firstDetectedAt(),
                T0.plusSeconds(60L * lastMinute),
                c.version() + 1,
                c.shadow(),
                "paid",
                c.acknowledgedBy(),
                c.assignee(),
                c.lastNote(),
                c.closedBy(),
                c.closeReason(),
                c.supervisorClosedAt());
    }

    static AlertCase shadow(AlertCase c) {
        return new AlertCase(
                c.alertId() + "-shadow",
                c.ruleId(),
                c.institutionId(),
                c.institutionName(),
                c.district(),
                c.severity(),
                c.status(),
                c.firstDetectedAt(),
                c.lastDetectedAt(),
                c.version(),
                true,
                c.evidence(),
                "",
                "",
                "",
                "",
                "",
                null);
    }

    // acknowledged: an old RED and an older YELLOW; unacknowledged: two REDs and a YELLOW
    private static final AlertCase ACKED_RED =
            assigned(acked(alert("R5-a", "RED", 20), "li"), "zhang");
    private static final AlertCase ACKED_YELLOW = acked(alert("R8-b", "YELLOW", 10), "zhang");
    private static final AlertCase NEW_RED = alert("R2-c", "RED", 30);
    private static final AlertCase LATER_RED_B = alert("R5-e", "RED", 100);
    private static final AlertCase LATER_RED_A = alert("R5-d", "RED", 100);
    private static final AlertCase NEW_YELLOW = alert("R4-f", "YELLOW", 5);
    private static final AlertCase CLOSED = closedBy(alert("R3-g", "RED", 1), "li", "fine", 200);
    private static final AlertCase RESOLVED = resolved(alert("R11-h", "RED", 2), 150);

    private static final List<AlertCase> ALL =
            List.of(
                    CLOSED,
                    ACKED_YELLOW,
                    LATER_RED_B,
                    NEW_YELLOW,
                    shadow(NEW_RED),
                    RESOLVED,
                    ACKED_RED,
                    NEW_RED,
                    LATER_RED_A);

    @Test
    void unacknowledgedFirstThenRedThenOldest() {
        assertThat(TriageQueue.open(ALL, null, 100))
                .extracting(AlertCase::alertId)
                .containsExactly("R2-c", "R5-d", "R5-e", "R4-f", "R5-a", "R8-b");
    }

    @Test
    void theLimitCutsTheOrderedQueue() {
        assertThat(TriageQueue.open(ALL, null, 2))
                .extracting(AlertCase::alertId)
                .containsExactly("R2-c", "R5-d");
    }

    @Test
    void myAlertsAreTheOpenOnesAssignedToMe() {
        assertThat(TriageQueue.open(ALL, "zhang", 100))
                .extracting(AlertCase::alertId)
                .containsExactly("R5-a"); // R8-b was acknowledged by zhang, not assigned
        assertThat(TriageQueue.open(ALL, "li", 100)).isEmpty();
    }

    @Test
    void closedAreTheSupervisorsClosesAndTheJobsResolutionsLatestFirst() {
        List<AlertCase> closed = TriageQueue.closed(ALL, null, 100);
        assertThat(closed).extracting(AlertCase::alertId).containsExactly("R3-g", "R11-h");
        assertThat(closed)
                .extracting(AlertCase::endedBy, AlertCase::endReason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("li", "fine"),
                        org.assertj.core.groups.Tuple.tuple("(resolved by the job)", "paid"));
        assertThat(TriageQueue.closed(ALL, T0.plusSeconds(60L * 160), 100))
                .extracting(AlertCase::alertId)
                .containsExactly("R3-g");
    }

    @Test
    void aCloseNotYetAppliedByTheJobAlreadyTakesTheAlertOutOfTheQueue() {
        assertThat(CLOSED.status()).isEqualTo("OPEN");
        assertThat(CLOSED.open()).isFalse();
        assertThat(CLOSED.closedAt()).isEqualTo(T0.plusSeconds(12_000));
    }
}
