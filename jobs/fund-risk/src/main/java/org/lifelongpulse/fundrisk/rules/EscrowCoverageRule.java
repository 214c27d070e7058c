package org.lifelongpulse.fundrisk.rules;

import java.util.Locale;
import java.util.Optional;

/**
 * R5: escrow / liability below 1.0 (base level) or below 0.5 (RED), judged while anything is owed.
 * {@code min_liability_yuan} (default 0, as RULES.md has no floor) optionally judges only
 * liabilities of at least that much.
 */
public record EscrowCoverageRule(
        double yellowBelow, double redBelow, long minLiabilityFen, Level level) {

    public static EscrowCoverageRule of(RuleSettings s) {
        return new EscrowCoverageRule(
                s.param("yellow_below"),
                s.param("red_below"),
                s.fen("min_liability_yuan"),
                s.level());
    }

    public Optional<Finding> check(Ledger ledger, long t) {
        long liability = ledger.liability();
        if (liability <= 0 || liability < minLiabilityFen) {
            return Optional.empty();
        }
        long escrow = ledger.escrow;
        // compared as escrow < share x liability: exact for the default shares 1.0 and 0.5
        Level found =
                escrow < redBelow * liability
                        ? Level.RED
                        : escrow < yellowBelow * liability ? level : null;
        if (found == null) {
            return Optional.empty();
        }
        double coverage = (double) escrow / liability;
        double threshold = found == Level.RED ? redBelow : yellowBelow;
        return Optional.of(
                new Finding(
                        RuleId.R5,
                        found,
                        coverage,
                        threshold,
                        t,
                        t,
                        String.format(
                                Locale.ROOT,
                                "Escrow of %s covers %.1f%% of the %s owed to"
                                        + " learners (below %.0f%%).",
                                Money.yuan(escrow),
                                100 * coverage,
                                Money.yuan(liability),
                                100 * threshold)));
    }
}
