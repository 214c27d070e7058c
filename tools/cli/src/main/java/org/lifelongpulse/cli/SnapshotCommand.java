package org.lifelongpulse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.lifelongpulse.adapters.clickhouse.ClickHouseException;
import org.lifelongpulse.ops.clickhouse.ClickHouseHttp;
import org.lifelongpulse.ops.clickhouse.GrafanaMacros;
import org.lifelongpulse.ops.clickhouse.GrafanaMacros.Variable;
import org.lifelongpulse.stack.Endpoints;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./pulse snapshot}: the dashboards' panels as one self-contained HTML page, for people
 * without Grafana. It runs the SQL of {@code dashboards/*.json} itself, with the plugin's macros
 * expanded by {@link GrafanaMacros} exactly as the dashboards' test does, as the read-only
 * account; charts are inline SVG drawn here (no scripts, no network), alerts are tables.
 */
@Command(name = "snapshot", mixinStandardHelpOptions = true,
        description = "Render the Grafana dashboards' panels from ClickHouse into one"
                + " self-contained HTML page (inline SVG charts and tables).")
final class SnapshotCommand implements Callable<Integer> {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final DateTimeFormatter CH_DATE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final DateTimeFormatter LABEL = DateTimeFormatter.ofPattern("MM-dd HH:mm")
            .withZone(SHANGHAI);
    private static final Pattern RELATIVE = Pattern.compile("now(?:-(\\d+)([mhdw]))?");
    private static final String[] PALETTE = {"#3274d9", "#56a64b", "#e0b400", "#e02f44",
        "#8f3bb8", "#ff780a", "#14a5a5", "#7c7c7c"};

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    StackEndpoints where;

    @Option(names = "--out", paramLabel = "FILE",
            description = "The HTML file to write (default: .pulse/snapshot.html in the"
                    + " project).")
    Path out;

    @Option(names = "--from", paramLabel = "TIME", defaultValue = "now-24h",
            description = "Start: ISO-8601 (2021-10-25T08:00+08:00) or now-<n>[m|h|d|w]"
                    + " (default: ${DEFAULT-VALUE}).")
    String from;

    @Option(names = "--to", paramLabel = "TIME", defaultValue = "now",
            description = "End, in the same forms (default: ${DEFAULT-VALUE}).")
    String to;

    @Option(names = "--institution", paramLabel = "ID",
            description = "Institution for the Fund Supervision panels (default: the first).")
    String institution;

    @Option(names = "--dashboards", paramLabel = "DIR",
            description = "Dashboard JSON folder (default: $PULSE_HOME/dashboards).")
    Path dashboards;

    @Override
    public Integer call() throws IOException {
        Instant now = Instant.now();
        Instant start = time(from, now);
        Instant end = time(to, now);
        if (!start.isBefore(end)) {
            throw new IllegalArgumentException("--from must be before --to");
        }
        Endpoints endpoints = where.resolve();
        ClickHouseHttp reader = StackEndpoints.clickHouse(endpoints,
                endpoints.accounts().reader());
        ZoneId serverZone = ZoneId.of(reader.scalar("SELECT timezone()"));
        Duration interval = GrafanaMacros.intervalFor(start, end, 120);
        StringBuilder html = new StringBuilder();
        html.append(header(start, end, interval));
        for (Path file : dashboardFiles()) {
            JsonNode dashboard = new ObjectMapper().readTree(file.toFile());
            GrafanaMacros macros = new GrafanaMacros(start, end, interval,
                    variables(reader, dashboard, start, end, interval));
            html.append("<section><h2>").append(escape(dashboard.path("title").asText()))
                    .append("</h2><p class=note>").append(escape(dashboard.path("description")
                            .asText())).append("</p><div class=grid>");
            for (JsonNode panel : panels(dashboard)) {
                html.append(panel(reader, macros, serverZone, panel));
            }
            html.append("</div></section>\n");
        }
        html.append("</body></html>\n");
        Path target = out != null ? out : projectHome().resolve(".pulse/snapshot.html");
        if (target.toAbsolutePath().getParent() != null) {
            Files.createDirectories(target.toAbsolutePath().getParent());
        }
        Files.writeString(target, html, StandardCharsets.UTF_8);
        Console.progress("wrote " + target + " (" + LABEL.format(start) + " to "
                + LABEL.format(end) + " Asia/Shanghai, interval " + interval.toMinutes()
                + " min)");
        return 0;
    }

    private List<Path> dashboardFiles() throws IOException {
        Path dir = dashboards != null ? dashboards : projectHome().resolve("dashboards");
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("no dashboards folder at " + dir
                    + " (set PULSE_HOME or --dashboards)");
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
    }

    private static Path projectHome() {
        String home = System.getenv("PULSE_HOME");
        return Path.of(home == null || home.isBlank() ? "." : home);
    }

    /** Variables as Grafana would default them: All, or the first option (or --institution). */
    private List<Variable> variables(ClickHouseHttp reader, JsonNode dashboard, Instant start,
            Instant end, Duration interval) {
        GrafanaMacros bare = new GrafanaMacros(start, end, interval, List.of());
        List<Variable> out = new ArrayList<>();
        for (JsonNode v : dashboard.path("templating").path("list")) {
            String name = v.path("name").asText();
            List<String> options = new ArrayList<>();
            for (List<String> row : table(reader,
                    bare.expand(v.path("query").path("rawSql").asText())).rows) {
                options.add(row.get(0));
            }
            if (v.path("includeAll").asBoolean()) {
                out.add(Variable.all(name, options));
            } else if ("institution".equals(name) && institution != null) {
                out.add(Variable.of(name, institution));
            } else {
                out.add(Variable.of(name, options.isEmpty() ? "" : options.get(0)));
            }
        }
        return out;
    }

    private static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            out.add(panel);
            panel.path("panels").forEach(out::add);
        }
        return out;
    }

    private String panel(ClickHouseHttp reader, GrafanaMacros macros, ZoneId serverZone,
            JsonNode panel) {
        String type = panel.path("type").asText();
        String title = escape(panel.path("title").asText());
        if (type.equals("row")) {
            return "<h3 class=row>" + title + "</h3>";
        }
        if (type.equals("text")) {
            return "<div class=\"panel wide\"><h4>" + title + "</h4><pre>"
                    + escape(panel.path("options").path("content").asText()) + "</pre></div>";
        }
        StringBuilder body = new StringBuilder();
        for (JsonNode target : panel.path("targets")) {
            Table t;
            try {
                t = table(reader, macros.expand(target.path("rawSql").asText()));
            } catch (ClickHouseException e) {
                body.append("<p class=error>query failed: ").append(escape(e.getMessage()))
                        .append("</p>");
                continue;
            }
            if (t.rows.isEmpty()) {
                body.append("<p class=note>no data in this range</p>");
            } else if (target.path("format").asInt() == 0) {
                body.append(timeSeries(t, serverZone));
            } else if (type.equals("stat")) {
                body.append("<div class=stat>").append(escape(t.rows.get(0).get(0)))
                        .append("</div>");
            } else if (type.equals("table")) {
                body.append(htmlTable(t));
            } else {
                body.append(bars(t));
            }
        }
        String width = type.equals("table") || type.equals("timeseries") ? " wide" : "";
        return "<div class=\"panel" + width + "\"><h4>" + title + "</h4>" + body + "</div>";
    }

    /** Lines over time; a text column (long format) splits the rows into series. */
    private static String timeSeries(Table t, ZoneId serverZone) {
        int label = -1;
        for (int c = 1; c < t.names.size(); c++) {
            if (t.types.get(c).equals("String")) {
                label = c;
            }
        }
        Map<String, Map<Instant, Double>> series = new LinkedHashMap<>();
        TreeSet<Instant> times = new TreeSet<>();
        for (List<String> row : t.rows) {
            Instant time = LocalDateTime.parse(row.get(0), CH_DATE_TIME).atZone(serverZone)
                    .toInstant();
            times.add(time);
            for (int c = 1; c < row.size(); c++) {
                if (c == label || t.types.get(c).equals("String")) {
                    continue;
                }
                String name = label >= 0 ? row.get(label) : t.names.get(c);
                series.computeIfAbsent(name, k -> new LinkedHashMap<>())
                        .merge(time, number(row.get(c)), Double::sum);
            }
        }
        double max = series.values().stream().flatMap(m -> m.values().stream())
                .mapToDouble(Double::doubleValue).max().orElse(1);
        max = max <= 0 ? 1 : max;
        int w = 760;
        int h = 220;
        int left = 50;
        int bottom = 24;
        long t0 = times.first().getEpochSecond();
        long span = Math.max(1, times.last().getEpochSecond() - t0);
        StringBuilder svg = new StringBuilder("<svg viewBox=\"0 0 " + w + " " + h
                + "\" class=chart role=img>");
        svg.append(String.format(Locale.ROOT, "<text x=4 y=12 class=axis>%s</text>"
                + "<text x=4 y=%d class=axis>0</text>", format(max), h - bottom));
        svg.append(String.format(Locale.ROOT, "<line x1=%d y1=%d x2=%d y2=%d class=base />",
                left, h - bottom, w, h - bottom));
        svg.append(String.format(Locale.ROOT, "<text x=%d y=%d class=axis>%s</text>"
                        + "<text x=%d y=%d class=axis text-anchor=end>%s</text>", left, h - 6,
                LABEL.format(times.first()), w, h - 6, LABEL.format(times.last())));
        int i = 0;
        StringBuilder legend = new StringBuilder("<div class=legend>");
        for (Map.Entry<String, Map<Instant, Double>> s : series.entrySet()) {
            String colour = PALETTE[i++ % PALETTE.length];
            StringBuilder points = new StringBuilder();
            for (Instant time : times) {
                double value = s.getValue().getOrDefault(time, 0.0);
                double x = left + (w - left) * (time.getEpochSecond() - t0) / (double) span;
                double y = (h - bottom) - (h - bottom - 16) * value / max;
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            svg.append("<polyline fill=none stroke-width=2 stroke=\"").append(colour)
                    .append("\" points=\"").append(points.toString().strip()).append("\" />");
            legend.append("<span style=\"color:").append(colour).append("\">■ ")
                    .append(escape(s.getKey())).append("</span>");
        }
        return svg.append("</svg>").append(legend).append("</div>").toString();
    }

    /**
     * Horizontal bars: label = the first text column, value = the first number; a single row
     * of numbers (a funnel) becomes one bar per column.
     */
    private static String bars(Table t) {
        List<String> labels = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        int text = t.types.indexOf("String");
        if (t.rows.size() == 1 && text < 0) {
            for (int c = 0; c < t.names.size(); c++) {
                labels.add(t.names.get(c));
                values.add(number(t.rows.get(0).get(c)));
            }
        } else {
            int value = -1;
            for (int c = 0; c < t.types.size() && value < 0; c++) {
                if (!t.types.get(c).equals("String")) {
                    value = c;
                }
            }
            for (List<String> row : t.rows) {
                labels.add(text >= 0 ? row.get(text) : row.get(0));
                values.add(value >= 0 ? number(row.get(value)) : 0);
            }
        }
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(1);
        max = max <= 0 ? 1 : max;
        int rowHeight = 22;
        StringBuilder svg = new StringBuilder("<svg viewBox=\"0 0 480 "
                + (rowHeight * labels.size() + 4) + "\" class=chart role=img>");
        for (int i = 0; i < labels.size(); i++) {
            double width = 260 * values.get(i) / max;
            int y = i * rowHeight + 2;
            svg.append(String.format(Locale.ROOT, "<text x=0 y=%d class=axis>%s</text>"
                            + "<rect x=150 y=%d width=%.1f height=%d fill=\"%s\" />"
                            + "<text x=%.1f y=%d class=axis>%s</text>", y + 14,
                    escape(abbreviate(labels.get(i))), y, width, rowHeight - 6,
                    PALETTE[0], 156 + width, y + 14, format(values.get(i))));
        }
        return svg.append("</svg>").toString();
    }

    /** A table; severity cells get their alert colour. */
    private static String htmlTable(Table t) {
        StringBuilder out = new StringBuilder("<table><tr>");
        t.names.forEach(n -> out.append("<th>").append(escape(n)).append("</th>"));
        out.append("</tr>");
        for (List<String> row : t.rows) {
            out.append("<tr>");
            for (int c = 0; c < row.size(); c++) {
                String value = row.get(c);
                String css = t.names.get(c).equals("severity")
                        && (value.equals("RED") || value.equals("YELLOW"))
                        ? " class=" + value.toLowerCase(Locale.ROOT) : "";
                out.append("<td").append(css).append(">").append(escape(value))
                        .append("</td>");
            }
            out.append("</tr>");
        }
        return out.append("</table>").toString();
    }

    private static String header(Instant start, Instant end, Duration interval) {
        return "<!DOCTYPE html><html lang=en><head><meta charset=utf-8>"
                + "<title>Lifelong Pulse snapshot</title><style>"
                + "body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}"
                + ".grid{display:flex;flex-wrap:wrap;gap:12px}"
                + ".panel{border:1px solid #ddd;border-radius:6px;padding:8px 12px;"
                + "flex:1 1 300px;overflow-x:auto}.panel.wide{flex-basis:100%}"
                + "h3.row{flex-basis:100%;margin:8px 0 0;border-bottom:1px solid #ccc}"
                + "h4{margin:0 0 6px}.stat{font-size:2.2em;font-weight:600;color:#3274d9}"
                + ".note{color:#777;font-size:.9em}.error{color:#c00}"
                + ".chart{width:100%;max-width:900px}.axis{font-size:11px;fill:#555}"
                + ".base{stroke:#bbb}.legend span{margin-right:1em;font-size:.9em}"
                + "table{border-collapse:collapse;font-size:.85em}"
                + "td,th{border:1px solid #ddd;padding:3px 6px;text-align:left;"
                + "vertical-align:top}td.red{background:#e02f44;color:#fff}"
                + "td.yellow{background:#f2cc0c}pre{white-space:pre-wrap}"
                + "</style></head><body><h1>Lifelong Pulse</h1><p class=note>Snapshot of "
                + LABEL.format(start) + " to " + LABEL.format(end) + " (Asia/Shanghai), "
                + interval.toMinutes() + "-minute buckets, taken "
                + LABEL.format(Instant.now()) + ". Same SQL as the Grafana dashboards;"
                + " variables at their defaults (All).</p>\n";
    }

    /** A query result in TabSeparatedWithNamesAndTypes. */
    private record Table(List<String> names, List<String> types, List<List<String>> rows) {}

    private static Table table(ClickHouseHttp reader, String sql) {
        String[] lines = reader.query(sql, "TabSeparatedWithNamesAndTypes").split("\n");
        List<List<String>> rows = new ArrayList<>();
        for (int i = 2; i < lines.length; i++) {
            if (!lines[i].isEmpty()) {
                List<String> row = new ArrayList<>();
                for (String field : lines[i].split("\t", -1)) {
                    row.add(ClickHouseHttp.unescape(field));
                }
                rows.add(row);
            }
        }
        return new Table(List.of(lines[0].split("\t", -1)),
                lines.length > 1 ? List.of(lines[1].split("\t", -1)) : List.of(), rows);
    }

    private static Instant time(String text, Instant now) {
        Matcher m = RELATIVE.matcher(text.strip());
        if (m.matches()) {
            if (m.group(1) == null) {
                return now;
            }
            long n = Long.parseLong(m.group(1));
            Duration unit = switch (m.group(2)) {
                case "m" -> Duration.ofMinutes(1);
                case "h" -> Duration.ofHours(1);
                case "d" -> Duration.ofDays(1);
                default -> Duration.ofDays(7);
            };
            return now.minus(unit.multipliedBy(n));
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(text).atZone(SHANGHAI).toInstant();
            } catch (DateTimeParseException again) {
                throw new IllegalArgumentException("cannot read time '" + text + "': use"
                        + " ISO-8601 (2021-10-25T08:00+08:00, or local Shanghai time"
                        + " 2021-10-25T08:00) or now-6h");
            }
        }
    }

    private static double number(String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15
                ? Long.toString((long) value) : String.format(Locale.ROOT, "%.2f", value);
    }

    private static String abbreviate(String s) {
        return s.length() <= 24 ? s : s.substring(0, 23) + "…";
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;");
    }

}
