package org.lifelongpulse.fundrisk.records;

import org.lifelongpulse.admission.Admissible;
import org.lifelongpulse.admission.EventIdHash;

/**
 * One prepaid-fee movement inside the job: the contract's fields with the payer and the card
 * replaced by keyed hashes, enums as their symbols, and where the message came from. Optional
 * fields are null. The transaction id's {@link EventIdHash} is computed once, by the constructor
 * without it, where the message is decoded, and travels with the record.
 */
public record FundTransaction(
        String txnId,
        long eventTime,
        String institutionId,
        String type,
        long amountFen,
        String cardId,
        String payerHash,
        String cardKind,
        Integer classHours,
        Integer coveredDays,
        String settlement,
        String refundRequestId,
        String sourceTopic,
        int sourcePartition,
        long sourceOffset,
        long eventIdHash)
        implements Admissible {

    /** A transaction whose id hash is computed here, from {@code txnId}. */
    public FundTransaction(
            String txnId,
            long eventTime,
            String institutionId,
            String type,
            long amountFen,
            String cardId,
            String payerHash,
            String cardKind,
            Integer classHours,
            Integer coveredDays,
            String settlement,
            String refundRequestId,
            String sourceTopic,
            int sourcePartition,
            long sourceOffset) {
        this(
                txnId,
                eventTime,
                institutionId,
                type,
                amountFen,
                cardId,
                payerHash,
                cardKind,
                classHours,
                coveredDays,
                settlement,
                refundRequestId,
                sourceTopic,
                sourcePartition,
                sourceOffset,
                EventIdHash.of(txnId));
    }

    public static final String CARD_SALE = "CARD_SALE";
    public static final String TOP_UP = "TOP_UP";
    public static final String CONSUMPTION = "CONSUMPTION";
    public static final String REFUND_REQUEST = "REFUND_REQUEST";
    public static final String REFUND_PAID = "REFUND_PAID";
    public static final String ESCROW_DEPOSIT = "ESCROW_DEPOSIT";
    public static final String ESCROW_RELEASE = "ESCROW_RELEASE";

    @Override
    public String eventId() {
        return txnId;
    }

    /** A card sale or a top-up: money collected from a learner. */
    public boolean isSale() {
        return CARD_SALE.equals(type) || TOP_UP.equals(type);
    }

    /** Settled into the supervised account or a third-party escrow. */
    public boolean isSupervised() {
        return "SUPERVISED_ACCOUNT".equals(settlement) || "THIRD_PARTY_ESCROW".equals(settlement);
    }

    /** Settled to the institution's own account or in cash: outside supervision. */
    public boolean isOutsideSupervision() {
        return "INSTITUTION_ACCOUNT".equals(settlement) || "CASH".equals(settlement);
    }
}
