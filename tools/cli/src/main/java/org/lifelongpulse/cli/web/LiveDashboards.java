package org.lifelongpulse.cli.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.lifelongpulse.cli.snapshot.Dashboard;
import org.lifelongpulse.cli.snapshot.DashboardQueries;
import org.lifelongpulse.cli.snapshot.DashboardQueries.Option;
import org.lifelongpulse.cli.snapshot.QueryResult;
import org.lifelongpulse.cli.snapshot.SnapshotRenderer;
import org.lifelongpulse.ops.clickhouse.ClickHouseHttp;
import org.lifelongpulse.ops.clickhouse.GrafanaMacros;
import org.lifelongpulse.ops.clickhouse.GrafanaMacros.Variable;

/**
 * The dashboards of {@code dashboards/*.json} as live pages, without HTTP: a request's parameters
 * checked against each variable's own query ({@link #select}), then every panel run with the same
 * SQL and macros as Grafana ({@link DashboardQueries}) and drawn by the snapshot's renderer ({@link
 * #render}). Nothing from a request reaches the SQL but values the variable's query returned, and
 * for a text box a name of letters, digits, spaces and {@code . _ @ -} ({@link #TEXT_VALUE}).
 */
public final class LiveDashboards {

    /** Data points per chart, as the snapshot asks for. */
    static final int MAX_DATA_POINTS = 120;

    /** The value that stands for "All" in a request, as in Grafana's links. */
    public static final String ALL = "$__all";

    /**
     * What a text-box variable accepts (a supervisor's name, say): nothing that could end a SQL
     * string literal, whatever format the panel quotes it with.
     */
    public static final java.util.regex.Pattern TEXT_VALUE =
            java.util.regex.Pattern.compile("[\\p{L}\\p{N} ._@-]{0,64}");

    /** One dashboard file. */
    public record Definition(String uid, String title, String description, JsonNode json) {

        /** The variables ClickHouse can answer and the text boxes, in the dashboard's order. */
        List<JsonNode> variables() {
            List<JsonNode> out = new ArrayList<>();
            for (JsonNode v : json.path("templating").path("list")) {
                if (DashboardQueries.isTextBox(v) || DashboardQueries.dataSourceNeeded(v) == null) {
                    out.add(v);
                }
            }
            return out;
        }
    }

    /**
     * A variable of a page: its options for the page's time range and what is selected.
     *
     * @param all whether "All" is selected
     * @param textBox whether it is typed in (no options; {@code selected} holds the text)
     */
    public record Choice(
            String name,
            String label,
            boolean includeAll,
            boolean multi,
            List<Option> options,
            List<String> selected,
            boolean all,
            boolean textBox) {

        /** A variable with options. */
        public Choice(
                String name,
                String label,
                boolean includeAll,
                boolean multi,
                List<Option> options,
                List<String> selected,
                boolean all) {
            this(name, label, includeAll, multi, options, selected, all, false);
        }
    }

    /** A checked request: the dashboard, its time range and interval, and its variables. */
    public record Selection(
            Definition dashboard, TimeRange range, Duration interval, List<Choice> choices) {

        GrafanaMacros macros() {
            return new GrafanaMacros(range.from(), range.to(), interval, variables(choices));
        }
    }

    /** A page's panels, run and drawn. */
    public record Rendered(Selection selection, Dashboard shown, String grid, Duration took) {}

    private final List<Definition> dashboards;
    private final Function<String, QueryResult> query;
    private final SnapshotRenderer renderer;
    private final String defaultRange;

    /**
     * @param query runs SQL as the read-only account ({@link #readerQuery})
     * @param serverZone the zone ClickHouse prints {@code DateTime} values in
     * @param defaultRange the time-range choice of a page asked for without one (e.g. {@code week}
     *     for the demo's historical week), or null for each dashboard's own default
     */
    public LiveDashboards(
            List<Definition> dashboards,
            Function<String, QueryResult> query,
            ZoneId serverZone,
            String defaultRange) {
        this.dashboards = List.copyOf(dashboards);
        this.query = query;
        this.renderer = new SnapshotRenderer(serverZone);
        this.defaultRange = defaultRange;
    }

