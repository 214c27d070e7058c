package org.lifelongpulse.fundrisk.rules;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import org.lifelongpulse.avro.RiskRule;
import org.lifelongpulse.avro.RuleMode;
import org.lifelongpulse.avro.Severity;

/**
 * Every rule setting published, resolved per district: settings scoped to the institution's
 * district win over settings for every district, which win over the RULES.md defaults.
 */
public final class RuleBook {

    private final Map<RuleId, RuleSettings> global = new EnumMap<>(RuleId.class);
    private final Map<String, Map<RuleId, RuleSettings>> byDistrict = new HashMap<>();
    private final Map<String, RuleSet> resolved = new HashMap<>();

    public RuleBook(Iterable<RuleSettings> settings) {
        for (RuleSettings s : settings) {
            if (s.district() == null) {
                global.put(s.rule(), s);
            } else {
                byDistrict
                        .computeIfAbsent(s.district(), d -> new EnumMap<>(RuleId.class))
                        .put(s.rule(), s);
            }
        }
    }

    public static RuleBook defaults() {
        return new RuleBook(java.util.List.of());
    }

    /** The rules in force for an institution of this district (null: unknown district). */
    public RuleSet forDistrict(String district) {
        String key = district == null ? "" : district;
        return resolved.computeIfAbsent(
                key,
                k -> {
                    Map<RuleId, RuleSettings> in = new EnumMap<>(global);
                    in.putAll(byDistrict.getOrDefault(k, Map.of()));
                    return RuleSet.of(in);
                });
    }

    /**
     * The settings a {@code RiskRule} record carries; null for a rule id this job does not know (a
     * newer publisher's rule is ignored, not fatal).
     */
    public static RuleSettings settingsOf(RiskRule rule) {
        RuleId id;
        try {
            id = RuleId.parse(rule.getRuleId());
        } catch (IllegalArgumentException unknown) {
            return null;
        }
        Map<String, Double> params = new HashMap<>();
        rule.getParams().forEach((k, v) -> params.put(k.toString(), v));
        Level level =
                rule.getSeverity() == Severity.RED
                        ? Level.RED
                        : rule.getSeverity() == Severity.YELLOW ? Level.YELLOW : id.defaultLevel();
        return new RuleSettings(
                id,
                rule.getVersion(),
                rule.getEnabled(),
                rule.getMode() == RuleMode.SHADOW,
                level,
                params,
                rule.getDistrict() == null ? null : rule.getDistrict().name());
    }
}
