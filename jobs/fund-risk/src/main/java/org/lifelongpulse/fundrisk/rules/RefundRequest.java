package org.lifelongpulse.fundrisk.rules;

/**
 * An unpaid refund request (R11): its amount, when it was made, and the level it reached once
 * overdue (null before). One keyed map entry per request, by request id.
 */
public record RefundRequest(long amountFen, long requestedAt, Level overdue) {

    public RefundRequest withOverdue(Level level) {
        return new RefundRequest(amountFen, requestedAt, level);
    }
}
