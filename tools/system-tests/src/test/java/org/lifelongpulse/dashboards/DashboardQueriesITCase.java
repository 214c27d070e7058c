package org.lifelongpulse.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lifelongpulse.cli.schema.StackSchema;
import org.lifelongpulse.dashboards.Dashboards.Dashboard;
import org.lifelongpulse.ops.clickhouse.ClickHouseHttp;
import org.lifelongpulse.ops.clickhouse.Migration;
import org.lifelongpulse.stack.ClickHouseAccounts;
import org.lifelongpulse.stack.Endpoints;
import org.lifelongpulse.stack.ProjectTree;
import org.lifelongpulse.stack.testing.LocalStackExtension;

/**
 * Every dashboard is valid Grafana dashboard JSON for the provisioned data sources; every
 * ClickHouse query's columns are listed in {@code expected-columns.json}, it reads
 * ReplacingMergeTree tables with FINAL and uses nothing ClickHouse 18.16 lacks. (The PromQL of
 * {@code flink-runtime.json} runs against a real Prometheus in {@code
 * FlinkRuntimeDashboardITCase}.)
 *
 * <p>That every panel's, variable's and alert rule's SQL runs and returns rows on the tables the
 * jobs fill is checked after an end-to-end run ({@code OperatorPathOnClusterITCase}, through {@link
 * DashboardQueryChecks}). Here the tables (emptied first) hold the small, hand-checkable sample of
 * {@code dashboards/sample-rows.sql} (2021-10-25 09:00–12:00 Asia/Shanghai), which shows what a
 * generated world does not reliably hold: a superseded row, a resolved alert, a SHADOW alert and a
 * renamed institution, which FINAL must hide. Beside it, {@code dashboards/case-rows.sql} holds
 * supervisors' cases (acknowledged, assigned, noted, closed alerts, alert versions and shadow
 * alerts) with a triage order worked by hand.
 */
@ExtendWith(LocalStackExtension.class)
class DashboardQueriesITCase {

    private static final String PLUGIN = Dashboards.CLICKHOUSE;

    /** 08:00–13:00 Asia/Shanghai on the sample day: one hour of margin around the sample. */
    private static final Instant FROM = Instant.parse("2021-10-25T00:00:00Z");

    private static final Instant TO = Instant.parse("2021-10-25T05:00:00Z");
    private static final Duration INTERVAL = Duration.ofMinutes(10);

    /** The institution chosen on the Fund Supervision dashboard (it has every kind of row). */
    private static final String INSTITUTION = "INST-PD-002";

    /** Facts of sample-rows.sql, stated in its header and checkable by hand. */
    private static final long SAMPLE_VISITS = 150;

    private static final Set<String> PANEL_TYPES =
            Set.of(
                    "row",
                    "text",
                    "stat",
                    "timeseries",
                    "barchart",
                    "piechart",
                    "table",
                    "bargauge");

    /** Functions and macros ClickHouse 18.16 lacks; the dashboards must run there too. */
    private static final List<String> ABSENT_ON_18_16 =
            List.of(
                    "$__timeInterval",
                    "$__timeFilter_ms",
                    "$__fromTime_ms",
                    "$__toTime_ms",
                    "toStartOfInterval",
                    "DateTime64",
                    "fromUnixTimestamp64",
                    "JSONExtract",
                    "dateDiff");

    private static final Pattern WINDOW_FUNCTION = Pattern.compile("(?i)\\bOVER\\s*\\(");
    private static final Pattern TABLE_REFERENCE = Pattern.compile("pulse\\.(\\w+)(\\s+FINAL\\b)?");

    private static DashboardQueryChecks checks;
    private static ClickHouseHttp admin;
    private static List<Dashboard> dashboards;
    private static String dataSourceUid;
    private static String prometheusUid;
    private static JsonNode expectedColumns;

