package org.lifelongpulse.cli.backtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.lifelongpulse.fundrisk.records.AlertRow;

/**
 * The enforced alerts two replays produced over a period, compared: an alert is one episode of one
 * rule at one institution, identified by its id ({@code RULE-INSTITUTION-firstDetectionMillis}), so
 * two replays produced the same alert when they started the same episode at the same instant. Only
 * alerts first detected in [from, to) count; each is taken at its latest version (its highest
 * severity, its final status).
 *
 * @param gained alerts only the trial produced
 * @param lost alerts only the live settings produced
 * @param severityChanged alerts both produced, with another highest severity
 * @param unchanged how many alerts both produced with the same severity
 */
public record AlertDiff(
        Instant from,
        Instant to,
        int liveAlerts,
        int trialAlerts,
        List<Change> gained,
        List<Change> lost,
        List<Change> severityChanged,
        int unchanged,
        List<Summary> summary) {

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** How one alert differs; the live or the trial side is null when it lacks the alert. */
    public record Change(String kind, AlertRow live, AlertRow trial) {

        AlertRow either() {
            return trial != null ? trial : live;
        }

        public String alertId() {
            return either().alertId();
        }

        public String ruleId() {
            return either().ruleId();
        }

        public String institutionId() {
            return either().institutionId();
        }

        public String district() {
            return either().district();
        }

        public long firstDetectedAt() {
            return either().firstDetectedAt();
        }
    }

    /** One line of the summary: the counts of one rule in one district. */
    public record Summary(
            String ruleId,
            String district,
            int live,
            int trial,
            int gained,
            int lost,
            int severityChanged) {}

    /** Compares the alert versions of the live replay with those of the trial replay. */
    public static AlertDiff of(
            Collection<AlertRow> live, Collection<AlertRow> trial, Instant from, Instant to) {
        Map<String, AlertRow> before = latest(live, from, to);
        Map<String, AlertRow> after = latest(trial, from, to);
        List<Change> gained = new ArrayList<>();
        List<Change> lost = new ArrayList<>();
        List<Change> changed = new ArrayList<>();
        int unchanged = 0;
        Set<String> ids = new TreeSet<>(before.keySet());
        ids.addAll(after.keySet());
        for (String id : ids) {
            AlertRow l = before.get(id);
            AlertRow t = after.get(id);
            if (l == null) {
                gained.add(new Change("gained", null, t));
            } else if (t == null) {
                lost.add(new Change("lost", l, null));
            } else if (!l.severity().equals(t.severity())) {
                changed.add(new Change("severity_changed", l, t));
            } else {
                unchanged++;
            }
        }
        Map<List<String>, int[]> counts = new TreeMap<>(Comparator.comparing(Object::toString));
        before.values().forEach(a -> counts.computeIfAbsent(scope(a), k -> new int[5])[0]++);
        after.values().forEach(a -> counts.computeIfAbsent(scope(a), k -> new int[5])[1]++);
        gained.forEach(c -> counts.get(scope(c.either()))[2]++);
        lost.forEach(c -> counts.get(scope(c.either()))[3]++);
        changed.forEach(c -> counts.get(scope(c.either()))[4]++);
        List<Summary> summary = new ArrayList<>();
        counts.entrySet().stream()
                .sorted(
                        Comparator.comparing(
                                        (Map.Entry<List<String>, int[]> e) ->
                                                ruleOrder(e.getKey().get(0)))
                                .thenComparing(e -> e.getKey().get(1)))
                .forEach(
                        e ->
                                summary.add(
                                        new Summary(
                                                e.getKey().get(0),
                                                e.getKey().get(1),
                                                e.getValue()[0],
                                                e.getValue()[1],
                                                e.getValue()[2],
                                                e.getValue()[3],
                                                e.getValue()[4])));
        return new AlertDiff(
                from, to, before.size(), after.size(), gained, lost, changed, unchanged, summary);
    }

    /** The latest version of each enforced alert first detected in [from, to). */
    static Map<String, AlertRow> latest(Collection<AlertRow> rows, Instant from, Instant to) {
        Map<String, AlertRow> latest = new HashMap<>();
        for (AlertRow r : rows) {
            if (r.shadow()
                    || r.firstDetectedAt() < from.toEpochMilli()
                    || r.firstDetectedAt() >= to.toEpochMilli()) {
                continue;
            }
            latest.merge(r.alertId(), r, (a, b) -> a.version() >= b.version() ? a : b);
        }
        return latest;
    }

    private static List<String> scope(AlertRow a) {
        return List.of(a.ruleId(), a.district() == null ? "" : a.district());
    }

    /** R1 … R13, then COMPOSITE, then anything else by name. */
    private static String ruleOrder(String rule) {
        if (rule.matches("R\\d+")) {
            return String.format(Locale.ROOT, "0%03d", Integer.parseInt(rule.substring(1)));
        }
        return "1" + rule;
    }

    /** Every change, gained first, then lost, then changed severity; by alert id within each. */
    public List<Change> changes() {
        List<Change> all = new ArrayList<>(gained);
        all.addAll(lost);
        all.addAll(severityChanged);
        return all;
    }

    /** The summary table as printed: a heading, one line per rule and district, the totals. */
    public List<String> table() {
        String row = "%-10s %-10s %7s %7s %7s %7s %9s";
        List<String> lines = new ArrayList<>();
        lines.add(
                String.format(
                        Locale.ROOT,
                        row,
                        "RULE",
                        "DISTRICT",
                        "LIVE",
                        "TRIAL",
                        "GAINED",
                        "LOST",
                        "SEVERITY"));
        for (Summary s : summary) {
            lines.add(
                    String.format(
                            Locale.ROOT,
                            row,
                            s.ruleId(),
                            s.district(),
                            s.live(),
                            s.trial(),
                            "+" + s.gained(),
                            "-" + s.lost(),
                            s.severityChanged()));
        }
        lines.add(
                String.format(
                        Locale.ROOT,
                        row,
                        "total",
                        "",
                        liveAlerts,
                        trialAlerts,
                        "+" + gained.size(),
                        "-" + lost.size(),
                        severityChanged.size()));
        return lines;
    }

    /** The diff as JSON: the period, the settings compared, the summary and every change. */
    public ObjectNode json(TrialSettings settings, Map<String, Object> replays) {
        ObjectNode root = JSON.createObjectNode();
        root.put("from", from.toString());
        root.put("to", to.toString());
        ArrayNode changes = root.putArray("settings_changed");
        settings.changes().forEach(changes::add);
        ObjectNode totals = root.putObject("totals");
        totals.put("live_alerts", liveAlerts);
        totals.put("trial_alerts", trialAlerts);
        totals.put("gained", gained.size());
        totals.put("lost", lost.size());
        totals.put("severity_changed", severityChanged.size());
        totals.put("unchanged", unchanged);
        ObjectNode runs = root.putObject("replays");
        replays.forEach((k, v) -> runs.putPOJO(k, v));
        ArrayNode table = root.putArray("summary");
        for (Summary s : summary) {
            table.addObject()
                    .put("rule_id", s.ruleId())
                    .put("district", s.district())
                    .put("live", s.live())
                    .put("trial", s.trial())
                    .put("gained", s.gained())
                    .put("lost", s.lost())
                    .put("severity_changed", s.severityChanged());
        }
        ArrayNode alerts = root.putArray("alerts");
        for (Change c : changes()) {
            ObjectNode a =
                    alerts.addObject()
                            .put("change", c.kind())
                            .put("alert_id", c.alertId())
                            .put("rule_id", c.ruleId())
                            .put("institution_id", c.institutionId())
                            .put("district", c.district())
                            .put(
                                    "first_detected_at",
                                    Instant.ofEpochMilli(c.firstDetectedAt()).toString());
            side(a, "live", c.live());
            side(a, "trial", c.trial());
        }
        return root;
    }

    private static void side(ObjectNode alert, String name, AlertRow row) {
        if (row == null) {
            alert.putNull(name);
            return;
        }
        alert.putObject(name)
                .put("severity", row.severity())
                .put("status", row.status())
                .put("last_detected_at", Instant.ofEpochMilli(row.lastDetectedAt()).toString())
                .put("observed", row.observed())
                .put("threshold", row.threshold())
                .put("evidence", row.evidence());
    }

    /** {@code alerts.csv}: one line per change. */
    public List<String> alertsCsv() {
        List<String> lines = new ArrayList<>();
        lines.add(
                "change,alert_id,rule_id,institution_id,district,first_detected_at,"
                        + "live_severity,trial_severity,live_status,trial_status,"
                        + "live_evidence,trial_evidence");
        for (Change c : changes()) {
            lines.add(
                    String.join(
                            ",",
                            c.kind(),
                            csv(c.alertId()),
                            csv(c.ruleId()),
                            csv(c.institutionId()),
                            csv(c.district()),
                            Instant.ofEpochMilli(c.firstDetectedAt()).toString(),
                            c.live() == null ? "" : c.live().severity(),
                            c.trial() == null ? "" : c.trial().severity(),
                            c.live() == null ? "" : c.live().status(),
                            c.trial() == null ? "" : c.trial().status(),
                            csv(c.live() == null ? "" : c.live().evidence()),
                            csv(c.trial() == null ? "" : c.trial().evidence())));
        }
        return lines;
    }

    /** {@code summary.csv}: the table's lines, totals last. */
    public List<String> summaryCsv() {
        List<String> lines = new ArrayList<>();
        lines.add("rule_id,district,live,trial,gained,lost,severity_changed");
        for (Summary s : summary) {
            lines.add(
                    String.join(
                            ",",
                            s.ruleId(),
                            s.district(),
                            String.valueOf(s.live()),
                            String.valueOf(s.trial()),
                            String.valueOf(s.gained()),
                            String.valueOf(s.lost()),
                            String.valueOf(s.severityChanged())));
        }
        lines.add(
                String.join(
                        ",",
                        "total",
                        "",
                        String.valueOf(liveAlerts),
                        String.valueOf(trialAlerts),
                        String.valueOf(gained.size()),
                        String.valueOf(lost.size()),
                        String.valueOf(severityChanged.size())));
        return lines;
    }

    /** Writes {@code diff.json}, {@code alerts.csv} and {@code summary.csv} into {@code dir}. */
    public List<Path> write(Path dir, TrialSettings settings, Map<String, Object> replays)
            throws IOException {
        Files.createDirectories(dir);
        Path json = dir.resolve("diff.json");
        Path alerts = dir.resolve("alerts.csv");
        Path summaryFile = dir.resolve("summary.csv");
        Files.writeString(
                json,
                JSON.writeValueAsString(json(settings, replays)) + "\n",
                StandardCharsets.UTF_8);
        Files.write(alerts, alertsCsv(), StandardCharsets.UTF_8);
        Files.write(summaryFile, summaryCsv(), StandardCharsets.UTF_8);
        return List.of(json, alerts, summaryFile);
    }

    /** A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180). */
    static String csv(String value) {
        if (value == null) {
            return "";
        }
        if (value.contains(",") || value.contains("\"") || value.contains("\n")) {
            return "\"" + value.replace("\"", "\"\"") + "\"";
        }
        return value;
    }
}
