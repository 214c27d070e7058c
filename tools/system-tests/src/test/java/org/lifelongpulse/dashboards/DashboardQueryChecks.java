package org.lifelongpulse.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.lifelongpulse.adapters.clickhouse.ClickHouseException;
import org.lifelongpulse.dashboards.Dashboards.AlertQuery;
import org.lifelongpulse.dashboards.Dashboards.Dashboard;
import org.lifelongpulse.dashboards.Dashboards.PanelQuery;
import org.lifelongpulse.ops.clickhouse.ClickHouseHttp;
import org.lifelongpulse.ops.clickhouse.GrafanaMacros;
import org.lifelongpulse.ops.clickhouse.GrafanaMacros.Variable;
import org.lifelongpulse.stack.ClickHouseAccounts;
import org.lifelongpulse.stack.Endpoints;
import org.lifelongpulse.stack.ProjectTree;

/**
 * Runs every dashboard panel's, variable's and alert rule's SQL as Grafana would send it — the
 * plugin's macros expanded for one fixed time range, interval and variable selection — on
 * ClickHouse as the read-only account Grafana uses, and checks each result: the columns listed in
 * {@code src/test/resources/dashboards/expected-columns.json}, at least one row, and for time
 * series an ordered DateTime {@code time} column first and numbers (or series names) after it.
 *
 * <p>Used on the tables the jobs filled in an end-to-end run; whatever is in the tables is what is
 * checked, so callers empty {@link #tablesRead() the tables the dashboards read} first.
 */
public final class DashboardQueryChecks {

    private static final Pattern TABLE_REFERENCE = Pattern.compile("pulse\\.(\\w+)");

    /**
     * Panels of the supervisors' own work, which stay empty until someone acts (an end-to-end run
     * records no actions): their columns are checked, not their rows. {@code
     * DashboardQueriesITCase} checks their rows on hand-worked cases.
     */
    static final Set<String> EMPTY_UNTIL_SUPERVISORS_ACT =
            Set.of(
                    "pulse-fund-supervision › My alerts/A",
                    "pulse-fund-supervision › Recently closed/A");

    /** One check, named after the query it runs. */
    public record Check(String name, Runnable body) {}

    private final ClickHouseHttp reader;
    private final Instant from;
    private final Instant to;
    private final Duration interval;
    private final List<Dashboard> dashboards = Dashboards.all();
    private final String dataSourceUid = Dashboards.provisionedDataSource().path("uid").asText();
    private final JsonNode expectedColumns =
            Dashboards.read(
                    Dashboards.JSON, ProjectTree.root().resolve(Dashboards.EXPECTED_COLUMNS));

    private DashboardQueryChecks(
            ClickHouseHttp reader, Instant from, Instant to, Duration interval) {
        this.reader = reader;
        this.from = from;
        this.to = to;
        this.interval = interval;
    }

    /** Checks on the stack's ClickHouse as its read-only account, for the range [from, to]. */
    public static DashboardQueryChecks asReader(
            Endpoints endpoints, Instant from, Instant to, Duration interval) {
        ClickHouseAccounts.Account account = endpoints.accounts().reader();
        return new DashboardQueryChecks(
                new ClickHouseHttp(endpoints.clickHouseUrl(), account.user(), account.password()),
                from,
                to,
                interval);
    }

    /** Every {@code pulse.*} table a dashboard or alert rule reads. */
    public static Set<String> tablesRead() {
        Set<String> tables = new TreeSet<>();
        List<String> sql = new ArrayList<>();
        for (Dashboard d : Dashboards.all()) {
            d.queries().forEach(q -> sql.add(q.rawSql()));
            d.variables().forEach(v -> sql.add(v.path("query").path("rawSql").asText()));
        }
        String uid = Dashboards.provisionedDataSource().path("uid").asText();
        Dashboards.alertQueries(uid).forEach(q -> sql.add(q.rawSql()));
        for (String s : sql) {
            Matcher m = TABLE_REFERENCE.matcher(s);
            while (m.find()) {
                tables.add(m.group(1));
            }
        }
        return tables;
    }

    /** Every variable's query offers at least one option. */
    public List<Check> variables() {
        List<Check> checks = new ArrayList<>();
        for (Dashboard d : dashboards) {
            for (JsonNode variable : d.variables()) {
                String name = d.uid() + " › $" + variable.path("name").asText();
                checks.add(
                        new Check(
                                name,
                                () ->
                                        assertThat(options(variable))
                                                .as("options of " + name)
                                                .isNotEmpty()));
            }
        }
        return checks;
    }

    /**
     * Every panel query with these variable values: a variable not in {@code chosen} is "All" (it
     * must offer "All"), a text box its default; chosen values must be among the variable's options
     * (any text for a text box).
     */
    public List<Check> panels(Map<String, List<String>> chosen) {
        List<Check> checks = new ArrayList<>();
        String selection = chosen.toString();
        for (Dashboard d : dashboards) {
            for (PanelQuery q : d.queries()) {
                checks.add(
                        new Check(
                                q + " with " + selection,
                                () -> {
                                    QueryResult result =
                                            run(macros(d, chosen), q.rawSql(), q.toString());
                                    assertThat(result.names())
                                            .as(q + ": columns")
                                            .isEqualTo(expected(d.uid(), q.key()));
                                    if (!EMPTY_UNTIL_SUPERVISORS_ACT.contains(q.toString())) {
                                        assertThat(result.rows())
                                                .as(q + " with " + selection + ": rows")
                                                .isNotEmpty();
                                    }
                                    if (q.isTimeSeries()) {
                                        assertTimeSeries(q, result);
                                    }
                                }));
            }
        }
        return checks;
    }

