package org.lifelongpulse.fundrisk.rules;

/**
 * An institution's store as the enforcing engine records transactions in it: beside what the rules
 * judge with ({@link InstitutionStore}), the card balances and the settling of refund requests,
 * which a SHADOW trial reads through the enforcing engine's results and never changes.
 */
public interface InstitutionRecords extends InstitutionStore {

    /**
     * Moves a card's balance (R3: loads less consumption and refunds paid on the card) by {@code
     * deltaFen}; returns the new balance. A balance back at zero drops the card.
     */
    long addToCard(String cardId, long deltaFen);

    /** Removes and returns a request; null if it was not unpaid. */
    RefundRequest removeRefundRequest(String id);
}
