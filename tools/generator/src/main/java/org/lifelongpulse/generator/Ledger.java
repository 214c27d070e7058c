package org.lifelongpulse.generator;

import java.util.LinkedHashMap;
import java.util.Map;
import org.lifelongpulse.avro.PrepaidTransaction;
import org.lifelongpulse.avro.Settlement;

/**
 * One institution's prepaid-fund ledger, to the fen, as DESIGN.md defines it: collected = sales and
 * top-ups; delivered = consumption; refunded = refunds paid; refund pending = requests not yet
 * matched by a payment; liability = collected - delivered - refunded; escrow = supervised sales and
 * top-ups + deposits - releases; coverage = escrow / liability.
 */
public final class Ledger {

    private long collected;
    private long delivered;
    private long refunded;
    private long escrow;
    private long released;
    private final Map<String, Long> pendingRequests = new LinkedHashMap<>();

    /** Applies one (de-duplicated) transaction. */
    public void apply(PrepaidTransaction txn) {
        long amount = txn.getAmountFen();
        switch (txn.getType()) {
            case CARD_SALE, TOP_UP -> {
                collected += amount;
                if (supervised(txn.getSettlement())) {
                    escrow += amount;
                }
            }
            case CONSUMPTION -> delivered += amount;
            case REFUND_REQUEST -> pendingRequests.put(txn.getTxnId(), amount);
            case REFUND_PAID -> {
                refunded += amount;
                if (txn.getRefundRequestId() != null) {
                    pendingRequests.remove(txn.getRefundRequestId().toString());
                }
            }
            case ESCROW_DEPOSIT -> escrow += amount;
            case ESCROW_RELEASE -> {
                escrow -= amount;
                released += amount;
            }
            default -> throw new IllegalArgumentException("unknown type " + txn.getType());
        }
    }

    /** Sales settled into the supervised account or a third-party escrow count as escrow. */
    public static boolean supervised(Settlement settlement) {
        return settlement == Settlement.SUPERVISED_ACCOUNT
                || settlement == Settlement.THIRD_PARTY_ESCROW;
    }

    public long collected() {
        return collected;
    }

    public long delivered() {
        return delivered;
    }

    public long refunded() {
        return refunded;
    }

    public long refundPending() {
        return pendingRequests.values().stream().mapToLong(Long::longValue).sum();
    }

    public long escrow() {
        return escrow;
    }

    public long released() {
        return released;
    }

    public long liability() {
        return collected - delivered - refunded;
    }

    /** Escrow over liability; null when nothing is owed. */
    public Double coverage() {
        long liability = liability();
        return liability <= 0 ? null : (double) escrow / liability;
    }
}