    /** Every provisioned alert rule's query. */
    public List<Check> alertRules() {
        GrafanaMacros macros = new GrafanaMacros(from, to, interval, List.of());
        List<Check> checks = new ArrayList<>();
        for (AlertQuery q : Dashboards.alertQueries(dataSourceUid)) {
            checks.add(
                    new Check(
                            "alert rule " + q.key(),
                            () -> {
                                QueryResult result = run(macros, q.rawSql(), q.key());
                                assertThat(result.names())
                                        .as(q.key() + ": columns")
                                        .isEqualTo(expected("alert-rules", q.key()));
                                assertThat(result.rows()).as(q.key() + ": rows").isNotEmpty();
                            }));
        }
        assertThat(checks).as("alert rule queries").isNotEmpty();
        return checks;
    }

    /** The rows one panel query returns with these variable values (as for {@link #panels}). */
    public List<List<String>> rows(
            String dashboardUid, String queryKey, Map<String, List<String>> chosen) {
        return result(dashboardUid, queryKey, chosen).rows();
    }

    QueryResult result(String dashboardUid, String queryKey, Map<String, List<String>> chosen) {
        Dashboard d =
                dashboards.stream()
                        .filter(x -> x.uid().equals(dashboardUid))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no dashboard " + dashboardUid));
        PanelQuery q =
                d.queries().stream()
                        .filter(x -> x.key().equals(queryKey))
                        .findFirst()
                        .orElseThrow(
                                () ->
                                        new AssertionError(
                                                "no query " + queryKey + " in " + dashboardUid));
        return run(macros(d, chosen), q.rawSql(), q.toString());
    }

    /** Runs every check and fails once, naming each failed query, if any failed. */
    @SafeVarargs
    public static void assertAll(List<Check>... groups) {
        List<String> failures = new ArrayList<>();
        int count = 0;
        for (List<Check> group : groups) {
            for (Check check : group) {
                count++;
                try {
                    check.body().run();
                } catch (AssertionError | RuntimeException e) {
                    failures.add(check.name() + ":\n    " + e.getMessage());
                }
            }
        }
        if (!failures.isEmpty()) {
            throw new AssertionError(
                    failures.size()
                            + " of "
                            + count
                            + " dashboard queries"
                            + " failed:\n"
                            + String.join("\n", failures));
        }
        System.out.println("[dashboards] " + count + " queries returned what they must");
    }

    /** Grafana needs a DateTime column named time first, ascending. */
    private static void assertTimeSeries(PanelQuery q, QueryResult result) {
        assertThat(result.names().get(0)).as(q + ": first column").isEqualTo("time");
        assertThat(result.types().get(0)).as(q + ": time type").startsWith("DateTime");
        assertThat(result.column("time")).as(q + ": ordered by time").isSorted();
        for (String name : result.names().subList(1, result.names().size())) {
            String type = result.types().get(result.names().indexOf(name));
            if (!type.equals("String")) {
                assertThat(type)
                        .as(q + ": " + name + " is a number")
                        .matches("U?Int\\d+|Float\\d+|Nullable\\((U?Int|Float)\\d+\\)");
            }
        }
    }

    private GrafanaMacros macros(Dashboard d, Map<String, List<String>> chosen) {
        List<Variable> variables = new ArrayList<>();
        for (JsonNode variable : d.variables()) {
            String name = variable.path("name").asText();
            List<String> options = options(variable);
            List<String> values = chosen.get(name);
            if (values == null) {
                assertThat(variable.path("includeAll").asBoolean())
                        .as(d.uid() + " › $" + name + " has no \"All\": choose a value")
                        .isTrue();
                variables.add(Variable.all(name, options));
            } else {
                assertThat(options)
                        .as(d.uid() + " › $" + name + " offers " + values)
                        .containsAll(values);
                variables.add(new Variable(name, values, false));
            }
        }
        for (JsonNode text : d.textVariables()) {
            String name = text.path("name").asText();
            variables.add(
                    new Variable(
                            name,
                            chosen.getOrDefault(name, List.of(text.path("query").asText())),
                            false));
        }
        return new GrafanaMacros(from, to, interval, variables);
    }

    /** A variable's options: the first column of its query (the value; a second is the text). */
    private List<String> options(JsonNode variable) {
        GrafanaMacros macros = new GrafanaMacros(from, to, interval, List.of());
        return run(
                        macros,
                        variable.path("query").path("rawSql").asText(),
                        "$" + variable.path("name").asText())
                .column(0);
    }

    private QueryResult run(GrafanaMacros macros, String rawSql, String what) {
        String sql = macros.expand(rawSql);
        try {
            return QueryResult.parse(reader.query(sql, "TabSeparatedWithNamesAndTypes"));
        } catch (ClickHouseException e) {
            throw new AssertionError(
                    what
                            + " failed on ClickHouse "
                            + reader.serverVersion()
                            + ": "
                            + e.getMessage()
                            + "\n--- expanded SQL ---\n"
                            + sql,
                    e);
        }
    }

    private List<String> expected(String group, String key) {
        JsonNode columns = expectedColumns.path(group).path(key);
        assertThat(columns.isArray())
                .as("expected-columns.json lists " + group + " › " + key)
                .isTrue();
        List<String> out = new ArrayList<>();
        columns.forEach(c -> out.add(c.asText()));
        return out;
    }
}
