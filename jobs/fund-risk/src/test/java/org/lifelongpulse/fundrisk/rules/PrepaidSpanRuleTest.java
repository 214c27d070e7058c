package org.lifelongpulse.fundrisk.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lifelongpulse.fundrisk.Transactions.at;
import static org.lifelongpulse.fundrisk.Transactions.sale;

import org.junit.jupiter.api.Test;
import org.lifelongpulse.fundrisk.Transactions;
import org.lifelongpulse.fundrisk.records.FundTransaction;

/**
 * {@link PrepaidSpanRule} at its threshold: just over it fires, at or under it does not; a changed
 * parameter moves the threshold. Expected values worked out by hand from RULES.md.
 */
class PrepaidSpanRuleTest {

    static final long T = at("2020-10-20T10:00");

    static RuleSettings settings(RuleId rule, String param, double value) {
        return RuleSettings.defaults(rule).withParam(param, value);
    }

    final PrepaidSpanRule rule = PrepaidSpanRule.of(RuleSettings.defaults(RuleId.R1));

    FundTransaction charge(int hours, int days) {
        return sale("s", T, 300_000, "C1", "REGISTERED", "P", "SUPERVISED_ACCOUNT", hours, days);
    }

    @Test
    void firesOver92DaysOr60HoursOnly() {
        assertThat(rule.check(charge(60, 92))).isEmpty();
        assertThat(rule.check(charge(60, 93)))
                .get()
                .satisfies(
                        f -> {
                            assertThat(f.level()).isEqualTo(Level.RED);
                            assertThat(f.observed()).isEqualTo(93);
                            assertThat(f.threshold()).isEqualTo(92);
                        });
        assertThat(rule.check(charge(61, 30))).get().extracting(Finding::observed).isEqualTo(61.0);
    }

    @Test
    void respectsItsParameters() {
        PrepaidSpanRule strict = PrepaidSpanRule.of(settings(RuleId.R1, "max_covered_days", 60));
        assertThat(strict.check(charge(10, 61))).isPresent();
        assertThat(strict.check(charge(10, 60))).isEmpty();
    }

    @Test
    void ignoresConsumption() {
        assertThat(rule.check(Transactions.of(FundTransaction.CONSUMPTION, "c", T, 999_999)))
                .isEmpty();
    }
}
