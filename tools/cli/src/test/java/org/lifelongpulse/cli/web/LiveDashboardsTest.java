package org.lifelongpulse.cli.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.lifelongpulse.cli.snapshot.QueryResult;
import org.lifelongpulse.cli.web.LiveDashboards.Definition;
import org.lifelongpulse.cli.web.LiveDashboards.Rendered;
import org.lifelongpulse.cli.web.LiveDashboards.Selection;

/**
 * A request's parameters checked against the variables' own query results, and the panels drawn,
 * against a recording stand-in for ClickHouse. (The pages in a browser on a real ClickHouse: {@code
 * LiveDashboardsITCase} in tools/system-tests.)
 */
class LiveDashboardsTest {

    private static final Instant NOW = Instant.parse("2021-10-25T04:00:00Z");

    private static final String DASHBOARD =
            """
            {"uid": "d1", "title": "Activity", "time": {"from": "now-6h", "to": "now"},
             "templating": {"list": [
               {"name": "district", "label": "District", "includeAll": true, "multi": true,
                "datasource": {"type": "grafana-clickhouse-datasource", "uid": "pulse-clickhouse"},
                "query": {"rawSql": "SELECT DISTINCT district FROM d WHERE $__timeFilter(m)"}},
               {"name": "institution", "includeAll": false,
                "query": {"rawSql": "SELECT id, name FROM i WHERE d IN ($district)"}},
               {"name": "job", "datasource": {"type": "prometheus", "uid": "prom"},
                "query": {"query": "label_values(up, job)", "refId": "A"}}]},
             "panels": [
               {"type": "stat", "title": "Visits in $institution",
                "datasource": {"type": "grafana-clickhouse-datasource", "uid": "pulse-clickhouse"},
                "targets": [{"format": 1, "rawSql":
                  "SELECT sum(v) FROM p WHERE $__conditionalAll(d IN (${district:singlequote}), $district)"}]},
               {"type": "timeseries", "title": "Checkpoint duration",
                "datasource": {"type": "prometheus", "uid": "prom"},
                "targets": [{"expr": "flink_jobmanager_job_lastCheckpointDuration", "refId": "A"}]}]}
            """;

    private final List<String> asked = new ArrayList<>();

    private final Function<String, QueryResult> clickHouse =
            sql -> {
                asked.add(sql);
                if (sql.contains("FROM d")) {
                    return QueryResult.fromTabSeparated("district\nString\nPUDONG\nXUHUI\n");
                }
                if (sql.contains("FROM i")) {
                    return QueryResult.fromTabSeparated(
                            "id\tname\nString\tString\nINST-1\tPiano (INST-1)\n");
                }
                if (sql.contains("participation_minute")) {
                    // the activity week: 2020-11-01 10:00 to 2020-11-03 22:59 Shanghai, 8 rows
                    return QueryResult.fromTabSeparated(
                            "a\tb\tc\nUInt32\tUInt32\tUInt64\n1604196000\t1604415540\t8\n");
                }
                return QueryResult.fromTabSeparated("n\nUInt64\n42\n");
            };

    private final LiveDashboards dashboards;

    LiveDashboardsTest() throws Exception {
        Definition d = new Definition("d1", "Activity", "", new ObjectMapper().readTree(DASHBOARD));
        dashboards = new LiveDashboards(List.of(d), clickHouse, ZoneId.of("UTC"), null);
    }

    private Selection select(String query) {
        return dashboards.select(
                dashboards.dashboard("d1").orElseThrow(), LiveDashboards.parameters(query), NOW);
    }

    @Test
    void withoutParametersTheDashboardsOwnRangeAndAllOrTheFirstOption() {
        Selection s = select("");

        assertThat(s.range().from()).isEqualTo(NOW.minus(Duration.ofHours(6)));
        assertThat(s.range().to()).isEqualTo(NOW);
        assertThat(s.range().choice()).isEqualTo("custom");
        assertThat(s.choices())
                .extracting(LiveDashboards.Choice::name)
                .as("the Prometheus variable is left out")
                .containsExactly("district", "institution");
        assertThat(s.choices().get(0).all()).isTrue();
        assertThat(s.choices().get(1).selected()).containsExactly("INST-1");
        assertThat(s.choices().get(1).options().get(0).label()).isEqualTo("Piano (INST-1)");
        // the second variable's query sees the first one's selection (All: every option)
        assertThat(asked.get(1)).isEqualTo("SELECT id, name FROM i WHERE d IN ('PUDONG','XUHUI')");
    }

    @Test
    void chosenValuesAmongTheOptionsReachTheSqlQuoted() {
        Rendered r = dashboards.render(select("range=1h&var-district=XUHUI&var-district=PUDONG"));

        assertThat(r.selection().range().from()).isEqualTo(NOW.minus(Duration.ofHours(1)));
        assertThat(asked).contains("SELECT sum(v) FROM p WHERE d IN ('XUHUI','PUDONG')");
        assertThat(r.grid())
                .contains("<h4>Visits in INST-1</h4><div class=stat>42</div>")
                .contains("<h4>Checkpoint duration</h4>")
                .contains("Prometheus panel — needs Prometheus");
        assertThat(asked).noneMatch(sql -> sql.contains("flink_jobmanager"));
    }

