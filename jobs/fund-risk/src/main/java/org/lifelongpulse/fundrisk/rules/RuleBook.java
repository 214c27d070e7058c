package org.lifelongpulse.fundrisk.rules;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.lifelongpulse.avro.RiskRule;
import org.lifelongpulse.avro.RuleMode;
import org.lifelongpulse.avro.Severity;

/**
 * The rule settings in force at one moment, resolved per district: settings scoped to the
 * institution's district win over settings for every district, which win over the RULES.md
 * defaults. ENFORCE and SHADOW settings are resolved separately: a SHADOW setting is a trial that
 * runs beside the enforced setting of the same rule and scope, never instead of it.
 */
public final class RuleBook {

    /** The rules of a trial: the enforced ones with the SHADOW settings in their place. */
    public record Trial(RuleSet rules, Set<RuleId> reported) {}

    private final Map<RuleId, RuleSettings> global = new EnumMap<>(RuleId.class);
    private final Map<String, Map<RuleId, RuleSettings>> byDistrict = new HashMap<>();
    private final Map<RuleId, RuleSettings> shadowGlobal = new EnumMap<>(RuleId.class);
    private final Map<String, Map<RuleId, RuleSettings>> shadowByDistrict = new HashMap<>();
    private final Map<String, RuleSet> resolved = new HashMap<>();
    private final Map<String, Optional<Trial>> trials = new HashMap<>();

    public RuleBook(Iterable<RuleSettings> settings) {
        for (RuleSettings s : settings) {
            Map<RuleId, RuleSettings> everywhere = s.shadow() ? shadowGlobal : global;
            Map<String, Map<RuleId, RuleSettings>> scoped =
                    s.shadow() ? shadowByDistrict : byDistrict;
            if (s.district() == null) {
                everywhere.put(s.rule(), s);
            } else {
                scoped.computeIfAbsent(s.district(), d -> new EnumMap<>(RuleId.class))
                        .put(s.rule(), s);
            }
        }
    }

    /**
     * The trial of this district's SHADOW settings, or null when none applies. Its rule set holds
     * the shadowed rules with their SHADOW settings, R8-R10 as enforced when COMPOSITE is on trial
     * (the composite combines their alerts), every other rule disabled.
     */
    public Trial trialFor(String district) {
        String key = district == null ? "" : district;
        return trials.computeIfAbsent(
                        key,
                        k -> {
                            Map<RuleId, RuleSettings> shadow = new EnumMap<>(shadowGlobal);
                            shadow.putAll(shadowByDistrict.getOrDefault(k, Map.of()));
                            if (shadow.isEmpty()) {
                                return Optional.empty();
                            }
                            RuleSet enforced = forDistrict(district);
                            Map<RuleId, RuleSettings> in = new EnumMap<>(RuleId.class);
                            for (RuleId rule : RuleId.values()) {
                                RuleSettings trial = shadow.get(rule);
                                boolean feedsComposite =
                                        shadow.containsKey(RuleId.COMPOSITE)
                                                && (rule == RuleId.R8
                                                        || rule == RuleId.R9
                                                        || rule == RuleId.R10);
                                in.put(
                                        rule,
                                        trial != null
                                                ? trial
                                                : feedsComposite
                                                        ? enforced.settings(rule)
                                                        : enforced.settings(rule).disabled());
                            }
                            return Optional.of(
                                    new Trial(
                                            RuleSet.of(in),
                                            Collections.unmodifiableSet(
                                                    EnumSet.copyOf(shadow.keySet()))));
                        })
                .orElse(null);
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
