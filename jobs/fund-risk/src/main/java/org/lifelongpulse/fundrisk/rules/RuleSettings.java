package org.lifelongpulse.fundrisk.rules;

import java.util.Map;

/**
 * The settings of one rule in force: from {@code fund.rules.v1}, or the RULES.md defaults (version
 * 0). Parameters missing from {@code params} take their defaults.
 *
 * @param district null for every district, else the one district the settings apply to
 */
public record RuleSettings(
        RuleId rule,
        int version,
        boolean enabled,
        boolean shadow,
        Level level,
        Map<String, Double> params,
        String district) {

    public static final long HOUR = 3_600_000L;
    public static final long DAY = 24 * HOUR;

    public RuleSettings {
        params = Map.copyOf(params);
    }

    public static RuleSettings defaults(RuleId rule) {
        return new RuleSettings(rule, 0, true, false, rule.defaultLevel(), Map.of(), null);
    }

    /** The same settings, switched off. */
    public RuleSettings disabled() {
        return new RuleSettings(rule, version, false, shadow, level, params, district);
    }

    public RuleSettings withParam(String name, double value) {
        Map<String, Double> changed = new java.util.HashMap<>(params);
        changed.put(name, value);
        return new RuleSettings(rule, version, enabled, shadow, level, changed, district);
    }

    public double param(String name) {
        Double value = params.get(name);
        if (value != null) {
            return value;
        }
        Double fallback = rule.defaults().get(name);
        if (fallback == null) {
            throw new IllegalArgumentException(rule + " has no parameter " + name);
        }
        return fallback;
    }

    /** A yuan parameter in fen. */
    public long fen(String name) {
        return Math.round(param(name) * 100);
    }

    public long days(String name) {
        return Math.round(param(name) * DAY);
    }

    public long hours(String name) {
        return Math.round(param(name) * HOUR);
    }

    public int count(String name) {
        return (int) Math.round(param(name));
    }
}
