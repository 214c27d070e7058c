package org.lifelongpulse.fundrisk.rules;

import java.util.Optional;

/**
 * R13: an ACTIVE institution that owes learners money sends nothing for 72 hours of event time. The
 * job sets a timer 72 h after each transaction that leaves the institution owing; the next
 * transaction cancels it.
 */
public record FeedSilenceRule(long silenceMillis, Level level) {

    public static FeedSilenceRule of(RuleSettings s) {
        return new FeedSilenceRule(s.hours("silence_hours"), s.level());
    }

    /** Whether a transaction leaves the institution watched: owing, and ACTIVE (or unknown). */
    public boolean watches(Ledger ledger, InstitutionVersion version) {
        return ledger.liability() > 0 && (version == null || version.isActive());
    }

    public long deadline(long lastEventAt) {
        return lastEventAt + silenceMillis;
    }

    /** At the deadline: fires unless the institution is no longer ACTIVE then. */
    public Optional<Finding> check(
            long lastEventAt, long now, Ledger ledger, InstitutionVersion version) {
        if (now < deadline(lastEventAt) || (version != null && !version.isActive())) {
            return Optional.empty();
        }
        return Optional.of(
                new Finding(
                        RuleId.R13,
                        level,
                        (double) (now - lastEventAt) / RuleSettings.HOUR,
                        (double) silenceMillis / RuleSettings.HOUR,
                        lastEventAt,
                        now,
                        String.format(
                                "No transaction for %d hours since %s while %s is owed to"
                                        + " learners.",
                                (now - lastEventAt) / RuleSettings.HOUR,
                                java.time.Instant.ofEpochMilli(lastEventAt),
                                Money.yuan(ledger.liability()))));
    }
}