    @Test
    void aValueTheVariablesQueryDoesNotReturnIsRefusedBeforeAnyPanelRuns() {
        assertThatThrownBy(() -> select("var-district=PUDONG'%20OR%201=1"))
                .isInstanceOf(BadRequest.class)
                .hasMessage(
                        "unknown value 'PUDONG' OR 1=1' for variable district: not among the 2"
                                + " options its query returns for this time range");
        assertThat(asked).noneMatch(sql -> sql.contains("FROM p"));
    }

    @Test
    void badParametersAreRefusedWithAMessage() {
        assertThatThrownBy(() -> select("var-job=flink"))
                .isInstanceOf(BadRequest.class)
                .hasMessageStartingWith("unknown parameter 'var-job': this page takes range,");
        assertThatThrownBy(() -> select("var-institution=INST-1&var-institution=INST-1"))
                .hasMessage("variable institution takes one value, got 2");
        assertThatThrownBy(() -> select("var-institution=$__all"))
                .hasMessage("variable institution has no All option");
        assertThatThrownBy(() -> select("range=2d")).hasMessageStartingWith("unknown time range");
        assertThatThrownBy(() -> select("range=1h&from=now-2h"))
                .hasMessage("from and to go with range=custom (or without range)");
        assertThatThrownBy(() -> select("range=custom&from=now&to=now-1h"))
                .hasMessageStartingWith("the time range is empty");
        assertThatThrownBy(() -> select("from=tomorrow"))
                .hasMessageStartingWith("cannot read time 'tomorrow'");
        assertThatThrownBy(() -> select("range=1h&range=24h"))
                .hasMessage("parameter 'range' is given more than once");
        assertThatThrownBy(() -> select("var-district=%zz"))
                .isInstanceOf(BadRequest.class)
                .hasMessageStartingWith("malformed query string");
    }

    @Test
    void customTimesInEveryFormAndTheWholeActivityWeek() {
        assertThat(select("from=now-15m&to=now").range().choice())
                .as("a pair the picker offers is that choice")
                .isEqualTo("15m");
        TimeRange local = select("range=custom&from=2021-10-25T08:00&to=1635156000000").range();
        assertThat(local.from()).isEqualTo(Instant.parse("2021-10-25T00:00:00Z"));
        assertThat(local.to()).isEqualTo(Instant.parse("2021-10-25T10:00:00Z"));

        TimeRange week = select("range=week").range();
        // whole Shanghai days around the first and the last minute
        assertThat(week.from()).isEqualTo(Instant.parse("2020-10-31T16:00:00Z"));
        assertThat(week.to()).isEqualTo(Instant.parse("2020-11-03T16:00:00Z"));
    }

    private static final String CASES =
            """
            {"uid": "cases", "title": "Cases", "time": {"from": "now-6h", "to": "now"},
             "templating": {"list": [
               {"name": "supervisor", "label": "Supervisor", "type": "textbox", "query": ""}]},
             "panels": [
               {"type": "table", "title": "My alerts",
                "datasource": {"type": "grafana-clickhouse-datasource", "uid": "pulse-clickhouse"},
                "targets": [{"format": 1, "rawSql":
                  "SELECT alert_id FROM c WHERE assignee = ${supervisor:sqlstring}"}]}]}
            """;

    @Test
    void aTextBoxTakesANameAndPassesItQuotedNeverSqlText() throws Exception {
        Definition d = new Definition("cases", "Cases", "", new ObjectMapper().readTree(CASES));
        LiveDashboards cases = new LiveDashboards(List.of(d), clickHouse, ZoneId.of("UTC"), null);
        Rendered mine =
                cases.render(
                        cases.select(
                                d, LiveDashboards.parameters("var-supervisor=zhang.min"), NOW));
        assertThat(asked).containsExactly("SELECT alert_id FROM c WHERE assignee = 'zhang.min'");
        assertThat(mine.grid()).contains("<h4>My alerts</h4>");
        assertThat(new DashboardPage().page(mine, List.of(d), NOW))
                .contains("<input name=\"var-supervisor\" size=14 value=\"zhang.min\">");

        // nothing typed: the default (empty), and the page still renders
        cases.render(cases.select(d, LiveDashboards.parameters(""), NOW));
        assertThat(asked.get(1)).isEqualTo("SELECT alert_id FROM c WHERE assignee = ''");

        for (String bad : List.of("x%27%20OR%201=1%20--", "a%5C", "x&var-supervisor=y")) {
            assertThatThrownBy(
                            () ->
                                    cases.select(
                                            d,
                                            LiveDashboards.parameters("var-supervisor=" + bad),
                                            NOW))
                    .as(bad)
                    .isInstanceOf(BadRequest.class);
        }
        assertThat(asked).hasSize(2);
    }

    @Test
    void onlyLoopbackNamesPassTheHostCheck() {
        assertThat(DashboardServer.loopbackHost("127.0.0.1:8090")).isTrue();
        assertThat(DashboardServer.loopbackHost("localhost")).isTrue();
        assertThat(DashboardServer.loopbackHost("[::1]:8090")).isTrue();
        assertThat(DashboardServer.loopbackHost("evil.example:8090")).isFalse();
        assertThat(DashboardServer.loopbackHost("127.0.0.1.evil.example")).isFalse();
        assertThat(DashboardServer.loopbackHost(null)).isFalse();
    }
}
