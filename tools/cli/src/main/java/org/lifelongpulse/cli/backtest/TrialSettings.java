package org.lifelongpulse.cli.backtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.lifelongpulse.avro.RiskRule;
import org.lifelongpulse.avro.RuleMode;
import org.lifelongpulse.cli.rules.RulesFile;
import org.lifelongpulse.contracts.Topic;
import org.lifelongpulse.fundrisk.rules.RuleId;

/**
 * The two sets of rule settings a back-test replays: the live ENFORCE settings in force, and the
 * trial, which is the live settings with a rules file ({@code --rules}, as {@code ./pulse rules
 * put} would complete and apply it) and then single overrides ({@code --set R5.yellow_below=0.9},
 * {@code --set R2@PUDONG.max_amount_yuan=3000}, {@code --set R8.enabled=false}) applied. Both are
 * given to the job with {@code updated_at = null}: in force from the beginning of time. SHADOW
 * settings are left out of the live set (they never change an enforced alert); a SHADOW entry of
 * the rules file is tried as the enforced setting of its rule and scope, which is what a back-test
 * of a shadow trial asks.
 *
 * @param live the live ENFORCE settings, by topic key
 * @param trial the trial's settings, by topic key
 * @param changes one line per key the trial changes, for the report
 * @param errors one line per problem; a back-test with problems must not run
 */