    /**
     * The dashboards served through a ClickHouse account, which must be read-only: a live page
     * never needs to write, and a server on a network should not be able to.
     *
     * @throws IllegalStateException when the account may write
     */
    public static LiveDashboards asReader(
            List<Definition> dashboards, ClickHouseHttp reader, String defaultRange) {
        String readonly =
                reader.scalar("SELECT value FROM system.settings WHERE name = 'readonly'");
        if (readonly.equals("0")) {
            throw new IllegalStateException(
                    "the dashboards are served through a read-only ClickHouse account, and this"
                            + " one may write (readonly = 0): use the reader account"
                            + " (PULSE_CH_READER_USER)");
        }
        return new LiveDashboards(
                dashboards,
                readerQuery(reader),
                ZoneId.of(reader.scalar("SELECT timezone()")),
                defaultRange);
    }

    /** Queries through {@code reader}, results with column names and types. */
    public static Function<String, QueryResult> readerQuery(ClickHouseHttp reader) {
        return sql ->
                QueryResult.fromTabSeparated(reader.query(sql, "TabSeparatedWithNamesAndTypes"));
    }

    /** The dashboards of a folder, by file name. */
    public static List<Definition> load(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new IllegalStateException(
                    "no dashboards folder at " + folder + " (set PULSE_HOME or --dashboards)");
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(folder)) {
            files = list.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        ObjectMapper json = new ObjectMapper();
        List<Definition> out = new ArrayList<>();
        Set<String> uids = new LinkedHashSet<>();
        for (Path file : files) {
            JsonNode d = json.readTree(file.toFile());
            String uid = d.path("uid").asText(file.getFileName().toString().replace(".json", ""));
            if (!uid.matches("[A-Za-z0-9_-]+") || !uids.add(uid)) {
                throw new IllegalStateException(file + ": uid '" + uid + "' is not usable");
            }
            out.add(
                    new Definition(
                            uid, d.path("title").asText(uid), d.path("description").asText(), d));
        }
        return out;
    }

    public List<Definition> dashboards() {
        return dashboards;
    }

    public Optional<Definition> dashboard(String uid) {
        return dashboards.stream().filter(d -> d.uid().equals(uid)).findFirst();
    }

    /**
     * Checks a request for a page: only {@code range}, {@code from}, {@code to} and {@code
     * var-<name>} of the dashboard's variables, each value among the options the variable's own
     * query returns for the time range (and the variables before it).
     *
     * @throws BadRequest saying what was wrong
     */
    public Selection select(Definition dashboard, Map<String, List<String>> params, Instant now) {
        List<JsonNode> variables = dashboard.variables();
        Set<String> allowed = new LinkedHashSet<>(List.of("range", "from", "to"));
        variables.forEach(v -> allowed.add("var-" + v.path("name").asText()));
        for (Map.Entry<String, List<String>> p : params.entrySet()) {
            if (!allowed.contains(p.getKey())) {
                throw new BadRequest(
                        "unknown parameter '"
                                + p.getKey()
                                + "': this page takes "
                                + String.join(", ", allowed));
            }
            if (!p.getKey().startsWith("var-") && p.getValue().size() > 1) {
                throw new BadRequest("parameter '" + p.getKey() + "' is given more than once");
            }
        }
        TimeRange range = range(dashboard, params, now);
        Duration interval = GrafanaMacros.intervalFor(range.from(), range.to(), MAX_DATA_POINTS);
        List<Choice> choices = new ArrayList<>();
        for (JsonNode v : variables) {
            if (DashboardQueries.isTextBox(v)) {
                choices.add(textChoice(v, params));
                continue;
            }
            GrafanaMacros sofar =
                    new GrafanaMacros(range.from(), range.to(), interval, variables(choices));
            choices.add(choice(v, DashboardQueries.options(v, sofar, query), params));
        }
        return new Selection(dashboard, range, interval, choices);
    }

    /** Every panel of the selection run and drawn, and how long that took. */
    public Rendered render(Selection selection) {
        long started = System.nanoTime();
        Dashboard shown =
                DashboardQueries.run(selection.dashboard().json(), selection.macros(), query);
        StringBuilder grid = new StringBuilder();
        shown.panels().forEach(p -> grid.append(renderer.panel(p)));
        return new Rendered(
                selection, shown, grid.toString(), Duration.ofNanos(System.nanoTime() - started));
    }

