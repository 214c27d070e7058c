package org.lifelongpulse.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lifelongpulse.adapters.clickhouse.ClickHouseAccount;
import org.lifelongpulse.adapters.clickhouse.ClickHouseException;
import org.lifelongpulse.adapters.clickhouse.ClickHouseHttp;
import org.lifelongpulse.adapters.clickhouse.GrafanaMacros;
import org.lifelongpulse.adapters.clickhouse.GrafanaMacros.Variable;
import org.lifelongpulse.adapters.clickhouse.Migration;
import org.lifelongpulse.adapters.clickhouse.SchemaMigrator;
import org.lifelongpulse.dashboards.Dashboards.AlertQuery;
import org.lifelongpulse.dashboards.Dashboards.Dashboard;
import org.lifelongpulse.dashboards.Dashboards.PanelQuery;
import org.lifelongpulse.stack.ClickHouseAccounts;
import org.lifelongpulse.stack.Endpoints;
import org.lifelongpulse.stack.testing.LocalStackExtension;

/**
 * Every dashboard is valid Grafana dashboard JSON for the provisioned data source, and every
 * panel's, variable's and alert rule's SQL — with the plugin's macros expanded for a fixed time
 * range — runs on the test ClickHouse as the read-only account Grafana uses, returning the
 * expected columns and rows.
 *
 * <p>Until the jobs fill the tables, the tables (created by the real migrations) hold the small
 * sample of {@code dashboards/sample-rows.sql}: 2021-10-25 09:00–12:00 Asia/Shanghai.
 */
@ExtendWith(LocalStackExtension.class)
class DashboardQueriesITCase {

    private static final String PLUGIN = "grafana-clickhouse-datasource";
    /** 08:00–13:00 Asia/Shanghai on the sample day: one hour of margin around the sample. */
    private static final Instant FROM = Instant.parse("2021-10-25T00:00:00Z");
    private static final Instant TO = Instant.parse("2021-10-25T05:00:00Z");
    private static final Duration INTERVAL = Duration.ofMinutes(10);
    /** The institution chosen on the Fund Supervision dashboard (it has every kind of row). */
    private static final String INSTITUTION = "INST-PD-002";
    /** Facts of sample-rows.sql, stated in its header and checkable by hand. */
    private static final long SAMPLE_VISITS = 150;

    private static final Set<String> PANEL_TYPES = Set.of("row", "text", "stat", "timeseries",
            "barchart", "piechart", "table", "bargauge");
    /** Functions and macros ClickHouse 18.16 lacks; the dashboards must run there too. */
    private static final List<String> ABSENT_ON_18_16 = List.of("$__timeInterval",
            "$__timeFilter_ms", "$__fromTime_ms", "$__toTime_ms", "toStartOfInterval",
            "DateTime64", "fromUnixTimestamp64", "JSONExtract", "dateDiff");
    private static final Pattern WINDOW_FUNCTION = Pattern.compile("(?i)\\bOVER\\s*\\(");
    private static final Pattern TABLE_REFERENCE = Pattern.compile("pulse\\.(\\w+)(\\s+FINAL\\b)?");

    private static ClickHouseHttp reader;
    private static ClickHouseHttp admin;
    private static List<Dashboard> dashboards;
    private static String dataSourceUid;
    private static JsonNode expectedColumns;

    @BeforeAll
    static void tablesHoldTheSampleRows(Endpoints endpoints) {
        ClickHouseAccounts accounts = endpoints.accounts();
        SchemaMigrator.forPackagedMigrations(endpoints.clickHouseUrl(), account(accounts.admin()),
                account(accounts.writer()), account(accounts.reader()), line -> {}).apply();
        // The writer inserts, as the jobs will; replayed runs replace rows (same keys, versions).
        ClickHouseHttp writer = http(endpoints, accounts.writer());
        Migration.split(Migration.resource("dashboards/sample-rows.sql"))
                .forEach(writer::execute);
        reader = http(endpoints, accounts.reader());
        admin = http(endpoints, accounts.admin());
        dashboards = Dashboards.all();
        dataSourceUid = Dashboards.provisionedDataSource().path("uid").asText();
        expectedColumns = Dashboards.read(Dashboards.JSON, ProjectTree.root().resolve(
                "jobs/pipeline/src/test/resources/dashboards/expected-columns.json"));
    }

