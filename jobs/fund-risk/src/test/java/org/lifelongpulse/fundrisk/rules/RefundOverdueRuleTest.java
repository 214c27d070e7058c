package org.lifelongpulse.fundrisk.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lifelongpulse.fundrisk.Transactions.DAY;
import static org.lifelongpulse.fundrisk.Transactions.at;

import org.junit.jupiter.api.Test;

/**
 * {@link RefundOverdueRule} at its threshold: just over it fires, at or under it does not; a
 * changed parameter moves the threshold. Expected values worked out by hand from RULES.md.
 */
class RefundOverdueRuleTest {

    static final long T = at("2020-10-20T10:00");

    static RuleSettings settings(RuleId rule, String param, double value) {
        return RuleSettings.defaults(rule).withParam(param, value);
    }

    final RefundOverdueRule rule = RefundOverdueRule.of(RuleSettings.defaults(RuleId.R11));

    @Test
    void yellowAfter15DaysRedAfter30() {
        assertThat(rule.levelAt(T, T + 15 * DAY - 1)).isNull();
        assertThat(rule.levelAt(T, T + 15 * DAY)).isEqualTo(Level.YELLOW);
        assertThat(rule.levelAt(T, T + 30 * DAY - 1)).isEqualTo(Level.YELLOW);
        assertThat(rule.levelAt(T, T + 30 * DAY)).isEqualTo(Level.RED);
    }

    @Test
    void respectsItsParameters() {
        RefundOverdueRule quick =
                RefundOverdueRule.of(settings(RuleId.R11, "yellow_after_days", 7));
        assertThat(quick.firstDeadline(T)).isEqualTo(T + 7 * DAY);
    }
}
