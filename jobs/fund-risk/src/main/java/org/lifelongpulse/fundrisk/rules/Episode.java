package org.lifelongpulse.fundrisk.rules;

/**
 * The alert of one rule at one institution: what its latest version said, and where it is in its
 * lifecycle. Immutable; one keyed map entry per rule.
 *
 * <p>An episode is <em>open</em> until it resolves; a resolved episode is remembered for the rule's
 * cool-down ({@code cooldown_days}), so that a re-trigger re-opens the same alert instead of a new
 * one, and a supervisor's close keeps absorbing re-triggers until the cool-down has passed.
 *
 * @param level the highest level reached in the episode
 * @param quietUntil for incident rules with {@code resolve_after_days}: when the episode ends if
 *     nothing new happens
 * @param clearSince for condition rules: since when the condition has been gone (the episode
 *     resolves after {@code quiet_hours} of it), null while it holds
 * @param endedAt when the episode resolved or was closed; null while it is open
 * @param closed whether a supervisor closed it (final: re-triggers in the cool-down are absorbed)
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
        Long quietUntil,
        Long clearSince,
        Long endedAt,
        boolean closed) {

    /** A new episode detected at {@code t}, before its first version. */
    public static Episode open(String alertId, RuleId rule, Level level, long t) {
        return new Episode(
                alertId, rule, level, t, t, 0, 0, 0, 0, null, 0, false, 0, null, null, null, false);
    }

    public boolean isOpen() {
        return endedAt == null;
    }

    /** Detected again at {@code t}, at {@code level} now: holding, so no clearance pending. */
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
                quietUntil,
                null,
                endedAt,
                closed);
    }

    /** A resolved episode detected again within its cool-down: open again, same alert. */
    public Episode reopened(long t, Level atLevel) {
        return new Episode(
                alertId,
                rule,
                Level.max(level, atLevel),
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
                null,
                null,
                null,
                false);
    }

    /** The next version, saying what {@code f} found under {@code settings}. */
    public Episode reporting(Finding f, RuleSettings settings, boolean trial) {
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
                trial,
                version + 1,
                quietUntil,
                clearSince,
                endedAt,
                closed);
    }

    /** The next version, ended at {@code t} (resolved, or closed by a supervisor). */
    public Episode ended(long t, boolean byClose) {
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
                null,
                null,
                t,
                byClose);
    }

    public Episode quietUntil(Long t) {
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
                t,
                clearSince,
                endedAt,
                closed);
    }

    /** The condition found gone at {@code t}: the quiet period starts (once). */
    public Episode clearing(long t) {
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
                quietUntil,
                clearSince == null ? t : clearSince,
                endedAt,
                closed);
    }
}
