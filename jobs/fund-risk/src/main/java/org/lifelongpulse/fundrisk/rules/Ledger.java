package org.lifelongpulse.fundrisk.rules;

import org.lifelongpulse.fundrisk.records.FundTransaction;

/**
 * One institution's prepaid-fund ledger, to the fen (DESIGN.md): collected = sales and top-ups;
 * delivered = consumption; refunded = refunds paid; refund pending = requests not yet paid;
 * liability = collected - delivered - refunded; escrow = supervised sales and top-ups + deposits -
 * releases; coverage = escrow / liability. A Flink POJO, the keyed value read on every transaction;
 * its counters stay public fields since the rule tests set them by hand. The unpaid requests
 * themselves are one keyed map entry each ({@link RefundRequest}); the ledger keeps their sum.
 */
public class Ledger {

    public long collected;
    public long delivered;
    public long refunded;
    public long escrow;
    public long released;
    public long outsideSupervision;

    /** Sum of the unpaid refund requests. */
    public long refundPending;

    public Ledger() {}

    /**
     * Applies one de-duplicated transaction.
     *
     * @param settled for a refund paid, the request it pays if that is still unpaid, else null
     */
    public void apply(FundTransaction txn, RefundRequest settled) {
        long amount = txn.amountFen();
        switch (txn.type()) {
            case FundTransaction.CARD_SALE, FundTransaction.TOP_UP -> {
                collected += amount;
                if (txn.isSupervised()) {
                    escrow += amount;
                } else if (txn.isOutsideSupervision()) {
                    outsideSupervision += amount;
                }
            }
            case FundTransaction.CONSUMPTION -> delivered += amount;
            case FundTransaction.REFUND_REQUEST -> {
                // pending once per request id: see requestRefund, which the engine calls for a
                // request it does not know yet (a resend past de-duplication must not count twice)
            }
            case FundTransaction.REFUND_PAID -> {
                refunded += amount;
                if (settled != null) {
                    refundPending -= settled.amountFen();
                }
            }
            case FundTransaction.ESCROW_DEPOSIT -> escrow += amount;
            case FundTransaction.ESCROW_RELEASE -> {
                escrow -= amount;
                released += amount;
            }
            default -> {
                // an UNKNOWN type from a newer producer moves no money we understand
            }
        }
    }

    public long liability() {
        return collected - delivered - refunded;
    }

    /** A refund request not seen before is pending until a refund paid settles it. */
    public void requestRefund(long amountFen) {
        refundPending += amountFen;
    }

    public long refundPending() {
        return refundPending;
    }

    /** Escrow over liability; +infinity when nothing is owed (everything owed is covered). */
    public double coverage() {
        long liability = liability();
        return liability <= 0 ? Double.POSITIVE_INFINITY : (double) escrow / liability;
    }
}
