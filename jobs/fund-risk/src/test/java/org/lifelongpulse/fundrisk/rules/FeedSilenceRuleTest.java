package org.lifelongpulse.fundrisk.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lifelongpulse.fundrisk.Transactions.DAY;
import static org.lifelongpulse.fundrisk.Transactions.HOUR;
import static org.lifelongpulse.fundrisk.Transactions.at;

import org.junit.jupiter.api.Test;

/**
 * {@link FeedSilenceRule} at its threshold: just over it fires, at or under it does not; a changed
 * parameter moves the threshold. Expected values worked out by hand from RULES.md.
 */
class FeedSilenceRuleTest {

    static final long T = at("2020-10-20T10:00");

    static RuleSettings settings(RuleId rule, String param, double value) {
        return RuleSettings.defaults(rule).withParam(param, value);
    }

    final FeedSilenceRule rule = FeedSilenceRule.of(RuleSettings.defaults(RuleId.R13));

    @Test
    void watchesOwingActiveInstitutionsFor72Hours() {
        Ledger owing = new Ledger();
        owing.collected = 1;
        InstitutionVersion active = new InstitutionVersion(0, "X", "XUHUI", "ACTIVE", null);
        InstitutionVersion closed = new InstitutionVersion(0, "X", "XUHUI", "CLOSED", null);
        assertThat(rule.watches(owing, active)).isTrue();
        assertThat(rule.watches(new Ledger(), active)).isFalse();
        assertThat(rule.watches(owing, closed)).isFalse();
        assertThat(rule.deadline(T)).isEqualTo(T + 72 * HOUR);
        assertThat(rule.check(T, T + 72 * HOUR - 1, owing, active)).isEmpty();
        assertThat(rule.check(T, T + 72 * HOUR, owing, active)).isPresent();
        assertThat(rule.check(T, T + 72 * HOUR, owing, closed)).isEmpty();
    }

    @Test
    void respectsItsParameters() {
        FeedSilenceRule day = FeedSilenceRule.of(settings(RuleId.R13, "silence_hours", 24));
        assertThat(day.deadline(T)).isEqualTo(T + DAY);
    }
}
