package org.lifelongpulse.cli.rules;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.lifelongpulse.avro.RiskRule;
import org.lifelongpulse.contracts.Topic;
import org.lifelongpulse.fundrisk.rules.RuleId;

/**
 * The rule settings in force, per topic key ({@code R2}, {@code R2@PUDONG}, and the SHADOW settings
 * that run beside them, {@code R2#SHADOW}, {@code R2@PUDONG#SHADOW}), gathered as the fund-risk job
 * gathers them from {@code fund.rules.v1}: a setting replaces the one of its key unless that one
 * has a higher version.
 */
public final class RulesInForce {

    private static final String ROW = "%-14s %-10s %7s %-8s %-7s %-6s %s";

    private final Map<String, RiskRule> latest = new TreeMap<>();

    /** Takes a setting read from the topic. */
    public void offer(RiskRule rule) {
        latest.merge(
                Topic.RISK_RULES.keyOf(rule),
                rule,
                (known, update) -> known.getVersion() <= update.getVersion() ? update : known);
    }

    /** The settings by topic key, in key order. */
    public Map<String, RiskRule> byKey() {
        return Collections.unmodifiableMap(latest);
    }

    /**
     * A table of every rule, a heading first: for each rule its settings for every district (or, if
     * none were published, the RULES.md defaults at version 0), then those for single districts.
     * Parameters show with their defaults filled in.
     */
    public List<String> table() {
        List<String> lines = new ArrayList<>();
        lines.add(
                String.format(
                        Locale.ROOT,
                        ROW,
                        "RULE",
                        "DISTRICT",
                        "VERSION",
                        "ENABLED",
                        "MODE",
                        "LEVEL",
                        "PARAMETERS"));
        for (RuleId id : RuleId.values()) {
            RiskRule everywhere = latest.get(id.name());
            if (everywhere == null) {
                // the job applies the defaults wherever no district setting overrides them
                lines.add(
                        String.format(
                                Locale.ROOT,
                                ROW,
                                id,
                                "all",
                                0,
                                true,
                                "ENFORCE",
                                id.defaultLevel(),
                                format(id.defaults()) + " (defaults)"));
            }
            for (RiskRule r : latest.values()) {
                if (r.getRuleId().equals(id.name())) {
                    Map<String, Double> params = new TreeMap<>(id.defaults());
                    r.getParams().forEach((k, v) -> params.put(k.toString(), v));
                    lines.add(
                            String.format(
                                    Locale.ROOT,
                                    ROW,
                                    id,
                                    r.getDistrict() == null ? "all" : r.getDistrict(),
                                    r.getVersion(),
                                    r.getEnabled(),
                                    r.getMode(),
                                    r.getSeverity(),
                                    format(params)));
                }
            }
        }
        return lines;
    }

    /** {@code name=value, ...}; whole numbers without a decimal point. */
    static String format(Map<String, Double> params) {
        StringBuilder s = new StringBuilder();
        params.forEach(
                (k, v) ->
                        s.append(s.length() == 0 ? "" : ", ")
                                .append(k)
                                .append('=')
                                .append(
                                        v == Math.rint(v)
                                                ? String.valueOf(v.longValue())
                                                : String.valueOf(v)));
        return s.toString();
    }
}
