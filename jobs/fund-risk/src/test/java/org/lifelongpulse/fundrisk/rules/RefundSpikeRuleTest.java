package org.lifelongpulse.fundrisk.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lifelongpulse.fundrisk.Transactions.DAY;
import static org.lifelongpulse.fundrisk.Transactions.HOUR;
import static org.lifelongpulse.fundrisk.Transactions.at;

import org.junit.jupiter.api.Test;

/**
 * {@link RefundSpikeRule} at its threshold: just over it fires, at or under it does not; a changed
 * parameter moves the threshold. Expected values worked out by hand from RULES.md.
 */
class RefundSpikeRuleTest {

    static final long T = at("2020-10-20T10:00");

    static RuleSettings settings(RuleId rule, String param, double value) {
        return RuleSettings.defaults(rule).withParam(param, value);
    }

    final RefundSpikeRule rule = RefundSpikeRule.of(RuleSettings.defaults(RuleId.R10));

    TimeSeries requests(int before, int recent) {
        TimeSeries s = new TimeSeries();
        for (int i = 0; i < before; i++) {
            s.add(T - 10 * DAY - i * HOUR, 1);
        }
        for (int i = 0; i < recent; i++) {
            s.add(T - i * HOUR, 1);
        }
        return s;
    }

    @Test
    void firesOver3xTheWeeklyMeanWithAtLeast5() {
        // 8 in the 4 weeks before: weekly mean 2, 3x = 6
        assertThat(rule.check(requests(8, 6), T)).isEmpty();
        assertThat(rule.check(requests(8, 7), T))
                .get()
                .extracting(Finding::level)
                .isEqualTo(Level.YELLOW);
        assertThat(rule.check(requests(0, 4), T)).isEmpty();
        assertThat(rule.check(requests(0, 5), T)).isPresent();
    }

    @Test
    void respectsItsParameters() {
        RefundSpikeRule lower = RefundSpikeRule.of(settings(RuleId.R10, "min_count", 3));
        assertThat(lower.check(requests(0, 3), T)).isPresent();
    }
}
