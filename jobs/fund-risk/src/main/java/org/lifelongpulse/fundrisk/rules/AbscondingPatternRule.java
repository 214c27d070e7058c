package org.lifelongpulse.fundrisk.rules;

import java.util.List;
import java.util.Optional;

/**
 * COMPOSITE: an R9 (delivery collapse) or R10 (refund spike) episode that starts within 30 days
 * after the start of an R8 (sales surge) episode: the absconding pattern. Fires at the start of the
 * follower episode.
 */
public record AbscondingPatternRule(long windowMillis, Level level) {

    public static AbscondingPatternRule of(RuleSettings s) {
        return new AbscondingPatternRule(s.days("window_days"), s.level());
    }

    /**
     * @param surgeStarts starts of R8 episodes (those older than the window may be omitted)
     * @param follower the rule whose episode starts now, R9 or R10
     */
    public Optional<Finding> check(List<Long> surgeStarts, RuleId follower, long start) {
        Long latest = null;
        for (long s : surgeStarts) {
            if (s <= start && start - s <= windowMillis && (latest == null || s > latest)) {
                latest = s;
            }
        }
        if (latest == null) {
            return Optional.empty();
        }
        double days = (double) (start - latest) / RuleSettings.DAY;
        return Optional.of(
                new Finding(
                        RuleId.COMPOSITE,
                        level,
                        days,
                        (double) windowMillis / RuleSettings.DAY,
                        latest,
                        start,
                        String.format(
                                java.util.Locale.ROOT,
                                "Absconding pattern: a sales surge (R8)"
                                        + " from %s, then %s %.1f days later.",
                                java.time.Instant.ofEpochMilli(latest),
                                follower == RuleId.R9
                                        ? "a delivery collapse (R9)"
                                        : "a refund spike (R10)",
                                days)));
    }
}
