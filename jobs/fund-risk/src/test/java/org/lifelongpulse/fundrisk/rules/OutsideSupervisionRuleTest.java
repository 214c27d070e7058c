package org.lifelongpulse.fundrisk.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lifelongpulse.fundrisk.Transactions.DAY;
import static org.lifelongpulse.fundrisk.Transactions.at;
import static org.lifelongpulse.fundrisk.Transactions.sale;

import org.junit.jupiter.api.Test;
import org.lifelongpulse.fundrisk.records.FundTransaction;

/**
 * {@link OutsideSupervisionRule} at its threshold: just over it fires, at or under it does not; a
 * changed parameter moves the threshold. Expected values worked out by hand from RULES.md.
 */
class OutsideSupervisionRuleTest {

    static final long T = at("2020-10-20T10:00");

    static RuleSettings settings(RuleId rule, String param, double value) {
        return RuleSettings.defaults(rule).withParam(param, value);
    }

    final OutsideSupervisionRule rule = OutsideSupervisionRule.of(RuleSettings.defaults(RuleId.R4));

    FundTransaction cash(long fen) {
        return sale("s", T, fen, "C1", "REGISTERED", "P", "CASH", 10, 30);
    }

    @Test
    void anySaleOutsideIsYellowAndRedAt10000YuanInTheWindow() {
        assertThat(rule.check(cash(300_000), 999_999))
                .get()
                .extracting(Finding::level)
                .isEqualTo(Level.YELLOW);
        assertThat(rule.check(cash(300_000), 1_000_000))
                .get()
                .extracting(Finding::level)
                .isEqualTo(Level.RED);
        assertThat(rule.check(sale("s", T, 300_000), 0)).isEmpty();
    }

    @Test
    void respectsItsParameters() {
        OutsideSupervisionRule low =
                OutsideSupervisionRule.of(settings(RuleId.R4, "red_amount_yuan", 5000));
        assertThat(low.check(cash(300_000), 500_000))
                .get()
                .extracting(Finding::level)
                .isEqualTo(Level.RED);
        assertThat(low.windowMillis()).isEqualTo(30 * DAY);
    }
}
