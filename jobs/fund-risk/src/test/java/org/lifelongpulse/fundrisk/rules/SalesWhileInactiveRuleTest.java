package org.lifelongpulse.fundrisk.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lifelongpulse.fundrisk.Transactions.DAY;
import static org.lifelongpulse.fundrisk.Transactions.at;
import static org.lifelongpulse.fundrisk.Transactions.sale;

import org.junit.jupiter.api.Test;

/**
 * {@link SalesWhileInactiveRule} at its threshold: just over it fires, at or under it does not; a
 * changed parameter moves the threshold. Expected values worked out by hand from RULES.md.
 */
class SalesWhileInactiveRuleTest {

    static final long T = at("2020-10-20T10:00");

    static RuleSettings settings(RuleId rule, String param, double value) {
        return RuleSettings.defaults(rule).withParam(param, value);
    }

    final SalesWhileInactiveRule rule = SalesWhileInactiveRule.of(RuleSettings.defaults(RuleId.R7));
    final long notice = at("2020-10-10T09:00");

    InstitutionVersion version(String status, Long noticeAt) {
        return new InstitutionVersion(0, "X", "XUHUI", status, noticeAt);
    }

    @Test
    void firesWhileNotActive() {
        assertThat(rule.check(sale("s", T, 100), version("ACTIVE", null))).isEmpty();
        assertThat(rule.check(sale("s", T, 100), version("SUSPENDED", null))).isPresent();
        assertThat(rule.check(sale("s", T, 100), null)).as("unknown reference").isEmpty();
    }

    @Test
    void firesInsideTheNoticePeriodInclusive() {
        InstitutionVersion v = version("ACTIVE", notice);
        assertThat(rule.check(sale("s", notice - 1, 100), v)).isEmpty();
        assertThat(rule.check(sale("s", notice, 100), v)).isPresent();
        assertThat(rule.check(sale("s", notice + 30 * DAY, 100), v)).isPresent();
        assertThat(rule.check(sale("s", notice + 30 * DAY + 1, 100), v)).isEmpty();
    }

    @Test
    void respectsItsParameters() {
        SalesWhileInactiveRule shorter =
                SalesWhileInactiveRule.of(settings(RuleId.R7, "notice_days", 10));
        InstitutionVersion v = version("ACTIVE", notice);
        assertThat(shorter.check(sale("s", notice + 10 * DAY + 1, 100), v)).isEmpty();
    }
}