    // ---------------------------------------------------------------- Grafana JSON

    @Test
    void theThreeDashboardsAreProvisionedForTheOneClickHouseDataSource() {
        JsonNode source = Dashboards.provisionedDataSource();
        assertThat(source.path("type").asText()).isEqualTo(PLUGIN);
        assertThat(dataSourceUid).isNotBlank();
        assertThat(source.path("jsonData").path("defaultDatabase").asText()).isEqualTo("pulse");
        assertThat(source.path("jsonData").path("username").asText())
                .as("Grafana reads as the read-only account").contains("READER");
        assertThat(dashboards).extracting(d -> d.json().path("title").asText())
                .containsExactlyInAnyOrder("Activity Week Live", "Fund Supervision",
                        "Pipeline Health");
        JsonNode provider = Dashboards.read(Dashboards.YAML, Dashboards.folder().resolve(
                "provisioning/dashboards/pulse.yaml")).path("providers").get(0);
        assertThat(provider.path("type").asText()).isEqualTo("file");
        assertThat(provider.path("options").path("path").asText()).startsWith("/");
    }

    @Test
    void everyDashboardIsValidGrafanaDashboardJson() {
        Set<String> uids = new HashSet<>();
        for (Dashboard d : dashboards) {
            String where = d.file().getFileName().toString();
            assertThat(d.uid()).as(where + ": uid").matches("[a-zA-Z0-9_-]{1,40}");
            assertThat(uids.add(d.uid())).as(where + ": uid unique across dashboards").isTrue();
            assertThat(d.json().path("title").asText()).as(where + ": title").isNotBlank();
            assertThat(d.json().path("schemaVersion").isInt()).as(where + ": schemaVersion")
                    .isTrue();
            assertThat(d.json().path("time").path("from").asText()).as(where + ": time")
                    .isNotBlank();
            Set<Integer> ids = new HashSet<>();
            Set<String> titles = new HashSet<>();
            for (JsonNode panel : d.panels()) {
                String title = panel.path("title").asText();
                String at = where + " › " + title;
                assertThat(panel.path("id").isInt()).as(at + ": id").isTrue();
                assertThat(ids.add(panel.path("id").asInt())).as(at + ": panel id unique")
                        .isTrue();
                assertThat(titles.add(title)).as(at + ": title unique in the dashboard")
                        .isTrue();
                assertThat(panel.path("type").asText()).as(at + ": type").isIn(PANEL_TYPES);
                JsonNode grid = panel.path("gridPos");
                assertThat(grid.path("w").asInt() + grid.path("x").asInt()).as(at + ": gridPos")
                        .isBetween(1, 24);
                assertThat(grid.path("h").asInt()).as(at + ": height").isPositive();
                if (panel.has("targets")) {
                    assertDataSource(panel.path("datasource"), at);
                    assertThat(panel.path("targets").size()).as(at + ": targets").isPositive();
                    Set<String> refIds = new HashSet<>();
                    for (JsonNode target : panel.path("targets")) {
                        assertDataSource(target.path("datasource"), at);
                        assertThat(refIds.add(target.path("refId").asText()))
                                .as(at + ": refId unique").isTrue();
                        assertThat(target.path("editorType").asText()).isEqualTo("sql");
                        assertThat(target.path("format").asInt(-1)).as(at + ": format")
                                .isIn(0, 1);
                        assertThat(target.path("rawSql").asText()).as(at + ": rawSql")
                                .isNotBlank();
                    }
                } else {
                    assertThat(panel.path("type").asText()).as(at + ": a panel without queries")
                            .isIn("row", "text");
                }
            }
            Set<String> names = new HashSet<>();
            for (JsonNode variable : d.variables()) {
                String at = where + " › $" + variable.path("name").asText();
                assertThat(names.add(variable.path("name").asText())).as(at + ": unique name")
                        .isTrue();
                assertThat(variable.path("type").asText()).as(at + ": type").isEqualTo("query");
                assertDataSource(variable.path("datasource"), at);
                assertThat(variable.path("query").path("rawSql").asText()).as(at + ": query")
                        .isNotBlank();
            }
        }
    }

