package org.lifelongpulse.fundrisk.records;

import org.lifelongpulse.admission.EventMinute;

/**
 * An institution's ledger after the transactions of one event-time instant, for {@code
 * institution_ledger} (latest) and {@code institution_ledger_minute} (its minute). {@code coverage}
 * is escrow / liability, +infinity when nothing is owed. {@code version} counts the transactions
 * applied so far, so a later row always replaces an earlier one.
 */
public record LedgerRow(
        String institutionId,
        String district,
        long collectedFen,
        long deliveredFen,
        long refundedFen,
        long refundPendingFen,
        long escrowFen,
        long releasedFen,
        long liabilityFen,
        double coverage,
        long salesOutsideSupervisionFen,
        long lastEventAt,
        long version) {

    /** Start of the event-time minute of the last event. */
    public long minute() {
        return EventMinute.startOf(lastEventAt);
    }
}
