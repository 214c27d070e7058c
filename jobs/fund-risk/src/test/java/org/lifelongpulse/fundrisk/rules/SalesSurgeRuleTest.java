package org.lifelongpulse.fundrisk.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lifelongpulse.fundrisk.Transactions.DAY;
import static org.lifelongpulse.fundrisk.Transactions.at;

import org.junit.jupiter.api.Test;

/**
 * {@link SalesSurgeRule} at its threshold: just over it fires, at or under it does not; a changed
 * parameter moves the threshold. Expected values worked out by hand from RULES.md.
 */
class SalesSurgeRuleTest {

    static final long T = at("2020-10-20T10:00");

    static RuleSettings settings(RuleId rule, String param, double value) {
        return RuleSettings.defaults(rule).withParam(param, value);
    }

    final SalesSurgeRule rule = SalesSurgeRule.of(RuleSettings.defaults(RuleId.R8));

    /** 4 baseline weeks of {@code weekly} fen each, then {@code week} fen in the last 7 d. */
    TimeSeries series(long weekly, long week) {
        TimeSeries s = new TimeSeries();
        for (int w = 1; w <= 4; w++) {
            s.add(T - 7 * DAY - w * 7 * DAY + DAY, weekly);
        }
        s.add(T - DAY, week);
        return s;
    }

    @Test
    void firesOver3xTheWeeklyMeanWithTheMinimum() {
        // weekly mean 2,000,000; 3x = 6,000,000
        assertThat(rule.check(series(2_000_000, 6_000_000), T)).isEmpty();
        assertThat(rule.check(series(2_000_000, 6_000_001), T))
                .get()
                .extracting(Finding::level)
                .isEqualTo(Level.YELLOW);
    }

    @Test
    void needsTheMinimumVolume() {
        assertThat(rule.check(series(0, 4_999_999), T)).isEmpty();
        assertThat(rule.check(series(0, 5_000_000), T)).isPresent();
    }

    @Test
    void windowsExcludeTheirStart() {
        TimeSeries s = new TimeSeries();
        s.add(T - 7 * DAY, 6_000_000);
        assertThat(rule.check(s, T)).as("exactly 7 days old: outside the window").isEmpty();
    }

    @Test
    void respectsItsParameters() {
        SalesSurgeRule twice = SalesSurgeRule.of(settings(RuleId.R8, "ratio", 2));
        assertThat(twice.check(series(3_000_000, 6_000_001), T)).isPresent();
        assertThat(twice.check(series(3_000_000, 6_000_000), T)).isEmpty();
    }
}