    @Test
    void theDashboardsHaveTheirVariablesAndTheAlertListHasSeverityColours() {
        assertThat(variableNames("pulse-activity-week"))
                .containsExactly("district", "activity_type");
        assertThat(variableNames("pulse-fund-supervision"))
                .containsExactly("district", "institution");
        JsonNode alerts = panel("pulse-fund-supervision", "Open alerts with evidence");
        JsonNode severity = null;
        for (JsonNode override : alerts.path("fieldConfig").path("overrides")) {
            if ("severity".equals(override.path("matcher").path("options").asText())) {
                severity = override;
            }
        }
        assertThat(severity).as("an override colours the severity column").isNotNull();
        String colours = severity.toString();
        assertThat(colours).contains("\"RED\":{\"color\":\"red\"")
                .contains("\"YELLOW\":{\"color\":\"yellow\"").contains("color-background");
        assertThat(panel("pulse-pipeline-health", "Where the other numbers are")
                .path("options").path("content").asText())
                .contains("Flink").contains("metrics reporter").contains("insertRetries");
    }

    @Test
    void everyQueryHasItsExpectedColumnsListedAndNoListingIsStale() {
        Map<String, Set<String>> actual = new LinkedHashMap<>();
        for (Dashboard d : dashboards) {
            d.queries().forEach(q -> actual.computeIfAbsent(d.uid(), k -> new TreeSet<>())
                    .add(q.key()));
        }
        Dashboards.alertQueries(dataSourceUid).forEach(q ->
                actual.computeIfAbsent("alert-rules", k -> new TreeSet<>()).add(q.key()));
        Map<String, Set<String>> listed = new LinkedHashMap<>();
        expectedColumns.fields().forEachRemaining(e -> {
            Set<String> keys = new TreeSet<>();
            e.getValue().fieldNames().forEachRemaining(keys::add);
            listed.put(e.getKey(), keys);
        });
        assertThat(listed).isEqualTo(actual);
    }

    // ---------------------------------------------------------------- SQL rules

    @Test
    void replacingMergeTreeTablesAreReadWithFinalOrArgMax() {
        Set<String> replacing = new HashSet<>();
        admin.rows("SELECT name FROM system.tables WHERE database = 'pulse'"
                + " AND engine = 'ReplacingMergeTree'").forEach(r -> replacing.add(r.get(0)));
        assertThat(replacing).contains("participation_minute", "risk_alerts", "learning_events");
        List<String> offences = new ArrayList<>();
        allSql().forEach((where, sql) -> {
            Matcher m = TABLE_REFERENCE.matcher(sql);
            while (m.find()) {
                if (replacing.contains(m.group(1)) && m.group(2) == null
                        && !sql.contains("argMax(")) {
                    offences.add(where + " reads pulse." + m.group(1) + " without FINAL");
                }
            }
        });
        assertThat(offences).isEmpty();
    }

    @Test
    void queriesUseNothingThatClickHouse1816Lacks() {
        List<String> offences = new ArrayList<>();
        allSql().forEach((where, sql) -> {
            for (String absent : ABSENT_ON_18_16) {
                if (sql.contains(absent)) {
                    offences.add(where + " uses " + absent);
                }
            }
            if (WINDOW_FUNCTION.matcher(sql).find()) {
                offences.add(where + " uses a window function");
            }
        });
        assertThat(offences).isEmpty();
    }

    // ---------------------------------------------------------------- execution

