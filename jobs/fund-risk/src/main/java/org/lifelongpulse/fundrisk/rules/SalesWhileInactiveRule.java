package org.lifelongpulse.fundrisk.rules;

import java.util.Optional;
import org.lifelongpulse.fundrisk.records.FundTransaction;

/**
 * R7: a sale or top-up while the licence is not ACTIVE, or inside the closure notice period {@code
 * [notice, notice + 30 d]}, judged on the reference version in force at the sale.
 */
public record SalesWhileInactiveRule(long noticeMillis, Level level) {

    public static SalesWhileInactiveRule of(RuleSettings s) {
        return new SalesWhileInactiveRule(s.days("notice_days"), s.level());
    }

    /**
     * @param version the reference version in force at the sale; null if none is known
     */
    public Optional<Finding> check(FundTransaction sale, InstitutionVersion version) {
        if (!sale.isSale() || version == null) {
            return Optional.empty();
        }
        long t = sale.eventTime();
        Long notice = version.closureNoticeAt();
        boolean inNotice = notice != null && t >= notice && t <= notice + noticeMillis;
        if (version.isActive() && !inNotice) {
            return Optional.empty();
        }
        String why =
                version.isActive()
                        ? "inside the closure notice given at "
                                + java.time.Instant.ofEpochMilli(notice)
                        : "while the licence is " + version.licenseStatus();
        return Optional.of(
                new Finding(
                        RuleId.R7,
                        level,
                        Money.asYuan(sale.amountFen()),
                        0,
                        notice != null && inNotice ? notice : version.updatedAt(),
                        t,
                        String.format(
                                "Charge %s of %s was collected %s.",
                                sale.txnId(), Money.yuan(sale.amountFen()), why)));
    }
}