public record TrialSettings(
        Map<String, RiskRule> live,
        Map<String, RiskRule> trial,
        List<String> changes,
        List<String> errors) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** {@code RULE[@DISTRICT].name=value}. */
    private static final Pattern SET =
            Pattern.compile("([A-Za-z0-9]+)(?:@([A-Za-z]+))?\\.([A-Za-z_]+)=(.*)");

    public TrialSettings {
        live = Map.copyOf(live);
        trial = Map.copyOf(trial);
        changes = List.copyOf(changes);
        errors = List.copyOf(errors);
    }

    public boolean isValid() {
        return errors.isEmpty();
    }

    /**
     * @param inForce the settings on the rules topic by key, SHADOW ones included
     * @param rulesFile the text of a rules file, or null
     * @param sets the {@code --set} overrides, in order
     */
    public static TrialSettings of(
            Map<String, RiskRule> inForce, String rulesFile, List<String> sets, Instant now) {
        Map<String, RiskRule> live = new TreeMap<>();
        inForce.forEach(
                (key, rule) -> {
                    if (rule.getMode() != RuleMode.SHADOW) {
                        live.put(key, fromTheBeginning(rule));
                    }
                });
        Map<String, RiskRule> trial = new TreeMap<>(live);
        List<String> errors = new ArrayList<>();
        if (rulesFile != null) {
            RulesFile parsed = RulesFile.parse(rulesFile, inForce, now);
            errors.addAll(parsed.errors());
            for (RiskRule rule : parsed.rules()) {
                RiskRule enforced = RiskRule.newBuilder(rule).setMode(RuleMode.ENFORCE).build();
                trial.put(Topic.RISK_RULES.keyOf(enforced), fromTheBeginning(enforced));
            }
        }
        Map<String, Map<String, String>> overrides = new LinkedHashMap<>();
        for (String set : sets) {
            Matcher m = SET.matcher(set.strip());
            if (!m.matches()) {
                errors.add(
                        "--set "
                                + set
                                + ": write RULE.name=value or RULE@DISTRICT.name=value,"
                                + " e.g. R5.yellow_below=0.9");
                continue;
            }
            String rule = m.group(1).toUpperCase(java.util.Locale.ROOT);
            String key = m.group(2) == null ? rule : rule + "@" + m.group(2).toUpperCase();
            String previous =
                    overrides
                            .computeIfAbsent(key, k -> new LinkedHashMap<>())
                            .put(m.group(3), m.group(4).strip());
            if (previous != null) {
                errors.add("--set " + set + ": " + key + "." + m.group(3) + " is set twice");
            }
        }
        overrides.forEach((key, values) -> override(key, values, trial, inForce, now, errors));
        List<String> changes = new ArrayList<>();
        trial.forEach(
                (key, rule) -> {
                    if (!rule.equals(live.get(key))) {
                        changes.add(key + ": " + describe(live.get(key)) + " -> " + describe(rule));
                    }
                });
        if (errors.isEmpty() && changes.isEmpty()) {
            errors.add(
                    "the trial settings equal the live ones: give --set RULE.name=value or"
                            + " --rules FILE with a change");
        }
        return new TrialSettings(live, trial, changes, errors);
    }

    /**
     * One key's overrides on the trial setting of that key (else, for a district, on the trial
     * setting for every district; else on the defaults), checked as a rules file entry is.
     */
    private static void override(
            String key,
            Map<String, String> values,
            Map<String, RiskRule> trial,
            Map<String, RiskRule> inForce,
            Instant now,
            List<String> errors) {
        String where = "--set " + key + ": ";
        String ruleName = key.contains("@") ? key.substring(0, key.indexOf('@')) : key;
        RuleId id;
        try {
            id = RuleId.parse(ruleName);
        } catch (IllegalArgumentException e) {
            errors.add(
                    where
                            + "unknown rule '"
                            + ruleName
                            + "'; the rules are R1 to R13 and"
                            + " COMPOSITE");
            return;
        }
        RiskRule base = trial.get(key);
        if (base == null && key.contains("@")) {
            base = trial.get(id.name());
        }
        ObjectNode entry = JSON.createObjectNode();
        entry.put("rule_id", id.name());
        if (key.contains("@")) {
            entry.put("district", key.substring(key.indexOf('@') + 1));
        }
        ObjectNode params = entry.putObject("params");
        if (base != null) {
            entry.put("enabled", base.getEnabled());
            entry.put("severity", base.getSeverity().name());
            base.getParams().forEach((k, v) -> params.put(k.toString(), v));
        }
        for (Map.Entry<String, String> v : values.entrySet()) {
            String name = v.getKey();
            String value = v.getValue();
            if (name.equals("enabled")) {
                if (!value.equals("true") && !value.equals("false")) {
                    errors.add(where + "enabled must be true or false, not " + value);
                    return;
                }
                entry.put("enabled", Boolean.parseBoolean(value));
            } else if (name.equals("severity")) {
                entry.put("severity", value.toUpperCase(java.util.Locale.ROOT));
            } else {
                try {
                    params.put(name, Double.parseDouble(value));
                } catch (NumberFormatException e) {
                    errors.add(where + id + "." + name + " must be a number >= 0, not " + value);
                    return;
                }
            }
        }
        RulesFile parsed = RulesFile.parse(entry.toString(), inForce, now);
        // the rules file's messages name an entry and line; here there is only the option
        parsed.errors()
                .forEach(e -> errors.add(where + e.replaceFirst("^entry 1 \\(line 1\\): ", "")));
        for (RiskRule rule : parsed.rules()) {
            trial.put(Topic.RISK_RULES.keyOf(rule), fromTheBeginning(rule));
        }
    }

    /** The setting as a replay takes it: in force from the beginning of time. */
    static RiskRule fromTheBeginning(RiskRule rule) {
        return RiskRule.newBuilder(rule).setUpdatedAt(null).build();
    }

    /** {@code v3 enabled RED max_amount_yuan=3000}, or {@code defaults}. */
    static String describe(RiskRule rule) {
        if (rule == null) {
            return "defaults";
        }
        Map<String, Double> params = new TreeMap<>();
        rule.getParams().forEach((k, v) -> params.put(k.toString(), v));
        StringBuilder s =
                new StringBuilder()
                        .append(rule.getEnabled() ? "enabled " : "disabled ")
                        .append(rule.getSeverity());
        params.forEach(
                (k, v) ->
                        s.append(' ')
                                .append(k)
                                .append('=')
                                .append(
                                        v == Math.rint(v)
                                                ? String.valueOf(v.longValue())
                                                : String.valueOf(v)));
        return s.toString();
    }
}
