package org.lifelongpulse.fundrisk.rules;

import java.util.Locale;
import java.util.Optional;

/**
 * R8: sales in the trailing 7 days {@code (t - 7 d, t]} over 3 times the weekly mean of the 4 weeks
 * before {@code (t - 35 d, t - 7 d]}, and at least 50,000 yuan.
 */
public record SalesSurgeRule(
        double ratio, long minWindowFen, long windowMillis, int baselineWindows, Level level) {

    public static SalesSurgeRule of(RuleSettings s) {
        return new SalesSurgeRule(
                s.param("ratio"),
                s.fen("min_week_sales_yuan"),
                s.days("window_days"),
                s.count("baseline_windows"),
                s.level());
    }

    /** How far back the rule looks. */
    public long lookback() {
        return (baselineWindows + 1L) * windowMillis;
    }

    public Optional<Finding> check(WindowSums sales, long t) {
        long window = sales.sum(t - windowMillis, t);
        long baseline = sales.sum(t - lookback(), t - windowMillis);
        // window > ratio x baseline / k, multiplied out: exact for integral ratios
        if (window < minWindowFen || window * (double) baselineWindows <= ratio * baseline) {
            return Optional.empty();
        }
        double mean = baseline / 100.0 / baselineWindows;
        return Optional.of(
                new Finding(
                        RuleId.R8,
                        level,
                        Money.asYuan(window),
                        ratio * mean,
                        t - windowMillis,
                        t,
                        String.format(
                                Locale.ROOT,
                                "Sales of %s in %d days are %s the weekly mean of %,.2f yuan over"
                                        + " the %d windows before (limit %.1fx, minimum %s).",
                                Money.yuan(window),
                                windowMillis / RuleSettings.DAY,
                                mean == 0
                                        ? "above"
                                        : String.format(
                                                Locale.ROOT, "%.1fx", Money.asYuan(window) / mean),
                                mean,
                                baselineWindows,
                                ratio,
                                Money.yuan(minWindowFen))));
    }
}