    @TestFactory
    Stream<DynamicTest> everyVariableQueryRunsAndOffersOptions() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Dashboard d : dashboards) {
            for (JsonNode variable : d.variables()) {
                String name = variable.path("name").asText();
                tests.add(DynamicTest.dynamicTest(d.uid() + " › $" + name, () ->
                        assertThat(options(variable)).as("options of $" + name).isNotEmpty()));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> everyPanelQueryRunsWithAllSelected() {
        return panelTests(d -> allSelected(d), true);
    }

    @TestFactory
    Stream<DynamicTest> everyPanelQueryRunsWithSomeValuesSelected() {
        return panelTests(d -> someSelected(d), false);
    }

    @TestFactory
    Stream<DynamicTest> everyAlertRuleQueryRuns() {
        GrafanaMacros macros = new GrafanaMacros(FROM, TO, INTERVAL, List.of());
        return Dashboards.alertQueries(dataSourceUid).stream().map(q ->
                DynamicTest.dynamicTest(q.key(), () -> {
                    QueryResult result = run(macros, q.rawSql(), q.key());
                    assertThat(result.names()).isEqualTo(expected("alert-rules", q.key()));
                    assertThat(result.rows()).as("the sample has an open RED alert")
                            .isNotEmpty();
                }));
    }

    @Test
    void finalHidesSupersededRowsAndResolvedAlerts() {
        Dashboard activity = dashboard("pulse-activity-week");
        QueryResult visits = run(allSelected(activity),
                query(activity, "Participant-visits/A").rawSql(), "visits");
        assertThat(visits.rows()).containsExactly(List.of(Long.toString(SAMPLE_VISITS)));

        Dashboard fund = dashboard("pulse-fund-supervision");
        QueryResult open = run(allSelected(fund),
                query(fund, "Open alerts with evidence/A").rawSql(), "open alerts");
        List<String> shown = open.column("rule").stream().toList();
        List<String> institutions = open.column("institution_id");
        Map<String, String> ruleByInstitution = new HashMap<>();
        for (int i = 0; i < shown.size(); i++) {
            ruleByInstitution.merge(institutions.get(i), shown.get(i), (a, b) -> a + "," + b);
        }
        assertThat(ruleByInstitution).containsEntry("INST-PD-002", "R5")
                .containsEntry("INST-XH-001", "R4") // the R8 alert of a shadow rule is hidden
                .doesNotContainKey("INST-PD-001"); // its R11 alert was resolved by version 2
        assertThat(open.column("severity").get(0)).isEqualTo("RED");

        QueryResult risk = run(allSelected(fund),
                query(fund, "Institutions by risk score/A").rawSql(), "risk");
        assertThat(risk.column("institution")).contains("Pudong Piano Academy")
                .noneMatch(name -> name.contains("old name"));
    }

    private Stream<DynamicTest> panelTests(Function<Dashboard, GrafanaMacros> selection,
            boolean expectRows) {
        List<DynamicTest> tests = new ArrayList<>();
        for (Dashboard d : dashboards) {
            for (PanelQuery q : d.queries()) {
                tests.add(DynamicTest.dynamicTest(q.toString(), () -> {
                    QueryResult result = run(selection.apply(d), q.rawSql(), q.toString());
                    assertThat(result.names()).as(q + ": columns")
                            .isEqualTo(expected(d.uid(), q.key()));
                    if (expectRows) {
                        assertThat(result.rows()).as(q + ": rows").isNotEmpty();
                    }
                    if (q.isTimeSeries()) {
                        assertTimeSeries(q, result);
                    }
                }));
            }
        }
        return tests.stream();
    }

    /** Grafana needs a DateTime column named time first, ascending, inside the range. */
    private static void assertTimeSeries(PanelQuery q, QueryResult result) {
        assertThat(result.names().get(0)).as(q + ": first column").isEqualTo("time");
        assertThat(result.types().get(0)).as(q + ": time type").startsWith("DateTime");
        List<String> times = result.column("time");
        assertThat(times).as(q + ": ordered by time").isSorted();
        for (String name : result.names().subList(1, result.names().size())) {
            String type = result.types().get(result.names().indexOf(name));
            if (!type.equals("String")) {
                assertThat(type).as(q + ": " + name + " is a number")
                        .matches("U?Int\\d+|Float\\d+|Nullable\\((U?Int|Float)\\d+\\)");
            }
        }
    }

    /** Grafana's defaults: "All" for multi-value variables, the chosen institution. */
    private static GrafanaMacros allSelected(Dashboard d) {
        List<Variable> variables = new ArrayList<>();
        for (JsonNode variable : d.variables()) {
            String name = variable.path("name").asText();
            List<String> options = options(variable);
            if (variable.path("includeAll").asBoolean()) {
                variables.add(Variable.all(name, options));
            } else {
                assertThat(options).as("$" + name + " offers " + INSTITUTION)
                        .contains(INSTITUTION);
                variables.add(Variable.of(name, INSTITUTION));
            }
        }
        return new GrafanaMacros(FROM, TO, INTERVAL, variables);
    }

    /** One district, two activity types: single values and a quoted list. */
    private static GrafanaMacros someSelected(Dashboard d) {
        Map<String, List<String>> choice = Map.of("district", List.of("PUDONG"),
                "activity_type", List.of("COURSE_ENROLL", "EXPERIENCE_VISIT"),
                "institution", List.of(INSTITUTION));
        List<Variable> variables = new ArrayList<>();
        for (JsonNode variable : d.variables()) {
            String name = variable.path("name").asText();
            List<String> values = choice.get(name);
            assertThat(values).as("a selection for $" + name).isNotNull();
            assertThat(options(variable)).as("$" + name + " offers " + values)
                    .containsAll(values);
            variables.add(new Variable(name, values, false));
        }
        return new GrafanaMacros(FROM, TO, INTERVAL, variables);
    }

    /** A variable's options: the first column of its query (the value; a second is the text). */
    private static List<String> options(JsonNode variable) {
        GrafanaMacros macros = new GrafanaMacros(FROM, TO, INTERVAL, List.of());
        String name = variable.path("name").asText();
        return run(macros, variable.path("query").path("rawSql").asText(), "$" + name)
                .column(0);
    }

    private static QueryResult run(GrafanaMacros macros, String rawSql, String what) {
        String sql = macros.expand(rawSql);
        try {
            return QueryResult.parse(reader.query(sql, "TabSeparatedWithNamesAndTypes"));
        } catch (ClickHouseException e) {
            return fail(what + " failed on ClickHouse " + reader.serverVersion() + ": "
                    + e.getMessage() + "\n--- expanded SQL ---\n" + sql);
        }
    }

    private static Map<String, String> allSql() {
        Map<String, String> sql = new LinkedHashMap<>();
        for (Dashboard d : dashboards) {
            d.queries().forEach(q -> sql.put(q.toString(), q.rawSql()));
            d.variables().forEach(v -> sql.put(d.uid() + " › $" + v.path("name").asText(),
                    v.path("query").path("rawSql").asText()));
        }
        Dashboards.alertQueries(dataSourceUid).forEach(q -> sql.put(q.key(), q.rawSql()));
        assertThat(sql).hasSizeGreaterThan(30);
        return sql;
    }

    private static List<String> expected(String group, String key) {
        JsonNode columns = expectedColumns.path(group).path(key);
        assertThat(columns.isArray()).as("expected-columns.json lists " + group + " › " + key)
                .isTrue();
        List<String> out = new ArrayList<>();
        columns.forEach(c -> out.add(c.asText()));
        return out;
    }

    private static void assertDataSource(JsonNode datasource, String at) {
        assertThat(datasource.path("type").asText()).as(at + ": data source type")
                .isEqualTo(PLUGIN);
        assertThat(datasource.path("uid").asText()).as(at + ": the provisioned data source")
                .isEqualTo(dataSourceUid);
    }

    private static Dashboard dashboard(String uid) {
        return dashboards.stream().filter(d -> d.uid().equals(uid)).findFirst()
                .orElseThrow(() -> new AssertionError("no dashboard " + uid));
    }

    private static List<String> variableNames(String uid) {
        return dashboard(uid).variables().stream().map(v -> v.path("name").asText()).toList();
    }

    private static JsonNode panel(String uid, String title) {
        return dashboard(uid).panels().stream()
                .filter(p -> p.path("title").asText().equals(title)).findFirst()
                .orElseThrow(() -> new AssertionError("no panel " + title + " in " + uid));
    }

    private static PanelQuery query(Dashboard d, String key) {
        return d.queries().stream().filter(q -> q.key().equals(key)).findFirst()
                .orElseThrow(() -> new AssertionError("no query " + key + " in " + d.uid()));
    }

    private static ClickHouseAccount account(ClickHouseAccounts.Account account) {
        return new ClickHouseAccount(account.user(), account.password());
    }

    private static ClickHouseHttp http(Endpoints endpoints, ClickHouseAccounts.Account account) {
        return new ClickHouseHttp(endpoints.clickHouseUrl(), account.user(), account.password());
    }
}
