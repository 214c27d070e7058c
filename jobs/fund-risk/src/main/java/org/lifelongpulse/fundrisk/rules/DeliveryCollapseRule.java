package org.lifelongpulse.fundrisk.rules;

import java.util.Locale;
import java.util.Optional;

/**
 * R9: value delivered in the trailing 14 days {@code (t - 14 d, t]} under 50% of its baseline (the
 * 28 days before, scaled to 14 days), while sales in the window are at least their baseline:
 * liability grows while service stops. {@code min_baseline_yuan} (default 0, as RULES.md has no
 * floor) optionally judges only baselines (the 28 days' deliveries) of at least that much.
 */
public record DeliveryCollapseRule(
        double ratio, long minBaselineFen, long windowMillis, long baselineMillis, Level level) {

    public static DeliveryCollapseRule of(RuleSettings s) {
        return new DeliveryCollapseRule(
                s.param("ratio"),
                s.fen("min_baseline_yuan"),
                s.days("window_days"),
                s.days("baseline_days"),
                s.level());
    }

    public long lookback() {
        return windowMillis + baselineMillis;
    }

    public Optional<Finding> check(WindowSums delivered, WindowSums sales, long t) {
        long recent = delivered.sum(t - windowMillis, t);
        long before = delivered.sum(t - lookback(), t - windowMillis);
        long recentSales = sales.sum(t - windowMillis, t);
        long salesBefore = sales.sum(t - lookback(), t - windowMillis);
        double scale = (double) baselineMillis / windowMillis;
        boolean salesGoOn = recentSales * scale >= salesBefore;
        if (before < minBaselineFen || !salesGoOn || recent * scale >= ratio * before) {
            return Optional.empty();
        }
        double baselinePerWindow = before / scale;
        return Optional.of(
                new Finding(
                        RuleId.R9,
                        level,
                        Money.asYuan(recent),
                        ratio * baselinePerWindow / 100.0,
                        t - windowMillis,
                        t,
                        String.format(
                                Locale.ROOT,
                                "Classes worth %s were delivered in %d days against a baseline of"
                                        + " %,.2f yuan (limit %.0f%%) while sales of %s went on.",
                                Money.yuan(recent),
                                windowMillis / RuleSettings.DAY,
                                baselinePerWindow / 100.0,
                                100 * ratio,
                                Money.yuan(recentSales))));
    }
}
