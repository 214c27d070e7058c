package org.lifelongpulse.fundrisk.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lifelongpulse.fundrisk.Transactions.at;
import static org.lifelongpulse.fundrisk.Transactions.sale;

import org.junit.jupiter.api.Test;

/**
 * {@link ChargeAmountRule} at its threshold: just over it fires, at or under it does not; a changed
 * parameter moves the threshold. Expected values worked out by hand from RULES.md.
 */
class ChargeAmountRuleTest {

    static final long T = at("2020-10-20T10:00");

    static RuleSettings settings(RuleId rule, String param, double value) {
        return RuleSettings.defaults(rule).withParam(param, value);
    }

    @Test
    void firesOver5000Yuan() {
        ChargeAmountRule rule = ChargeAmountRule.of(RuleSettings.defaults(RuleId.R2));
        assertThat(rule.check(sale("a", T, 500_000))).isEmpty();
        assertThat(rule.check(sale("b", T, 500_001)))
                .get()
                .extracting(Finding::level)
                .isEqualTo(Level.RED);
    }

    @Test
    void respectsItsParameters() {
        ChargeAmountRule rule = ChargeAmountRule.of(settings(RuleId.R2, "max_amount_yuan", 2000));
        assertThat(rule.check(sale("a", T, 200_000))).isEmpty();
        assertThat(rule.check(sale("b", T, 200_001))).isPresent();
    }
}
