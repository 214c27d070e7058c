package org.lifelongpulse.fundrisk.rules;

import java.util.Optional;
import org.lifelongpulse.fundrisk.records.FundTransaction;

/**
 * R4: a sale settled to the institution's own account or in cash (base level, YELLOW), RED once
 * such sales reach 10,000 yuan within 30 days {@code (t - 30 d, t]}.
 */
public record OutsideSupervisionRule(long redFen, long windowMillis, Level level) {

    public static OutsideSupervisionRule of(RuleSettings s) {
        return new OutsideSupervisionRule(
                s.fen("red_amount_yuan"), s.days("window_days"), s.level());
    }

    /**
     * @param outsideInWindowFen sales outside supervision in the window, this one included
     */
    public Optional<Finding> check(FundTransaction sale, long outsideInWindowFen) {
        if (!sale.isSale() || !sale.isOutsideSupervision()) {
            return Optional.empty();
        }
        long t = sale.eventTime();
        boolean red = outsideInWindowFen >= redFen;
        return Optional.of(
                new Finding(
                        RuleId.R4,
                        red ? Level.RED : level,
                        Money.asYuan(outsideInWindowFen),
                        Money.asYuan(redFen),
                        t - windowMillis,
                        t,
                        String.format(
                                "Charge %s of %s was settled to %s; %s collected outside the"
                                        + " supervised account in %d days (RED at %s).",
                                sale.txnId(),
                                Money.yuan(sale.amountFen()),
                                sale.settlement(),
                                Money.yuan(outsideInWindowFen),
                                windowMillis / RuleSettings.DAY,
                                Money.yuan(redFen))));
    }
}