    private TimeRange range(Definition dashboard, Map<String, List<String>> params, Instant now) {
        String choice = first(params, "range");
        String from = first(params, "from");
        String to = first(params, "to");
        if (choice != null && !choice.equals(TimeRange.CUSTOM) && (from != null || to != null)) {
            throw new BadRequest("from and to go with range=custom (or without range)");
        }
        if (choice == null && from == null && to == null) {
            if (defaultRange != null) {
                return TimeRange.of(defaultRange, null, null, now, query);
            }
            JsonNode time = dashboard.json().path("time");
            return TimeRange.custom(
                    time.path("from").asText("now-24h"), time.path("to").asText("now"), now);
        }
        if (choice == null || choice.equals(TimeRange.CUSTOM)) {
            JsonNode time = dashboard.json().path("time");
            return TimeRange.custom(
                    from != null ? from : time.path("from").asText("now-24h"),
                    to != null ? to : time.path("to").asText("now"),
                    now);
        }
        return TimeRange.of(choice, null, null, now, query);
    }

    private static Choice textChoice(JsonNode variable, Map<String, List<String>> params) {
        String name = variable.path("name").asText();
        List<String> asked = params.getOrDefault("var-" + name, List.of());
        if (asked.size() > 1) {
            throw new BadRequest("variable " + name + " takes one value, got " + asked.size());
        }
        String text = asked.isEmpty() ? DashboardQueries.textBoxDefault(variable) : asked.get(0);
        if (!TEXT_VALUE.matcher(text).matches()) {
            throw new BadRequest(
                    "variable "
                            + name
                            + " takes a name of at most 64 letters, digits, spaces and . _ @ -");
        }
        return new Choice(
                name,
                variable.path("label").asText(name),
                false,
                false,
                List.of(),
                List.of(text),
                false,
                true);
    }

    private static Choice choice(
            JsonNode variable, List<Option> options, Map<String, List<String>> params) {
        String name = variable.path("name").asText();
        String label = variable.path("label").asText(name);
        boolean includeAll = variable.path("includeAll").asBoolean();
        boolean multi = variable.path("multi").asBoolean();
        List<String> asked = params.getOrDefault("var-" + name, List.of());
        List<String> values = options.stream().map(Option::value).toList();
        if (asked.isEmpty()) {
            if (includeAll) {
                return new Choice(name, label, true, multi, options, List.of(ALL), true);
            }
            List<String> first = values.isEmpty() ? List.of("") : List.of(values.get(0));
            return new Choice(name, label, false, multi, options, first, false);
        }
        if (asked.size() == 1 && (asked.get(0).equals(ALL) || asked.get(0).equals("All"))) {
            if (!includeAll) {
                throw new BadRequest("variable " + name + " has no All option");
            }
            return new Choice(name, label, true, multi, options, List.of(ALL), true);
        }
        if (asked.size() > 1 && !multi) {
            throw new BadRequest("variable " + name + " takes one value, got " + asked.size());
        }
        for (String value : asked) {
            if (!values.contains(value)) {
                throw new BadRequest(
                        "unknown value '"
                                + value
                                + "' for variable "
                                + name
                                + ": not among the "
                                + values.size()
                                + " options its query returns for this time range");
            }
        }
        return new Choice(
                name,
                label,
                includeAll,
                multi,
                options,
                List.copyOf(new LinkedHashSet<>(asked)),
                false);
    }

    private static List<Variable> variables(List<Choice> choices) {
        List<Variable> out = new ArrayList<>();
        for (Choice c : choices) {
            out.add(
                    c.all()
                            ? Variable.all(
                                    c.name(), c.options().stream().map(Option::value).toList())
                            : new Variable(c.name(), c.selected(), false));
        }
        return out;
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Parameters of a query string, in order, each name with all its values. */
    public static Map<String, List<String>> parameters(String rawQuery) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return out;
    }

    private static String decode(String s) {
        try {
            return java.net.URLDecoder.decode(s, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BadRequest("malformed query string: " + e.getMessage());
        }
    }
}
