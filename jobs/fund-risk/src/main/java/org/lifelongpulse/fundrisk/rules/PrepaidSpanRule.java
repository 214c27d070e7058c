package org.lifelongpulse.fundrisk.rules;

import java.util.Optional;
import org.lifelongpulse.fundrisk.records.FundTransaction;

/** R1: one sale or top-up paying for more than 92 days or more than 60 class hours. */
public record PrepaidSpanRule(int maxCoveredDays, int maxClassHours, Level level) {

    public static PrepaidSpanRule of(RuleSettings s) {
        return new PrepaidSpanRule(
                s.count("max_covered_days"), s.count("max_class_hours"), s.level());
    }

    public Optional<Finding> check(FundTransaction sale) {
        if (!sale.isSale()) {
            return Optional.empty();
        }
        int days = sale.coveredDays() == null ? 0 : sale.coveredDays();
        int hours = sale.classHours() == null ? 0 : sale.classHours();
        boolean overDays = days > maxCoveredDays;
        if (!overDays && hours <= maxClassHours) {
            return Optional.empty();
        }
        long t = sale.eventTime();
        return Optional.of(
                new Finding(
                        RuleId.R1,
                        level,
                        overDays ? days : hours,
                        overDays ? maxCoveredDays : maxClassHours,
                        t,
                        t,
                        String.format(
                                "Charge %s of %s pays for %d days (limit %d) and %d class hours"
                                        + " (limit %d) in advance.",
                                sale.txnId(),
                                Money.yuan(sale.amountFen()),
                                days,
                                maxCoveredDays,
                                hours,
                                maxClassHours)));
    }
}
