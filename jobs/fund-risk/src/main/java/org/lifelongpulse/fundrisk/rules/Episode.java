package org.lifelongpulse.fundrisk.rules;

/**
 * The open alert of one rule at one institution: what its latest version said. Immutable; one keyed
 * map entry per open rule.
 *
 * @param level the highest level reached in the episode
 * @param quietUntil for incident rules: when the episode ends if nothing new happens
 */
public record Episode(
        String alertId,
        RuleId rule,
        Level level,
        long firstDetectedAt,
        long lastDetectedAt,
        long windowStart,
        long windowEnd,
        double observed,
        double threshold,
        String evidence,
        int ruleVersion,
        boolean shadow,
        long version,
        Long quietUntil) {

    /** A new episode detected at {@code t}, before its first version. */
    public static Episode open(String alertId, RuleId rule, Level level, long t) {
        return new Episode(alertId, rule, level, t, t, 0, 0, 0, 0, null, 0, false, 0, null);
    }

    /** Detected again at {@code t}, at {@code level} now. */
    public Episode detected(long t, Level atLevel) {
        return new Episode(
                alertId,
                rule,
                atLevel,
                firstDetectedAt,
                t,
                windowStart,
                windowEnd,
                observed,
                threshold,
                evidence,
                ruleVersion,
                shadow,
                version,
                quietUntil);
    }

    /** The next version, saying what {@code f} found under {@code settings}. */
    public Episode reporting(Finding f, RuleSettings settings) {
        return new Episode(
                alertId,
                rule,
                level,
                firstDetectedAt,
                lastDetectedAt,
                f.windowStart(),
                f.windowEnd(),
                f.observed(),
                f.threshold(),
                f.evidence(),
                settings.version(),
                settings.shadow(),
                version + 1,
                quietUntil);
    }

    /** The next version, unchanged otherwise (the resolution). */
    public Episode nextVersion() {
        return new Episode(
                alertId,
                rule,
                level,
                firstDetectedAt,
                lastDetectedAt,
                windowStart,
                windowEnd,
                observed,
                threshold,
                evidence,
                ruleVersion,
                shadow,
                version + 1,
                quietUntil);
    }

    public Episode quietUntil(long t) {
        return new Episode(
                alertId,
                rule,
                level,
                firstDetectedAt,
                lastDetectedAt,
                windowStart,
                windowEnd,
                observed,
                threshold,
                evidence,
                ruleVersion,
                shadow,
                version,
                t);
    }
}
