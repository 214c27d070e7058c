package org.lifelongpulse.fundrisk.rules;

import java.util.List;
import java.util.Optional;

/**
 * R12: at least 3 charges by one payer within 24 hours {@code (t - 24 h, t]}, each within 90–100%
 * of the cap of its own card's kind (anonymous 1,000, registered 5,000 yuan; a charge without a
 * card kind is held to the registered cap, as R3 does).
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

    /**
     * Whether a charge is just under the cap of its card's kind; compared in per-mille so that 90%
     * is exact.
     */
    public boolean nearCap(long amountFen, String cardKind) {
        long permille = Math.round(nearCapShare * 1000);
        long cap = capOf(cardKind);
        return amountFen * 1000 >= permille * cap && amountFen <= cap;
    }

    /** The cap of a card of this kind, as {@link CardCapRule#capOf}. */
    public long capOf(String cardKind) {
        return "ANONYMOUS".equals(cardKind) ? anonymousCapFen : registeredCapFen;
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
                                "Payer %s made %d charges within %d hours, each within %d-100%% of"
                                        + " its card kind's cap.",
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
