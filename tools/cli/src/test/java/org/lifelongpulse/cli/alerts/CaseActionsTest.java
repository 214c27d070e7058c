package org.lifelongpulse.cli.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.lifelongpulse.avro.AlertAction;
import org.lifelongpulse.avro.AlertActionType;
import org.lifelongpulse.contracts.Topic;

/** What an action records, and when nothing is recorded. */
class CaseActionsTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final UUID ID = UUID.fromString("0b3c7a52-3f0e-4d2a-9c5e-6c1f2b8d9e01");

    /** An UPDATED RED alert at version 3. */
    private static final AlertCase ALERT =
            new AlertCase(
                    "R5-INST-0052-1635121200000",
                    "R5",
                    "INST-0052",
                    "Riverside",
                    "PUDONG",
                    "RED",
                    "UPDATED",
                    Instant.parse("2021-10-25T00:20:00Z"),
                    Instant.parse("2021-10-26T00:20:00Z"),
                    3,
                    false,
                    "Escrow covers 40%",
                    "",
                    "",
                    "",
                    "",
                    "",
                    null);

    private static CaseActions.Outcome decide(
            AlertActionType type, Optional<AlertCase> found, String assignee, String text) {
        return CaseActions.decide(
                new CaseActions.Request(
                        type, "R5-INST-0052-1635121200000", "li.wei", assignee, text),
                found,
                NOW,
                ID);
    }

    @Test
    void aCloseCarriesTheAlertAsSeenTheReasonAndTheActor() {
        CaseActions.Outcome outcome =
                decide(AlertActionType.CLOSE, Optional.of(ALERT), null, "escrow topped up");
        assertThat(outcome.exitCode()).isZero();
        AlertAction a = outcome.action();
        assertThat(a.getActionId()).isEqualTo(ID.toString());
        assertThat(a.getAlertId()).isEqualTo("R5-INST-0052-1635121200000");
        assertThat(a.getInstitutionId()).isEqualTo("INST-0052");
        assertThat(a.getRuleId()).isEqualTo("R5");
        assertThat(a.getAction()).isEqualTo(AlertActionType.CLOSE);
        assertThat(a.getActor()).isEqualTo("li.wei");
        assertThat(a.getAssignee()).isNull();
        assertThat(a.getText()).isEqualTo("escrow topped up");
        assertThat(a.getActedAt()).isEqualTo(NOW);
        assertThat(a.getAlertVersion()).isEqualTo(3L);
        assertThat(Topic.ALERT_ACTIONS.keyOf(a)).isEqualTo(ID.toString());
        assertThat(outcome.message())
                .startsWith("R5-INST-0052-1635121200000 (R5, INST-0052, version 3) closed")
                .contains("escrow topped up")
                .contains("by li.wei");
    }

    @Test
    void anAssignmentNamesTheAssignee() {
        CaseActions.Outcome outcome =
                decide(AlertActionType.ASSIGN, Optional.of(ALERT), "zhang.min", null);
        assertThat(outcome.action().getAssignee()).isEqualTo("zhang.min");
        assertThat(outcome.message()).contains("assigned to zhang.min by li.wei");
    }

    @Test
    void anUnknownAlertRecordsNothing() {
        CaseActions.Outcome outcome = decide(AlertActionType.ACK, Optional.empty(), null, null);
        assertThat(outcome.recorded()).isFalse();
        assertThat(outcome.exitCode()).isEqualTo(1);
        assertThat(outcome.message()).startsWith("no alert R5-INST-0052-1635121200000");
    }

    @Test
    void aClosedOrResolvedAlertTakesNotesOnly() {
        AlertCase closed = TriageQueueTest.closedBy(ALERT, "zhang.min", "duplicate", 5);
        for (AlertActionType type :
                new AlertActionType[] {
                    AlertActionType.CLOSE, AlertActionType.ACK, AlertActionType.ASSIGN
                }) {
            CaseActions.Outcome outcome = decide(type, Optional.of(closed), "x", "again");
            assertThat(outcome.exitCode()).as(type.toString()).isEqualTo(1);
            assertThat(outcome.message()).contains("already closed by zhang.min: duplicate");
        }
        CaseActions.Outcome resolved =
                decide(
                        AlertActionType.CLOSE,
                        Optional.of(TriageQueueTest.resolved(ALERT, 9)),
                        null,
                        "r");
        assertThat(resolved.exitCode()).isEqualTo(1);
        assertThat(resolved.message()).contains("already closed (RESOLVED by the fund-risk job");
        assertThat(
                        decide(AlertActionType.NOTE, Optional.of(closed), null, "post-mortem")
                                .recorded())
                .isTrue();
    }

    @Test
    void shadowAlertsAreNotCases() {
        CaseActions.Outcome outcome =
                decide(AlertActionType.ACK, Optional.of(TriageQueueTest.shadow(ALERT)), null, null);
        assertThat(outcome.exitCode()).isEqualTo(1);
        assertThat(outcome.message()).contains("shadow alert");
    }

    @Test
    void theActorIsByThenPulseSupervisorThenUser() {
        Map<String, String> both = Map.of("PULSE_SUPERVISOR", "li.wei", "USER", "root");
        assertThat(CaseActions.actor(" zhang.min ", both)).contains("zhang.min");
        assertThat(CaseActions.actor(null, both)).contains("li.wei");
        assertThat(CaseActions.actor("  ", Map.of("USER", "root"))).contains("root");
        assertThat(CaseActions.actor(null, Map.of("PULSE_SUPERVISOR", " "))).isEmpty();
    }
}
