package org.lifelongpulse.fundrisk.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lifelongpulse.fundrisk.Transactions.DAY;
import static org.lifelongpulse.fundrisk.Transactions.at;

import org.junit.jupiter.api.Test;

/**
 * {@link DeliveryCollapseRule} at its threshold: just over it fires, at or under it does not; a
 * changed parameter moves the threshold. Expected values worked out by hand from RULES.md.
 */
class DeliveryCollapseRuleTest {

    static final long T = at("2020-10-20T10:00");

    static RuleSettings settings(RuleId rule, String param, double value) {
        return RuleSettings.defaults(rule).withParam(param, value);
    }

    final DeliveryCollapseRule rule = DeliveryCollapseRule.of(RuleSettings.defaults(RuleId.R9));

    /** {@code before} delivered in the 28-day baseline, {@code recent} in the last 14 d. */
    TimeSeries delivered(long before, long recent) {
        TimeSeries s = new TimeSeries();
        s.add(T - 20 * DAY, before);
        s.add(T - DAY, recent);
        return s;
    }

    TimeSeries sales(long before, long recent) {
        return delivered(before, recent);
    }

    @Test
    void firesUnderHalfTheBaselineWhileSalesGoOn() {
        // baseline 4,000,000 over 28 days = 2,000,000 per 14 days; half = 1,000,000
        assertThat(rule.check(delivered(4_000_000, 1_000_000), sales(1_000, 500), T)).isEmpty();
        assertThat(rule.check(delivered(4_000_000, 999_999), sales(1_000, 500), T))
                .get()
                .extracting(Finding::level)
                .isEqualTo(Level.RED);
    }

    @Test
    void notWhenSalesStopped() {
        assertThat(rule.check(delivered(4_000_000, 0), sales(1_000, 499), T)).isEmpty();
    }

    @Test
    void hasNoMinimumBaselineByDefault() {
        // RULES.md has no floor: a 3,000-yuan baseline with nothing delivered since fires
        assertThat(rule.check(delivered(300_000, 0), sales(0, 0), T)).isPresent();
        assertThat(rule.check(delivered(0, 0), sales(0, 0), T))
                .as("nothing delivered before: no baseline to collapse from")
                .isEmpty();
    }

    @Test
    void anOptionalMinimumBaseline() {
        DeliveryCollapseRule floor =
                DeliveryCollapseRule.of(settings(RuleId.R9, "min_baseline_yuan", 10_000));
        assertThat(floor.check(delivered(999_999, 0), sales(0, 0), T)).isEmpty();
        assertThat(floor.check(delivered(1_000_000, 0), sales(0, 0), T)).isPresent();
    }

    @Test
    void respectsItsParameters() {
        DeliveryCollapseRule strict = DeliveryCollapseRule.of(settings(RuleId.R9, "ratio", 0.25));
        assertThat(strict.check(delivered(4_000_000, 500_000), sales(0, 0), T)).isEmpty();
        assertThat(strict.check(delivered(4_000_000, 499_999), sales(0, 0), T)).isPresent();
    }
}
