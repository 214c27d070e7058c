package org.lifelongpulse.fundrisk.rules;

import java.util.List;
import java.util.Optional;

/**
 * R12: at least 3 charges by one payer within 24 hours {@code (t - 24 h, t]}, each within 90–100%
 * of a card cap (anonymous 1,000 or registered 5,000 yuan).
 */
public record StructuringRule(
        int minCount,
        long windowMillis,
        double nearCapShare,
        long anonymousCapFen,
        long registeredCapFen,
        Level level) {

    public static StructuringRule of(RuleSettings s) {
        return new StructuringRule(
                s.count("min_count"),
                s.hours("window_hours"),
                s.param("near_cap_share"),
                s.fen("anonymous_cap_yuan"),
                s.fen("registered_cap_yuan"),
                s.level());
    }

    /** Whether a charge is just under a cap; compared in per-mille so that 90% is exact. */
    public boolean nearCap(long amountFen) {
        long permille = Math.round(nearCapShare * 1000);
        for (long cap : new long[] {anonymousCapFen, registeredCapFen}) {
            if (amountFen * 1000 >= permille * cap && amountFen <= cap) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param chargeTimes the payer's near-cap charges so far, the current one included
     */
    public Optional<Finding> check(List<Long> chargeTimes, long t, String payerHash) {
        long from = t - windowMillis;
        long inWindow = chargeTimes.stream().filter(c -> c > from && c <= t).count();
        if (inWindow < minCount) {
            return Optional.empty();
        }
        return Optional.of(
                new Finding(
                        RuleId.R12,
                        level,
                        inWindow,
                        minCount,
                        from,
                        t,
                        String.format(
                                "Payer %s made %d charges within %d hours, each within %d%% of a"
                                        + " card cap.",
                                payerHash.substring(0, Math.min(12, payerHash.length())),
                                inWindow,
                                windowMillis / RuleSettings.HOUR,
                                Math.round(nearCapShare * 100))));
    }

    /** How long a payer's charge matters. */
    public long lookback() {
        return windowMillis;
    }
}
