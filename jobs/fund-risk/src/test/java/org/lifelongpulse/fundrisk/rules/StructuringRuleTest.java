package org.lifelongpulse.fundrisk.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lifelongpulse.fundrisk.Transactions.HOUR;
import static org.lifelongpulse.fundrisk.Transactions.at;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link StructuringRule} at its threshold: just over it fires, at or under it does not; a changed
 * parameter moves the threshold. Expected values worked out by hand from RULES.md.
 */
class StructuringRuleTest {

    static final long T = at("2020-10-20T10:00");

    static RuleSettings settings(RuleId rule, String param, double value) {
        return RuleSettings.defaults(rule).withParam(param, value);
    }

    final StructuringRule rule = StructuringRule.of(RuleSettings.defaults(RuleId.R12));

    @Test
    void nearCapMeans90To100PercentOfTheCapOfTheCardsOwnKind() {
        assertThat(rule.nearCap(89_999, "ANONYMOUS")).isFalse();
        assertThat(rule.nearCap(90_000, "ANONYMOUS")).isTrue();
        assertThat(rule.nearCap(100_000, "ANONYMOUS")).isTrue();
        assertThat(rule.nearCap(100_001, "ANONYMOUS")).isFalse();
        assertThat(rule.nearCap(449_999, "REGISTERED")).isFalse();
        assertThat(rule.nearCap(450_000, "REGISTERED")).isTrue();
        assertThat(rule.nearCap(500_000, "REGISTERED")).isTrue();
        // near the other kind's cap: 950 yuan on a registered card, 4,800 yuan on an anonymous one
        assertThat(rule.nearCap(95_000, "REGISTERED")).isFalse();
        assertThat(rule.nearCap(480_000, "ANONYMOUS")).isFalse();
        // no kind: held to the registered cap
        assertThat(rule.nearCap(95_000, null)).isFalse();
        assertThat(rule.nearCap(480_000, null)).isTrue();
    }

    @Test
    void firesOnTheThirdWithin24Hours() {
        assertThat(rule.check(List.of(T - 20 * HOUR, T), T, "payer")).isEmpty();
        assertThat(rule.check(List.of(T - 24 * HOUR + 1, T - HOUR, T), T, "payer"))
                .get()
                .extracting(Finding::level)
                .isEqualTo(Level.YELLOW);
        assertThat(rule.check(List.of(T - 24 * HOUR, T - HOUR, T), T, "payer"))
                .as("24 h old: outside the window")
                .isEmpty();
    }

    @Test
    void respectsItsParameters() {
        StructuringRule two = StructuringRule.of(settings(RuleId.R12, "min_count", 2));
        assertThat(two.check(List.of(T - HOUR, T), T, "payer")).isPresent();
    }
}
