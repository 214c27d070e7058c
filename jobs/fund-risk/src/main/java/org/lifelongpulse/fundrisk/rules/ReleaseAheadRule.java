package org.lifelongpulse.fundrisk.rules;

import java.util.Optional;

/** R6: cumulative escrow releases above cumulative delivered value. */
public record ReleaseAheadRule(long toleranceFen, Level level) {

    public static ReleaseAheadRule of(RuleSettings s) {
        return new ReleaseAheadRule(s.fen("tolerance_yuan"), s.level());
    }

    public Optional<Finding> check(Ledger ledger, long t) {
        if (ledger.released <= ledger.delivered + toleranceFen) {
            return Optional.empty();
        }
        return Optional.of(
                new Finding(
                        RuleId.R6,
                        level,
                        Money.asYuan(ledger.released),
                        Money.asYuan(ledger.delivered + toleranceFen),
                        t,
                        t,
                        String.format(
                                "Escrow releases of %s exceed the %s of classes delivered.",
                                Money.yuan(ledger.released), Money.yuan(ledger.delivered))));
    }
}
