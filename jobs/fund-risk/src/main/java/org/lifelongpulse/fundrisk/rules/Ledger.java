package org.lifelongpulse.fundrisk.rules;

import java.util.HashMap;
import java.util.Map;
import org.lifelongpulse.fundrisk.records.FundTransaction;

/**
 * One institution's prepaid-fund ledger, to the fen (DESIGN.md): collected = sales and top-ups;
 * delivered = consumption; refunded = refunds paid; refund pending = requests not yet paid;
 * liability = collected - delivered - refunded; escrow = supervised sales and top-ups + deposits
 * - releases; coverage = escrow / liability. A Flink POJO (kept in keyed state).
 */
public class Ledger {

    public long collected;
    public long delivered;
    public long refunded;
    public long escrow;
    public long released;
    public long outsideSupervision;
    /** Unpaid refund requests: request txn id to amount. */
    public Map<String, Long> pendingRequests = new HashMap<>();

    public Ledger() {}

    /** Applies one de-duplicated transaction. */
    public void apply(FundTransaction txn) {
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
            case FundTransaction.REFUND_REQUEST -> pendingRequests.put(txn.txnId(), amount);
            case FundTransaction.REFUND_PAID -> {
                refunded += amount;
                if (txn.refundRequestId() != null) {
                    pendingRequests.remove(txn.refundRequestId());
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

    public long refundPending() {
        long sum = 0;
        for (long amount : pendingRequests.values()) {
            sum += amount;
        }
        return sum;
    }

    /** Escrow over liability; +infinity when nothing is owed (everything owed is covered). */
    public double coverage() {
        long liability = liability();
        return liability <= 0 ? Double.POSITIVE_INFINITY : (double) escrow / liability;
    }
}
