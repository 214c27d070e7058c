package org.lifelongpulse.fundrisk.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lifelongpulse.fundrisk.Transactions.at;

import org.junit.jupiter.api.Test;
import org.lifelongpulse.fundrisk.Transactions;
import org.lifelongpulse.fundrisk.records.FundTransaction;

/**
 * {@link CardCapRule} at its threshold: just over it fires, at or under it does not; a changed
 * parameter moves the threshold. Expected values worked out by hand from RULES.md.
 */
class CardCapRuleTest {

    static final long T = at("2020-10-20T10:00");

    static RuleSettings settings(RuleId rule, String param, double value) {
        return RuleSettings.defaults(rule).withParam(param, value);
    }

    final CardCapRule rule = CardCapRule.of(RuleSettings.defaults(RuleId.R3));

    @Test
    void anonymousCardsAreCappedAt1000Yuan() {
        FundTransaction topUp = Transactions.topUp("t", T, 30_000, "C1", "ANONYMOUS");
        assertThat(rule.check(topUp, 100_000)).isEmpty();
        assertThat(rule.check(topUp, 100_001))
                .get()
                .extracting(Finding::level)
                .isEqualTo(Level.YELLOW);
    }

    @Test
    void registeredCardsAreCappedAt5000Yuan() {
        FundTransaction topUp = Transactions.topUp("t", T, 30_000, "C1", "REGISTERED");
        assertThat(rule.check(topUp, 500_000)).isEmpty();
        assertThat(rule.check(topUp, 500_001)).isPresent();
    }

    @Test
    void respectsItsParameters() {
        CardCapRule low = CardCapRule.of(settings(RuleId.R3, "anonymous_cap_yuan", 500));
        FundTransaction topUp = Transactions.topUp("t", T, 30_000, "C1", "ANONYMOUS");
        assertThat(low.check(topUp, 50_001)).isPresent();
        assertThat(low.check(topUp, 50_000)).isEmpty();
    }
}
