package org.lifelongpulse.fundrisk.rules;

import java.util.Optional;
import org.lifelongpulse.fundrisk.records.FundTransaction;

/** R2: one sale or top-up over 5,000 yuan. */
public record ChargeAmountRule(long maxChargeFen, Level level) {

    public static ChargeAmountRule of(RuleSettings s) {
        return new ChargeAmountRule(s.fen("max_amount_yuan"), s.level());
    }

    public Optional<Finding> check(FundTransaction sale) {
        if (!sale.isSale() || sale.amountFen() <= maxChargeFen) {
            return Optional.empty();
        }
        long t = sale.eventTime();
        return Optional.of(
                new Finding(
                        RuleId.R2,
                        level,
                        Money.asYuan(sale.amountFen()),
                        Money.asYuan(maxChargeFen),
                        t,
                        t,
                        String.format(
                                "Charge %s of %s exceeds the" + " %s limit for one charge.",
                                sale.txnId(),
                                Money.yuan(sale.amountFen()),
                                Money.yuan(maxChargeFen))));
    }
}
