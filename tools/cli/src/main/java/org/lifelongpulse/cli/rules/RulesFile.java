package org.lifelongpulse.cli.rules;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.lifelongpulse.avro.RiskRule;
import org.lifelongpulse.avro.RuleMode;
import org.lifelongpulse.avro.Severity;
import org.lifelongpulse.contracts.JsonForm;
import org.lifelongpulse.contracts.JsonFormException;
import org.lifelongpulse.contracts.Validation;
import org.lifelongpulse.fundrisk.rules.RuleId;

/**
 * A file of fund-risk rule settings as {@code ./pulse rules put} reads it: a JSON array of objects,
 * or one object per line, with the {@link RiskRule} field names. Omitted fields are completed
 * (version = the version in force + 1, enabled, ENFORCE, the rule's default severity, no
 * parameters, updated_at = now); every problem is named with its entry and line, and a file with
 * any problem must not be sent.
 *
 * @param rules the completed settings, in file order (incomplete when there are errors)
 * @param errors one message per problem, each starting {@code entry N (line L): } or {@code line L:
 *     }
 */
public record RulesFile(List<RiskRule> rules, List<String> errors) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public RulesFile {
        rules = List.copyOf(rules);
        errors = List.copyOf(errors);
    }

    /** Whether the file may be sent: it has no problem. */
    public boolean isValid() {
        return errors.isEmpty();
    }

    /**
     * Reads and completes a file of settings.
     *
     * @param inForce the settings in force by topic key ({@code R2}, {@code R2@PUDONG}, and for
     *     SHADOW settings {@code R2#SHADOW}, {@code R2@PUDONG#SHADOW})
     * @param now the publication time given to entries without {@code updated_at}
     */
    public static RulesFile parse(String text, Map<String, RiskRule> inForce, Instant now) {
        List<String> errors = new ArrayList<>();
        List<RiskRule> rules = new ArrayList<>();
        Map<String, Entry> seen = new HashMap<>();
        for (Entry entry : entries(text, errors)) {
            RiskRule rule = complete(entry, inForce, now, seen, errors);
            if (rule != null) {
                rules.add(rule);
            }
        }
        return new RulesFile(rules, errors);
    }

    /** One object of the file, numbered from 1, with the line it starts on. */
    private record Entry(int number, int line, JsonNode node) {
        String where() {
            return "entry " + number + " (line " + line + "): ";
        }
    }

    private static List<Entry> entries(String text, List<String> errors) {
        List<Entry> entries = new ArrayList<>();
        if (text.strip().startsWith("[")) {
            try (JsonParser parser = JSON.createParser(text)) {
                parser.nextToken();
                JsonToken token;
                while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                    if (token == null) {
                        errors.add(
                                "line "
                                        + parser.currentLocation().getLineNr()
                                        + ": not JSON: the array is not closed with ']'");
                        return List.of();
                    }
                    int line = parser.currentTokenLocation().getLineNr();
                    entries.add(new Entry(entries.size() + 1, line, JSON.readTree(parser)));
                }
                if (parser.nextToken() != null) {
                    errors.add(
                            "line "
                                    + parser.currentTokenLocation().getLineNr()
                                    + ": not JSON: more after the array's closing ']'");
                    return List.of();
                }
            } catch (IOException e) {
                errors.add(notJson(e, 0));
                return List.of();
            }
            return entries;
        }
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            try {
                entries.add(new Entry(entries.size() + 1, i + 1, JSON.readTree(lines[i])));
            } catch (IOException e) {
                errors.add(notJson(e, i));
            }
        }
        return errors.isEmpty() ? entries : List.of();
    }

    /** A parse error, by its line (counted from {@code lineOffset} when parsing one line). */
    private static String notJson(IOException e, int lineOffset) {
        if (e instanceof JsonProcessingException json) {
            JsonLocation at = json.getLocation();
            String line = at == null ? "" : "line " + (at.getLineNr() + lineOffset) + ": ";
            return line + "not JSON: " + json.getOriginalMessage();
        }
        return "not JSON: " + e.getMessage();
    }

    /** The entry as a complete setting, or null after adding its problems to {@code errors}. */
    private static RiskRule complete(
            Entry entry,
            Map<String, RiskRule> inForce,
            Instant now,
            Map<String, Entry> seen,
            List<String> errors) {
        String where = entry.where();
        if (!(entry.node() instanceof ObjectNode node)) {
            errors.add(where + "not a JSON object");
            return null;
        }
        RuleId id;
        try {
            id = RuleId.parse(node.path("rule_id").asText(""));
        } catch (IllegalArgumentException e) {
            errors.add(
                    where
                            + "unknown rule_id '"
                            + node.path("rule_id").asText("")
                            + "'; the rules are R1 to R13 and COMPOSITE");
            return null;
        }
        node.put("rule_id", id.name());
        String scoped =
                node.hasNonNull("district")
                        ? id.name() + "@" + node.get("district").asText()
                        : id.name();
        // a SHADOW setting runs beside the ENFORCE one of the same rule and scope: its own key
        String key = "SHADOW".equals(node.path("mode").asText()) ? scoped + "#SHADOW" : scoped;
        Entry earlier = seen.putIfAbsent(key, entry);
        if (earlier != null) {
            // both would be sent and the later one would silently win
            errors.add(
                    where
                            + key
                            + " is already set by entry "
                            + earlier.number()
                            + " (line "
                            + earlier.line()
                            + "); put one entry per rule, district and mode");
            return null;
        }
        RiskRule current = inForce.get(key);
        int inForceVersion = current == null ? 0 : current.getVersion();
        if (!node.hasNonNull("version")) {
            node.put("version", inForceVersion + 1);
        } else if (!node.get("version").canConvertToExactIntegral()
                || !node.get("version").canConvertToInt()) {
            errors.add(where + key + " version must be a whole number, not " + node.get("version"));
            return null;
        } else if (node.get("version").asInt() <= inForceVersion) {
            errors.add(
                    where
                            + key
                            + " version "
                            + node.get("version").asInt()
                            + " is not above the version in force ("
                            + inForceVersion
                            + "); the job would ignore it");
            return null;
        }
        if (!node.has("enabled")) {
            node.put("enabled", true);
        }
        if (!node.has("mode")) {
            node.put("mode", "ENFORCE");
        }
        if (!node.has("severity")) {
            node.put("severity", id.defaultLevel().name());
        }
        if (!node.has("params")) {
            node.putObject("params");
        }
        List<String> problems = new ArrayList<>();
        if (node.get("params") instanceof ObjectNode params) {
            List<String> wrong = new ArrayList<>();
            params.properties()
                    .forEach(
                            p -> {
                                if (!id.defaults().containsKey(p.getKey())) {
                                    problems.add(
                                            id
                                                    + " has no parameter '"
                                                    + p.getKey()
                                                    + "'; its"
                                                    + " parameters are "
                                                    + id.defaults().keySet());
                                    wrong.add(p.getKey());
                                } else if (!p.getValue().isNumber()
                                        || p.getValue().asDouble() < 0) {
                                    problems.add(
                                            id
                                                    + "."
                                                    + p.getKey()
                                                    + " must be a number >= 0, not "
                                                    + p.getValue());
                                    wrong.add(p.getKey());
                                }
                            });
            // reported once here, not again by the record's own check below
            params.remove(wrong);
        }
        if (!node.hasNonNull("updated_at")) {
            node.put("updated_at", now.toEpochMilli());
        }
        try {
            RiskRule rule = JsonForm.fromJson(node.toString(), RiskRule.class);
            problems.addAll(Validation.defaults().problems(rule, now));
            // UNKNOWN is the symbol a reader gives a newer producer's value; the job would
            // enforce the rule at its default level rather than what the file meant
            if (rule.getMode() == RuleMode.UNKNOWN) {
                problems.add("mode must be ENFORCE or SHADOW");
            }
            if (rule.getSeverity() == Severity.UNKNOWN) {
                problems.add("severity must be YELLOW or RED");
            }
            if (problems.isEmpty()) {
                return rule;
            }
        } catch (JsonFormException e) {
            problems.add(e.getMessage());
        }
        problems.forEach(p -> errors.add(where + p));
        return null;
    }
}
