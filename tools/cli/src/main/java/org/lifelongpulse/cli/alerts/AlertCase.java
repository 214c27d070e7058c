package org.lifelongpulse.cli.alerts;

import java.time.Instant;

/**
 * One alert as a supervisor handles it: its latest state ({@code pulse.risk_alerts}) and what
 * supervisors have done with it ({@code pulse.alert_actions}). Text fields are empty, not null,
 * when there is nothing (ClickHouse's defaults in a left join).
 *
 * @param severity {@code RED}, {@code YELLOW} or {@code UNKNOWN}
 * @param status {@code OPEN}, {@code UPDATED} or {@code RESOLVED}
 * @param version the alert's latest version, the one a supervisor sees
 * @param acknowledgedBy who acknowledged it first, empty when nobody has
 * @param assignee who it is assigned to (the latest assignment), empty when unassigned
 * @param lastNote the latest note, empty when none
 * @param closedBy who closed it (the first close), empty when no supervisor has
 * @param closeReason that close's reason
 * @param supervisorClosedAt when that close was recorded (wall clock), null when none
 */
public record AlertCase(
        String alertId,
        String ruleId,
        String institutionId,
        String institutionName,
        String district,
        String severity,
        String status,
        Instant firstDetectedAt,
        Instant lastDetectedAt,
        long version,
        boolean shadow,
        String evidence,
        String acknowledgedBy,
        String assignee,
        String lastNote,
        String closedBy,
        String closeReason,
        Instant supervisorClosedAt) {

    public boolean acknowledged() {
        return !acknowledgedBy.isEmpty();
    }

    /** Closed by a supervisor: final for this episode, even before the job wrote RESOLVED. */
    public boolean closedBySupervisor() {
        return !closedBy.isEmpty();
    }

    /** Neither resolved by the job nor closed by a supervisor. */
    public boolean open() {
        return !"RESOLVED".equals(status) && !closedBySupervisor();
    }

    /**
     * When the episode ended: the supervisor's close, else (resolved by the job) its last
     * detection, the nearest time the tables keep; null while open.
     */
    public Instant closedAt() {
        if (closedBySupervisor()) {
            return supervisorClosedAt;
        }
        return open() ? null : lastDetectedAt;
    }

    /** Who ended it: the supervisor, or the job. */
    public String endedBy() {
        return closedBySupervisor() ? closedBy : open() ? "" : "(resolved by the job)";
    }

    /** Why it ended: the close's reason, or the evidence of the job's RESOLVED version. */
    public String endReason() {
        return closedBySupervisor() ? closeReason : open() ? "" : evidence;
    }
}
