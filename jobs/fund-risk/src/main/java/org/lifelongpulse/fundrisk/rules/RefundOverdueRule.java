package org.lifelongpulse.fundrisk.rules;

/**
 * R11: a refund request unpaid 15 days after it was made (base level), RED after 30 days. The job
 * sets event-time timers at both deadlines; a payment before a deadline cancels it.
 */
public record RefundOverdueRule(long yellowAfterMillis, long redAfterMillis, Level level) {

    public static RefundOverdueRule of(RuleSettings s) {
        return new RefundOverdueRule(
                s.days("yellow_after_days"), s.days("red_after_days"), s.level());
    }

    public long firstDeadline(long requestedAt) {
        return requestedAt + yellowAfterMillis;
    }

    public long redDeadline(long requestedAt) {
        return requestedAt + redAfterMillis;
    }

    /** The level of a request still unpaid at {@code now}, or null while it is not overdue. */
    public Level levelAt(long requestedAt, long now) {
        if (now >= redDeadline(requestedAt)) {
            return Level.RED;
        }
        return now >= firstDeadline(requestedAt) ? level : null;
    }
}