    @BeforeAll
    static void tablesHoldTheSampleRows(Endpoints endpoints) {
        ClickHouseAccounts accounts = endpoints.accounts();
        StackSchema.migrator(endpoints, line -> {}).apply();
        admin = http(endpoints, accounts.admin());
        // Only the sample: other integration tests leave their rows in the shared tables.
        DashboardQueryChecks.tablesRead().forEach(t -> admin.execute("TRUNCATE TABLE pulse." + t));
        // The writer inserts, as the jobs do.
        ClickHouseHttp writer = http(endpoints, accounts.writer());
        Migration.split(Migration.resource("dashboards/sample-rows.sql")).forEach(writer::execute);
        Migration.split(Migration.resource("dashboards/case-rows.sql")).forEach(admin::execute);
        checks = DashboardQueryChecks.asReader(endpoints, FROM, TO, INTERVAL);
        dashboards = Dashboards.all();
        dataSourceUid = Dashboards.provisionedDataSource().path("uid").asText();
        prometheusUid = Dashboards.prometheusDataSource().path("uid").asText();
        expectedColumns =
                Dashboards.read(
                        Dashboards.JSON, ProjectTree.root().resolve(Dashboards.EXPECTED_COLUMNS));
    }

    // ---------------------------------------------------------------- Grafana JSON

