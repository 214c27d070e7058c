package org.lifelongpulse.fundrisk.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lifelongpulse.fundrisk.Transactions.at;

import org.junit.jupiter.api.Test;

/**
 * {@link EscrowCoverageRule} at its threshold: just over it fires, at or under it does not; a
 * changed parameter moves the threshold. Expected values worked out by hand from RULES.md.
 */
class EscrowCoverageRuleTest {

    static final long T = at("2020-10-20T10:00");

    static RuleSettings settings(RuleId rule, String param, double value) {
        return RuleSettings.defaults(rule).withParam(param, value);
    }

    final EscrowCoverageRule rule = EscrowCoverageRule.of(RuleSettings.defaults(RuleId.R5));

    Ledger ledger(long collected, long escrow) {
        Ledger l = new Ledger();
        l.collected = collected;
        l.escrow = escrow;
        return l;
    }

    @Test
    void yellowBelowOneRedBelowHalf() {
        assertThat(rule.check(ledger(2_000_000, 2_000_000), T)).isEmpty();
        assertThat(rule.check(ledger(2_000_000, 1_999_999), T))
                .get()
                .extracting(Finding::level)
                .isEqualTo(Level.YELLOW);
        assertThat(rule.check(ledger(2_000_000, 1_000_000), T))
                .get()
                .extracting(Finding::level)
                .isEqualTo(Level.YELLOW);
        assertThat(rule.check(ledger(2_000_000, 999_999), T))
                .get()
                .extracting(Finding::level)
                .isEqualTo(Level.RED);
    }

    @Test
    void hasNoLiabilityFloorByDefault() {
        // RULES.md has no floor: 3,000 yuan owed, 1,000 yuan in escrow (33 % coverage) is RED
        assertThat(rule.check(ledger(300_000, 100_000), T))
                .get()
                .extracting(Finding::level)
                .isEqualTo(Level.RED);
        assertThat(rule.check(ledger(0, 0), T)).as("nothing owed").isEmpty();
        Ledger overReleased = ledger(0, -5_000);
        assertThat(rule.check(overReleased, T)).as("nothing owed, whatever the escrow").isEmpty();
    }

    @Test
    void anOptionalLiabilityFloor() {
        EscrowCoverageRule floor =
                EscrowCoverageRule.of(settings(RuleId.R5, "min_liability_yuan", 10_000));
        assertThat(floor.check(ledger(999_999, 0), T)).isEmpty();
        assertThat(floor.check(ledger(1_000_000, 0), T)).isPresent();
    }

    @Test
    void respectsItsParameters() {
        EscrowCoverageRule loose = EscrowCoverageRule.of(settings(RuleId.R5, "yellow_below", 0.8));
        assertThat(loose.check(ledger(2_000_000, 1_600_000), T)).isEmpty();
        assertThat(loose.check(ledger(2_000_000, 1_599_999), T)).isPresent();
    }
}
