package org.lifelongpulse.cli.alerts;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The supervisors' work lists from the alerts' cases: the triage queue of open alerts and the
 * recently closed ones. The dashboards' "Triage queue" and "Recently closed" panels order their SQL
 * the same way.
 */
public final class TriageQueue {

    /** Unacknowledged first, then RED before YELLOW, then the oldest first; ties by alert id. */
    public static final Comparator<AlertCase> ORDER =
            Comparator.comparing(AlertCase::acknowledged)
                    .thenComparingInt(c -> severityRank(c.severity()))
                    .thenComparing(AlertCase::firstDetectedAt)
                    .thenComparing(AlertCase::alertId);

    /** The latest close first; ties by alert id. */
    public static final Comparator<AlertCase> CLOSED_ORDER =
            Comparator.comparing(AlertCase::closedAt, Comparator.reverseOrder())
                    .thenComparing(AlertCase::alertId);

    private TriageQueue() {}

    /**
     * The open enforced alerts in triage order, at most {@code limit}.
     *
     * @param assignee only those assigned to this supervisor, or null for all
     */
    public static List<AlertCase> open(Collection<AlertCase> cases, String assignee, int limit) {
        return cases.stream()
                .filter(c -> !c.shadow() && c.open())
                .filter(c -> assignee == null || c.assignee().equals(assignee))
                .sorted(ORDER)
                .limit(limit)
                .toList();
    }

    /**
     * The closed or resolved enforced alerts, the latest first, at most {@code limit}.
     *
     * @param since only those that ended at or after it, or null for all
     */
    public static List<AlertCase> closed(Collection<AlertCase> cases, Instant since, int limit) {
        return cases.stream()
                .filter(c -> !c.shadow() && !c.open())
                .filter(c -> since == null || !c.closedAt().isBefore(since))
                .sorted(CLOSED_ORDER)
                .limit(limit)
                .toList();
    }

    private static int severityRank(String severity) {
        return switch (severity) {
            case "RED" -> 0;
            case "YELLOW" -> 1;
            default -> 2;
        };
    }
}
