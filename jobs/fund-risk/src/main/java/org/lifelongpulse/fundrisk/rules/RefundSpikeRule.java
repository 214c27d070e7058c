package org.lifelongpulse.fundrisk.rules;

import java.util.Locale;
import java.util.Optional;

/**
 * R10: refund requests in the trailing 7 days {@code (t - 7 d, t]} over 3 times the weekly mean of
 * the 4 weeks before, and at least 5 of them.
 */
public record RefundSpikeRule(
        double ratio, int minCount, long windowMillis, int baselineWindows, Level level) {

    public static RefundSpikeRule of(RuleSettings s) {
        return new RefundSpikeRule(
                s.param("ratio"),
                s.count("min_count"),
                s.days("window_days"),
                s.count("baseline_windows"),
                s.level());
    }

    public long lookback() {
        return (baselineWindows + 1L) * windowMillis;
    }

    /**
     * @param requests one entry of value 1 per refund request
     */
    public Optional<Finding> check(WindowSums requests, long t) {
        long asked = requests.sum(t - windowMillis, t);
        long before = requests.sum(t - lookback(), t - windowMillis);
        if (asked < minCount || asked * (double) baselineWindows <= ratio * before) {
            return Optional.empty();
        }
        double mean = (double) before / baselineWindows;
        return Optional.of(
                new Finding(
                        RuleId.R10,
                        level,
                        asked,
                        ratio * mean,
                        t - windowMillis,
                        t,
                        String.format(
                                Locale.ROOT,
                                "%d refund requests in %d days against a weekly mean of %.2f over"
                                        + " the %d windows before (limit %.1fx, minimum %d).",
                                asked,
                                windowMillis / RuleSettings.DAY,
                                mean,
                                baselineWindows,
                                ratio,
                                minCount)));
    }
}
