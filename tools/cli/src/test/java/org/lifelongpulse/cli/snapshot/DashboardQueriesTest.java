package org.lifelongpulse.cli.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.lifelongpulse.adapters.clickhouse.ClickHouseException;
import org.lifelongpulse.cli.snapshot.Dashboard.Panel;
import org.lifelongpulse.ops.clickhouse.GrafanaMacros;
import org.lifelongpulse.ops.clickhouse.GrafanaMacros.Variable;

/** A dashboard's SQL run as Grafana would, against a recording stand-in for ClickHouse. */
class DashboardQueriesTest {

    private static final Instant FROM = Instant.parse("2021-10-25T00:00:00Z");
    private static final Instant TO = Instant.parse("2021-10-26T00:00:00Z");
    private static final GrafanaMacros BARE =
            new GrafanaMacros(FROM, TO, Duration.ofMinutes(12), List.of());

    private static final String DASHBOARD =
            """
            {"title": "Fund Supervision", "description": "Alerts and ledgers",
             "templating": {"list": [
               {"name": "district", "includeAll": true,
                "query": {"rawSql": "SELECT DISTINCT district FROM d"}},
               {"name": "institution", "includeAll": false,
                "query": {"rawSql": "SELECT institution_id FROM i"}}]},
             "panels": [
               {"type": "text", "title": "Read me", "options": {"content": "hello"},
                "targets": [{"rawSql": "SELECT 'never run'"}]},
               {"type": "row", "title": "One institution: $institution", "panels": [
                 {"type": "stat", "title": "Open",
                  "targets": [{"format": 1, "rawSql":
                    "SELECT count() FROM a WHERE institution_id = '${institution}'"}]}]},
               {"type": "timeseries", "title": "Alerts",
                "targets": [
                  {"format": 0, "rawSql":
                    "SELECT t, n FROM a WHERE $__conditionalAll(d IN ($district), $district)"},
                  {"format": 1, "rawSql": "SELECT broken"}]}]}
            """;

    private final List<String> asked = new ArrayList<>();

    /** Two institutions, three districts; {@code SELECT broken} is refused. */
    private final Function<String, QueryResult> clickHouse =
            sql -> {
                asked.add(sql);
                if (sql.contains("broken")) {
                    throw new ClickHouseException("Code: 47. Unknown identifier broken", 404);
                }
                if (sql.contains("FROM d")) {
                    return QueryResult.fromTabSeparated(
                            "district\nString\nPUDONG\nXUHUI\nJINGAN\n");
                }
                if (sql.contains("FROM i")) {
                    return QueryResult.fromTabSeparated("institution_id\nString\nINST-1\nINST-2\n");
                }
                return QueryResult.fromTabSeparated("n\nUInt64\n4\n");
            };

    private static JsonNode dashboard() throws Exception {
        return new ObjectMapper().readTree(DASHBOARD);
    }

    @Test
    void variablesDefaultToAllOrTheFirstOption() throws Exception {
        List<Variable> variables =
                DashboardQueries.defaultVariables(dashboard(), BARE, clickHouse, null);

        assertThat(variables)
                .containsExactly(
                        Variable.all("district", List.of("PUDONG", "XUHUI", "JINGAN")),
                        Variable.of("institution", "INST-1"));
        assertThat(asked)
                .containsExactly("SELECT DISTINCT district FROM d", "SELECT institution_id FROM i");
    }

    @Test
    void aTextBoxIsItsDefaultValueWithoutAQuery() throws Exception {
        JsonNode withText =
                new ObjectMapper()
                        .readTree(
                                """
                                {"templating": {"list": [
                                  {"name": "supervisor", "type": "textbox", "query": "li.wei"},
                                  {"name": "job", "datasource": {"type": "prometheus"},
                                   "query": {"query": "label_values(up, job)"}}]}}
                                """);
        assertThat(DashboardQueries.defaultVariables(withText, BARE, clickHouse, null))
                .containsExactly(Variable.of("supervisor", "li.wei"));
        assertThat(asked).isEmpty();
    }

    @Test
    void anInstitutionGivenReplacesTheFirstOption() throws Exception {
        List<Variable> variables =
                DashboardQueries.defaultVariables(dashboard(), BARE, clickHouse, "INST-9");

        assertThat(variables).contains(Variable.of("institution", "INST-9"));
    }

    @Test
    void everyPanelRunsItsQueriesWithTheVariablesExpanded() throws Exception {
        GrafanaMacros macros =
                new GrafanaMacros(
                        FROM,
                        TO,
                        Duration.ofMinutes(12),
                        List.of(
                                Variable.all("district", List.of("PUDONG")),
                                Variable.of("institution", "I-2")));

        Dashboard shown = DashboardQueries.run(dashboard(), macros, clickHouse);

        assertThat(shown.title()).isEqualTo("Fund Supervision");
        assertThat(shown.description()).isEqualTo("Alerts and ledgers");
        // the row's nested stat comes right after the row; text and rows run nothing
        assertThat(shown.panels())
                .extracting(Panel::type)
                .containsExactly("text", "row", "stat", "timeseries");
        assertThat(asked)
                .containsExactly(
                        "SELECT count() FROM a WHERE institution_id = 'I-2'",
                        "SELECT t, n FROM a WHERE 1=1",
                        "SELECT broken");
        assertThat(shown.panels().get(0).content()).isEqualTo("hello");
        assertThat(shown.panels().get(0).targets()).isEmpty();
        assertThat(shown.panels().get(1).title()).isEqualTo("One institution: I-2");
        Dashboard.Target stat = shown.panels().get(2).targets().get(0);
        assertThat(stat.timeSeries()).isFalse();
        assertThat(stat.result().rows()).containsExactly(List.of("4"));
        List<Dashboard.Target> alerts = shown.panels().get(3).targets();
        assertThat(alerts.get(0).timeSeries()).isTrue();
        assertThat(alerts.get(0).error()).isNull();
        // a refused query is kept as its message; it does not stop the others
        assertThat(alerts.get(1).result()).isNull();
        assertThat(alerts.get(1).error()).isEqualTo("Code: 47. Unknown identifier broken");
    }

    @Test
    void panelsAndVariablesOfAnotherDataSourceAreShownNotRun() throws Exception {
        JsonNode prometheus =
                new ObjectMapper()
                        .readTree(
                                """
                                {"title": "Flink runtime",
                                 "templating": {"list": [
                                   {"name": "job", "datasource": {"type": "prometheus"},
                                    "query": {"query": "label_values(up, job)"}}]},
                                 "panels": [
                                   {"type": "timeseries", "title": "Records in",
                                    "datasource": {"type": "prometheus", "uid": "prom"},
                                    "targets": [{"expr": "rate(numRecordsIn[1m])"}]},
                                   {"type": "stat", "title": "Restarts",
                                    "datasource": "${DS_PROMETHEUS}",
                                    "targets": [{"expr": "numRestarts"}]},
                                   {"type": "stat", "title": "Rows", "targets": [{"rawSql":
                                    "SELECT count() FROM a", "format": 1}]}]}
                                """);

        assertThat(DashboardQueries.defaultVariables(prometheus, BARE, clickHouse, null)).isEmpty();
        Dashboard shown = DashboardQueries.run(prometheus, BARE, clickHouse);

        assertThat(shown.panels())
                .extracting(Panel::needs)
                .containsExactly("Prometheus", "Prometheus", null);
        assertThat(asked).containsExactly("SELECT count() FROM a");
    }
}
