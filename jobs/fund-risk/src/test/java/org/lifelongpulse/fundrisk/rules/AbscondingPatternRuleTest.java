package org.lifelongpulse.fundrisk.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lifelongpulse.fundrisk.Transactions.DAY;
import static org.lifelongpulse.fundrisk.Transactions.at;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link AbscondingPatternRule} at its threshold: just over it fires, at or under it does not; a
 * changed parameter moves the threshold. Expected values worked out by hand from RULES.md.
 */
class AbscondingPatternRuleTest {

    static final long T = at("2020-10-20T10:00");

    static RuleSettings settings(RuleId rule, String param, double value) {
        return RuleSettings.defaults(rule).withParam(param, value);
    }

    final AbscondingPatternRule rule =
            AbscondingPatternRule.of(RuleSettings.defaults(RuleId.COMPOSITE));

    @Test
    void firesWhenTheFollowerStartsWithin30DaysOfASurge() {
        assertThat(rule.check(List.of(T - 30 * DAY), RuleId.R9, T))
                .get()
                .extracting(Finding::level)
                .isEqualTo(Level.RED);
        assertThat(rule.check(List.of(T - 30 * DAY - 1), RuleId.R9, T)).isEmpty();
        assertThat(rule.check(List.of(T + 1), RuleId.R10, T)).as("surge after").isEmpty();
        assertThat(rule.check(List.of(T), RuleId.R10, T)).as("same instant").isPresent();
    }

    @Test
    void respectsItsParameters() {
        AbscondingPatternRule week =
                AbscondingPatternRule.of(settings(RuleId.COMPOSITE, "window_days", 7));
        assertThat(week.check(List.of(T - 8 * DAY), RuleId.R9, T)).isEmpty();
    }
}
