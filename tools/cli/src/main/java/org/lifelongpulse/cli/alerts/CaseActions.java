package org.lifelongpulse.cli.alerts;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.lifelongpulse.avro.AlertAction;
import org.lifelongpulse.avro.AlertActionType;

/**
 * What {@code ./pulse alerts ack|assign|note|close} records: the {@link AlertAction} for the alert
 * as the supervisor saw it (its latest version), or why nothing is recorded. Plain Java, so that
 * the decisions are tested without Kafka or ClickHouse.
 */
public final class CaseActions {

    /**
     * A supervisor's request.
     *
     * @param assignee ASSIGN: who to assign to; else null
     * @param text the note, the close's reason, or a comment; null when none
     */
    public record Request(
            AlertActionType type, String alertId, String actor, String assignee, String text) {}

    /**
     * The decision: an action to publish and the line saying what was recorded, or no action, the
     * reason, and exit code 1.
     */
    public record Outcome(AlertAction action, String message) {

        public boolean recorded() {
            return action != null;
        }

        public int exitCode() {
            return recorded() ? 0 : 1;
        }
    }

    private CaseActions() {}

    /**
     * The supervisor acting: {@code --by} when given, else {@code $PULSE_SUPERVISOR}, else {@code
     * $USER}; empty when none of them is set.
     */
    public static Optional<String> actor(String by, Map<String, String> environment) {
        for (String candidate :
                new String[] {by, environment.get("PULSE_SUPERVISOR"), environment.get("USER")}) {
            if (candidate != null && !candidate.isBlank()) {
                return Optional.of(candidate.strip());
            }
        }
        return Optional.empty();
    }

    /**
     * The action for {@code request} on the alert found (empty: no such alert), acted at {@code
     * now} with the id {@code actionId}. Shadow alerts take no actions (they are trials, nobody's
     * case); a closed or resolved alert takes only notes.
     */
    public static Outcome decide(
            Request request, Optional<AlertCase> found, Instant now, UUID actionId) {
        if (found.isEmpty()) {
            return new Outcome(
                    null,
                    "no alert "
                            + request.alertId()
                            + " in pulse.risk_alerts (see `./pulse alerts list`, or `--closed`)");
        }
        AlertCase alert = found.get();
        if (alert.shadow()) {
            return new Outcome(
                    null,
                    alert.alertId()
                            + " is a shadow alert of a rule on trial: it is not a case to handle");
        }
        if (!alert.open() && request.type() != AlertActionType.NOTE) {
            return new Outcome(
                    null,
                    alert.alertId()
                            + " is already closed"
                            + (alert.closedBySupervisor()
                                    ? " by " + alert.closedBy() + ": " + alert.closeReason()
                                    : " (RESOLVED by the fund-risk job: " + alert.evidence() + ")")
                            + "; nothing recorded");
        }
        AlertAction action =
                AlertAction.newBuilder()
                        .setActionId(actionId.toString())
                        .setAlertId(alert.alertId())
                        .setInstitutionId(alert.institutionId())
                        .setRuleId(alert.ruleId())
                        .setAction(request.type())
                        .setActor(request.actor())
                        .setAssignee(request.assignee())
                        .setText(request.text())
                        .setActedAt(now)
                        .setAlertVersion(alert.version())
                        .build();
        return new Outcome(action, describe(action));
    }

    /** The one line saying what was recorded. */
    static String describe(AlertAction a) {
        String what =
                switch (a.getAction()) {
                    case ACK -> "acknowledged";
                    case ASSIGN -> "assigned to " + a.getAssignee();
                    case NOTE -> "noted \"" + a.getText() + "\"";
                    case CLOSE -> "closed (reason: " + a.getText() + ")";
                    default -> a.getAction().toString();
                };
        boolean comment =
                a.getText() != null
                        && a.getAction() != AlertActionType.NOTE
                        && a.getAction() != AlertActionType.CLOSE;
        return a.getAlertId()
                + " ("
                + a.getRuleId()
                + ", "
                + a.getInstitutionId()
                + ", version "
                + a.getAlertVersion()
                + ") "
                + what
                + (comment ? " with the comment \"" + a.getText() + "\"" : "")
                + " by "
                + a.getActor()
                + "; action "
                + a.getActionId()
                + (a.getAction() == AlertActionType.CLOSE
                        ? "; the fund-risk job resolves the alert"
                        : "");
    }
}