    @Test
    void theDashboardsAreProvisionedForTheClickHouseAndThePrometheusDataSource() {
        JsonNode source = Dashboards.provisionedDataSource();
        assertThat(source.path("type").asText()).isEqualTo(PLUGIN);
        assertThat(dataSourceUid).isNotBlank();
        assertThat(source.path("jsonData").path("defaultDatabase").asText()).isEqualTo("pulse");
        assertThat(source.path("jsonData").path("username").asText())
                .as("Grafana reads as the read-only account")
                .contains("READER");
        JsonNode prometheus = Dashboards.prometheusDataSource();
        assertThat(prometheus.path("type").asText()).isEqualTo(Dashboards.PROMETHEUS);
        assertThat(prometheusUid).isNotBlank().isNotEqualTo(dataSourceUid);
        assertThat(prometheus.path("url").asText()).isEqualTo("${PULSE_PROMETHEUS_URL}");
        assertThat(prometheus.path("isDefault").asBoolean())
                .as("ClickHouse stays the default data source")
                .isFalse();
        assertThat(dashboards)
                .extracting(d -> d.json().path("title").asText())
                .containsExactlyInAnyOrder(
                        "Activity Week Live",
                        "Fund Supervision",
                        "Pipeline Health",
                        "Flink Runtime");
        JsonNode provider =
                Dashboards.read(
                                Dashboards.YAML,
                                Dashboards.folder().resolve("provisioning/dashboards/pulse.yaml"))
                        .path("providers")
                        .get(0);
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
            assertThat(d.json().path("schemaVersion").isInt())
                    .as(where + ": schemaVersion")
                    .isTrue();
            assertThat(d.json().path("time").path("from").asText())
                    .as(where + ": time")
                    .isNotBlank();
            Set<Integer> ids = new HashSet<>();
            Set<String> titles = new HashSet<>();
            for (JsonNode panel : d.panels()) {
                String title = panel.path("title").asText();
                String at = where + " › " + title;
                assertThat(panel.path("id").isInt()).as(at + ": id").isTrue();
                assertThat(ids.add(panel.path("id").asInt())).as(at + ": panel id unique").isTrue();
                assertThat(titles.add(title)).as(at + ": title unique in the dashboard").isTrue();
                assertThat(panel.path("type").asText()).as(at + ": type").isIn(PANEL_TYPES);
                JsonNode grid = panel.path("gridPos");
                assertThat(grid.path("w").asInt() + grid.path("x").asInt())
                        .as(at + ": gridPos")
                        .isBetween(1, 24);
                assertThat(grid.path("h").asInt()).as(at + ": height").isPositive();
                if (panel.has("targets")) {
                    String type = assertDataSource(panel.path("datasource"), at);
                    assertThat(panel.path("targets").size()).as(at + ": targets").isPositive();
                    Set<String> refIds = new HashSet<>();
                    for (JsonNode target : panel.path("targets")) {
                        assertThat(assertDataSource(target.path("datasource"), at))
                                .as(at + ": the target's data source is the panel's")
                                .isEqualTo(type);
                        assertThat(refIds.add(target.path("refId").asText()))
                                .as(at + ": refId unique")
                                .isTrue();
                        if (type.equals(PLUGIN)) {
                            assertThat(target.path("editorType").asText()).isEqualTo("sql");
                            assertThat(target.path("format").asInt(-1))
                                    .as(at + ": format")
                                    .isIn(0, 1);
                            assertThat(target.path("rawSql").asText())
                                    .as(at + ": rawSql")
                                    .isNotBlank();
                        } else {
                            assertThat(target.path("expr").asText()).as(at + ": expr").isNotBlank();
                            assertThat(target.has("rawSql")).as(at + ": no SQL").isFalse();
                        }
                    }
                } else {
                    assertThat(panel.path("type").asText())
                            .as(at + ": a panel without queries")
                            .isIn("row", "text");
                }
            }
            Set<String> names = new HashSet<>();
            for (JsonNode variable : d.allVariables()) {
                String at = where + " › $" + variable.path("name").asText();
                assertThat(names.add(variable.path("name").asText()))
                        .as(at + ": unique name")
                        .isTrue();
                if (variable.path("type").asText().equals(Dashboards.TEXTBOX)) {
                    // typed in by the viewer: no data source, the default value as its query
                    assertThat(variable.has("datasource")).as(at + ": no data source").isFalse();
                    assertThat(variable.path("query").isTextual()).as(at + ": default").isTrue();
                    assertThat(variable.path("current").path("value").asText())
                            .as(at + ": current value = default")
                            .isEqualTo(variable.path("query").asText());
                    continue;
                }
                assertThat(variable.path("type").asText()).as(at + ": type").isEqualTo("query");
                String type = assertDataSource(variable.path("datasource"), at);
                String query = type.equals(PLUGIN) ? "rawSql" : "query";
                assertThat(variable.path("query").path(query).asText())
                        .as(at + ": query")
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
        assertThat(dashboard("pulse-fund-supervision").textVariables())
                .extracting(v -> v.path("name").asText())
                .containsExactly("supervisor");
        for (String table :
                List.of("Triage queue", "My alerts", "Recently closed", "Alert timeline")) {
            assertThat(panel("pulse-fund-supervision", table).toString())
                    .as(table + ": severity coloured")
                    .contains("\"RED\":{\"color\":\"red\"");
        }
        JsonNode alerts = panel("pulse-fund-supervision", "Open alerts with evidence");
        JsonNode severity = null;
        for (JsonNode override : alerts.path("fieldConfig").path("overrides")) {
            if ("severity".equals(override.path("matcher").path("options").asText())) {
                severity = override;
            }
        }
        assertThat(severity).as("an override colours the severity column").isNotNull();
        String colours = severity.toString();
        assertThat(colours)
                .contains("\"RED\":{\"color\":\"red\"")
                .contains("\"YELLOW\":{\"color\":\"yellow\"")
                .contains("color-background");
        assertThat(
                        panel("pulse-pipeline-health", "Where the other numbers are")
                                .path("options")
                                .path("content")
                                .asText())
                .contains("Flink")
                .contains("metrics reporter")
                .contains("insertRetries");
    }

    @Test
    void everyQueryHasItsExpectedColumnsListedAndNoListingIsStale() {
        Map<String, Set<String>> actual = new LinkedHashMap<>();
        for (Dashboard d : dashboards) {
            d.queries()
                    .forEach(
                            q ->
                                    actual.computeIfAbsent(d.uid(), k -> new TreeSet<>())
                                            .add(q.key()));
        }
        Dashboards.alertQueries(dataSourceUid)
                .forEach(
                        q ->
                                actual.computeIfAbsent("alert-rules", k -> new TreeSet<>())
                                        .add(q.key()));
        Map<String, Set<String>> listed = new LinkedHashMap<>();
        expectedColumns
                .fields()
                .forEachRemaining(
                        e -> {
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
        admin.rows(
                        "SELECT name FROM system.tables WHERE database = 'pulse'"
                                + " AND engine = 'ReplacingMergeTree'")
                .forEach(r -> replacing.add(r.get(0)));
        assertThat(replacing).contains("participation_minute", "risk_alerts", "learning_events");
        List<String> offences = new ArrayList<>();
        allSql().forEach(
                        (where, sql) -> {
                            Matcher m = TABLE_REFERENCE.matcher(sql);
                            while (m.find()) {
                                if (replacing.contains(m.group(1))
                                        && m.group(2) == null
                                        && !sql.contains("argMax(")) {
                                    offences.add(
                                            where
                                                    + " reads pulse."
                                                    + m.group(1)
                                                    + " without FINAL");
                                }
                            }
                        });
        assertThat(offences).isEmpty();
    }

    @Test
    void queriesUseNothingThatClickHouse1816Lacks() {
        List<String> offences = new ArrayList<>();
        allSql().forEach(
                        (where, sql) -> {
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

    // ---------------------------------------------------------------- FINAL on sample rows

    @Test
    void finalHidesSupersededRowsAndResolvedAlerts() {
        QueryResult visits = checks.result("pulse-activity-week", "Participant-visits/A", Map.of());
        assertThat(visits.rows()).containsExactly(List.of(Long.toString(SAMPLE_VISITS)));

        Map<String, List<String>> institution = Map.of("institution", List.of(INSTITUTION));
        QueryResult open =
                checks.result("pulse-fund-supervision", "Open alerts with evidence/A", institution);
        List<String> shown = open.column("rule");
        List<String> institutions = open.column("institution_id");
        Map<String, String> ruleByInstitution = new HashMap<>();
        for (int i = 0; i < shown.size(); i++) {
            ruleByInstitution.merge(institutions.get(i), shown.get(i), (a, b) -> a + "," + b);
        }
        assertThat(ruleByInstitution)
                .containsEntry("INST-PD-002", "R5")
                .containsEntry("INST-XH-001", "R4") // the R8 alert of a shadow rule is hidden
                .doesNotContainKey("INST-PD-001"); // its R11 alert was resolved by version 2
        assertThat(open.column("severity").get(0)).isEqualTo("RED");

        QueryResult risk =
                checks.result(
                        "pulse-fund-supervision", "Institutions by risk score/A", institution);
        assertThat(risk.column("institution"))
                .contains("Pudong Piano Academy")
                .noneMatch(name -> name.contains("old name"));
    }

    @Test
    void theTopResourcesPanelsShowTheChosenDistrictsActivityByName() {
        // visits per resource among the sample's learning events of each district, counted by
        // hand; ties in resource id order; EVENT-OPENING is not in the catalogue
        Map<String, List<String>> huangpu = Map.of("district", List.of("HUANGPU"));
        Map<String, List<String>> xuhui = Map.of("district", List.of("XUHUI"));
        assertThat(top("Top courses and classes/A", "course", huangpu))
                .containsExactly(
                        "Air classroom: smartphones for seniors|LIVE_CLASS|6",
                        "Shanghai dialect for beginners|COURSE|6",
                        "Healthy ageing (MOOC)|MOOC|6",
                        "Digital photography (MOOC)|MOOC|3");
        assertThat(top("Top courses and classes/A", "course", xuhui))
                .containsExactly(
                        "Shanghai dialect for beginners|COURSE|9",
                        "Healthy ageing (MOOC)|MOOC|8",
                        "Digital photography (MOOC)|MOOC|6",
                        "Air classroom: smartphones for seniors|LIVE_CLASS|5");
        String venues = "Top venues (experience bases, events, teams)/A";
        assertThat(top(venues, "venue", huangpu))
                .containsExactly(
                        "Shanghai Science and Technology Museum|EXPERIENCE_VISIT|3",
                        "EVENT-OPENING|EVENT_JOIN|2",
                        "Jingan seniors choir|TEAM_ACTIVITY|2",
                        "Shanghai Library|EXPERIENCE_VISIT|1");
        assertThat(top(venues, "venue", xuhui))
                .containsExactly(
                        "Jingan seniors choir|TEAM_ACTIVITY|5",
                        "EVENT-OPENING|EVENT_JOIN|4",
                        "Shanghai Science and Technology Museum|EXPERIENCE_VISIT|4",
                        "Shanghai Library|EXPERIENCE_VISIT|2");
        // the activity filter too: Huangpu's live-class views are CLASS-7's six
        assertThat(
                        top(
                                "Top courses and classes/A",
                                "course",
                                Map.of(
                                        "district",
                                        List.of("HUANGPU"),
                                        "activity_type",
                                        List.of("LIVE_CLASS_VIEW"))))
                .containsExactly("Air classroom: smartphones for seniors|LIVE_CLASS|6");
    }

    /** A top-resources panel as "name|kind or activity|visits" rows. */
    private static List<String> top(String panel, String name, Map<String, List<String>> chosen) {
        QueryResult result = checks.result("pulse-activity-week", panel, chosen);
        List<String> names = result.column(name);
        List<String> second = result.column(name.equals("course") ? "kind" : "activity");
        List<String> visits = result.column("visits");
        List<String> rows = new java.util.ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            rows.add(names.get(i) + "|" + second.get(i) + "|" + visits.get(i));
        }
        return rows;
    }

    // ---------------------------------------------------------------- cases (case-rows.sql)

    /** The alert ids of case-rows.sql and sample-rows.sql. */
    private static final String R2_JA1 = "R2-INST-JA-001-1635121800000";

    private static final String R5_JA1 = "R5-INST-JA-001-1635121200000";
    private static final String R8_JA2 = "R8-INST-JA-002-1635120600000";
    private static final String R3_JA2 = "R3-INST-JA-002-1635127200000";
    private static final String R12_JA2 = "R12-INST-JA-002-1635129000000";

    @Test
    void theTriageQueueIsUnacknowledgedFirstThenRedThenOldestWithoutClosedOrShadowAlerts() {
        QueryResult queue =
                checks.result(
                        "pulse-fund-supervision",
                        "Triage queue/A",
                        Map.of("institution", List.of(INSTITUTION)));
        assertThat(queue.column("alert_id"))
                .containsExactly(R2_JA1, "alert-r5-pd002", "alert-r4-xh001", R5_JA1, R8_JA2);
        assertThat(queue.column("acknowledged_by"))
                .containsExactly("", "", "", "li.wei", "zhang.min");
        // the latest assignment and the latest note
        assertThat(queue.rows().get(3))
                .containsSubsequence(
                        "li.wei", "zhang.min", "Top-up not received by Friday: visit planned");
        assertThat(queue.column("institution").get(0)).isEqualTo("Jingan Language School");
        assertThat(queue.column("status").get(3)).isEqualTo("UPDATED");

        // choosing a district keeps the order within it
        QueryResult jingan =
                checks.result(
                        "pulse-fund-supervision",
                        "Triage queue/A",
                        Map.of("institution", List.of(INSTITUTION), "district", List.of("JINGAN")));
        assertThat(jingan.column("alert_id")).containsExactly(R2_JA1, R5_JA1, R8_JA2);
    }

    @Test
    void myAlertsAreTheOpenAlertsAssignedToTheSupervisorTyped() {
        Map<String, List<String>> zhang =
                Map.of("institution", List.of(INSTITUTION), "supervisor", List.of("zhang.min"));
        assertThat(checks.result("pulse-fund-supervision", "My alerts/A", zhang).column("alert_id"))
                .containsExactly(R5_JA1); // R8 was acknowledged by zhang.min, not assigned
        Map<String, List<String>> reassigned =
                Map.of("institution", List.of(INSTITUTION), "supervisor", List.of("wang.fang"));
        assertThat(checks.result("pulse-fund-supervision", "My alerts/A", reassigned).rows())
                .isEmpty();
        // the default (nobody typed) shows nobody's, not the unassigned ones
        assertThat(
                        checks.result(
                                        "pulse-fund-supervision",
                                        "My alerts/A",
                                        Map.of("institution", List.of(INSTITUTION)))
                                .rows())
                .isEmpty();
        // a quote in the name stays inside the string
        Map<String, List<String>> quoted =
                Map.of("institution", List.of(INSTITUTION), "supervisor", List.of("o'brien"));
        assertThat(checks.result("pulse-fund-supervision", "My alerts/A", quoted).rows()).isEmpty();
    }

    @Test
    void aClosedAlertIsInRecentlyClosedWithItsReasonAndNotInTheQueue() {
        QueryResult closed =
                checks.result(
                        "pulse-fund-supervision",
                        "Recently closed/A",
                        Map.of("institution", List.of(INSTITUTION)));
        assertThat(closed.rows())
                .extracting(r -> r.get(0), r -> r.get(6), r -> r.get(7), r -> r.get(8))
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "alert-r11-pd001",
                                "2021-10-25 11:30:00",
                                "(resolved by the job)",
                                "Refund request rr-1 paid after 32 days."),
                        // closed, not yet resolved by the job: already out of the queue
                        org.assertj.core.groups.Tuple.tuple(
                                R12_JA2,
                                "2021-10-25 11:15:00",
                                "zhang.min",
                                "same card as the R3 case, handled there"),
                        org.assertj.core.groups.Tuple.tuple(
                                R3_JA2,
                                "2021-10-25 11:00:00",
                                "li.wei",
                                "card balance checked with the bank, a double-counted load"));
        assertThat(
                        checks.result(
                                        "pulse-fund-supervision",
                                        "Triage queue/A",
                                        Map.of("institution", List.of(INSTITUTION)))
                                .column("alert_id"))
                .doesNotContain(R3_JA2, R12_JA2, "alert-r11-pd001");
    }

    @Test
    void theRuleTrialSetsShadowBesideEnforcedAlertsPerRule() {
        QueryResult trial =
                checks.result(
                        "pulse-fund-supervision",
                        "Rule trial: shadow vs enforced alerts/A",
                        Map.of("institution", List.of(INSTITUTION)));
        assertThat(trial.rows())
                .containsExactly(
                        List.of("R5", "2", "2", "2", "2", "2", "1"),
                        List.of("R8", "1", "1", "0", "1", "1", "0"),
                        List.of("R2", "1", "1", "1", "0", "0", "0"),
                        List.of("R3", "1", "1", "1", "0", "0", "0"),
                        List.of("R4", "1", "1", "0", "0", "0", "0"),
                        List.of("R11", "1", "1", "1", "0", "0", "0"),
                        List.of("R12", "1", "1", "0", "0", "0", "0"));
    }

    @Test
    void theAlertTimelineHasEveryEnforcedVersionOfTheInstitutionInTheOrderOfDetection() {
        QueryResult timeline =
                checks.result(
                        "pulse-fund-supervision",
                        "Alert timeline/A",
                        Map.of("institution", List.of("INST-JA-001")));
        assertThat(timeline.rows())
                .extracting(r -> r.get(0), r -> r.get(1), r -> r.get(3), r -> r.get(5))
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "2021-10-25 08:20:00", R5_JA1, "1", "YELLOW"),
                        org.assertj.core.groups.Tuple.tuple(
                                "2021-10-25 08:30:00", R2_JA1, "1", "RED"),
                        org.assertj.core.groups.Tuple.tuple(
                                "2021-10-25 09:00:00", R5_JA1, "2", "RED"));
        assertThat(timeline.column("status")).containsExactly("OPEN", "OPEN", "UPDATED");
    }

    private static Map<String, String> allSql() {
        Map<String, String> sql = new LinkedHashMap<>();
        for (Dashboard d : dashboards) {
            d.queries().forEach(q -> sql.put(q.toString(), q.rawSql()));
            d.variables()
                    .forEach(
                            v ->
                                    sql.put(
                                            d.uid() + " › $" + v.path("name").asText(),
                                            v.path("query").path("rawSql").asText()));
        }
        Dashboards.alertQueries(dataSourceUid).forEach(q -> sql.put(q.key(), q.rawSql()));
        assertThat(sql).hasSizeGreaterThan(30);
        return sql;
    }

    /** The data source is one of the two provisioned ones; returns its type. */
    private static String assertDataSource(JsonNode datasource, String at) {
        String type = datasource.path("type").asText();
        assertThat(type).as(at + ": data source type").isIn(PLUGIN, Dashboards.PROMETHEUS);
        assertThat(datasource.path("uid").asText())
                .as(at + ": the provisioned " + type + " data source")
                .isEqualTo(type.equals(PLUGIN) ? dataSourceUid : prometheusUid);
        return type;
    }

    private static Dashboard dashboard(String uid) {
        return dashboards.stream()
                .filter(d -> d.uid().equals(uid))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no dashboard " + uid));
    }

    private static List<String> variableNames(String uid) {
        return dashboard(uid).variables().stream().map(v -> v.path("name").asText()).toList();
    }

    private static JsonNode panel(String uid, String title) {
        return dashboard(uid).panels().stream()
                .filter(p -> p.path("title").asText().equals(title))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no panel " + title + " in " + uid));
    }

    private static ClickHouseHttp http(Endpoints endpoints, ClickHouseAccounts.Account account) {
        return new ClickHouseHttp(endpoints.clickHouseUrl(), account.user(), account.password());
    }
}
