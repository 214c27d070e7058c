package org.lifelongpulse.fundrisk.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lifelongpulse.fundrisk.Transactions.at;

import org.junit.jupiter.api.Test;

/**
 * {@link ReleaseAheadRule} at its threshold: just over it fires, at or under it does not; a changed
 * parameter moves the threshold. Expected values worked out by hand from RULES.md.
 */
class ReleaseAheadRuleTest {

    static final long T = at("2020-10-20T10:00");

    static RuleSettings settings(RuleId rule, String param, double value) {
        return RuleSettings.defaults(rule).withParam(param, value);
    }

    @Test
    void firesWhenReleasesExceedDelivery() {
        ReleaseAheadRule rule = ReleaseAheadRule.of(RuleSettings.defaults(RuleId.R6));
        Ledger l = new Ledger();
        l.delivered = 500_000;
        l.released = 500_000;
        assertThat(rule.check(l, T)).isEmpty();
        l.released = 500_001;
        assertThat(rule.check(l, T)).get().extracting(Finding::level).isEqualTo(Level.RED);
        ReleaseAheadRule tolerant = ReleaseAheadRule.of(settings(RuleId.R6, "tolerance_yuan", 1));
        assertThat(tolerant.check(l, T)).isEmpty();
    }
}
