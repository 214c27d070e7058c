package org.lifelongpulse.fundrisk.rules;

import java.util.Optional;
import org.lifelongpulse.fundrisk.records.FundTransaction;

/**
 * R3: a card whose balance goes over its cap (anonymous 1,000 yuan, registered 5,000 yuan) with a
 * sale or top-up. The balance is what was loaded on the card less the consumption and the refunds
 * paid on it, so a long-lived card reloaded after use stays under its cap.
 */
public record CardCapRule(long anonymousCapFen, long registeredCapFen, Level level) {

    public static CardCapRule of(RuleSettings s) {
        return new CardCapRule(
                s.fen("anonymous_cap_yuan"), s.fen("registered_cap_yuan"), s.level());
    }

    /** The cap of a card of this kind; a card of unknown kind is held to the registered cap. */
    public long capOf(String cardKind) {
        return "ANONYMOUS".equals(cardKind) ? anonymousCapFen : registeredCapFen;
    }

    /**
     * @param cardBalanceFen the sale's card balance, this sale included
     */
    public Optional<Finding> check(FundTransaction sale, long cardBalanceFen) {
        if (!sale.isSale() || sale.cardId() == null) {
            return Optional.empty();
        }
        long cap = capOf(sale.cardKind());
        if (cardBalanceFen <= cap) {
            return Optional.empty();
        }
        long t = sale.eventTime();
        String kind = sale.cardKind() == null ? "card" : sale.cardKind().toLowerCase() + " card";
        return Optional.of(
                new Finding(
                        RuleId.R3,
                        level,
                        Money.asYuan(cardBalanceFen),
                        Money.asYuan(cap),
                        t,
                        t,
                        String.format(
                                "%s %s holds a balance of %s after charge %s, over its cap of %s.",
                                capitalized(kind),
                                sale.cardId(),
                                Money.yuan(cardBalanceFen),
                                sale.txnId(),
                                Money.yuan(cap))));
    }

    private static String capitalized(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
