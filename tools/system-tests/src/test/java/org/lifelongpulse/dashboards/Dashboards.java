package org.lifelongpulse.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.lifelongpulse.stack.ProjectTree;

/**
 * The Grafana files of {@code dashboards/}, read as Grafana reads them: dashboards (JSON), the
 * provisioned data sources, alert rules (YAML), and the queries inside them: SQL for the ClickHouse
 * data source, PromQL for the Prometheus one. A panel, target or variable belongs to the data
 * source its {@code datasource.type} names (a target without one, to its panel's).
 */
final class Dashboards {

    /** The ClickHouse data source plugin's type. */
    static final String CLICKHOUSE = "grafana-clickhouse-datasource";

    /** Grafana's built-in Prometheus data source type. */
    static final String PROMETHEUS = "prometheus";

    /** Grafana's free-text variable type. */
    static final String TEXTBOX = "textbox";

    /** Where the columns each panel's query must return are listed, from the project root. */
    static final String EXPECTED_COLUMNS =
            "tools/system-tests/src/test/resources/dashboards/expected-columns.json";

    static final ObjectMapper JSON = new ObjectMapper();
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** One dashboard file. */
    record Dashboard(Path file, JsonNode json) {

        String uid() {
            return json.path("uid").asText();
        }

        /** Every panel, rows' nested panels included. */
        List<JsonNode> panels() {
            List<JsonNode> out = new ArrayList<>();
            collect(json.path("panels"), out);
            return out;
        }

        private static void collect(JsonNode panels, List<JsonNode> out) {
            for (JsonNode panel : panels) {
                out.add(panel);
                collect(panel.path("panels"), out);
            }
        }

        /** Every variable, whatever its data source. */
        List<JsonNode> allVariables() {
            List<JsonNode> out = new ArrayList<>();
            json.path("templating").path("list").forEach(out::add);
            return out;
        }

        /** The variables filled by a ClickHouse query. */
        List<JsonNode> variables() {
            return allVariables().stream()
                    .filter(v -> CLICKHOUSE.equals(type(v.path("datasource"))))
                    .toList();
        }

        /**
         * The text-box variables: typed in by the viewer, their {@code query} the default value.
         */
        List<JsonNode> textVariables() {
            return allVariables().stream()
                    .filter(v -> TEXTBOX.equals(v.path("type").asText()))
                    .toList();
        }

        /** The variables filled by a Prometheus query. */
        List<JsonNode> promVariables() {
            return allVariables().stream()
                    .filter(v -> PROMETHEUS.equals(type(v.path("datasource"))))
                    .toList();
        }

        /** The SQL of every ClickHouse target; Prometheus targets are in {@link #promQueries}. */
        List<PanelQuery> queries() {
            List<PanelQuery> out = new ArrayList<>();
            for (JsonNode panel : panels()) {
                for (JsonNode target : panel.path("targets")) {
                    if (!CLICKHOUSE.equals(targetType(panel, target))) {
                        continue;
                    }
                    out.add(
                            new PanelQuery(
                                    uid(),
                                    panel.path("title").asText(),
                                    panel.path("type").asText(),
                                    target.path("refId").asText(),
                                    target.path("format").asInt(-1),
                                    target.path("rawSql").asText()));
                }
            }
            return out;
        }

        /** The PromQL of every Prometheus target. */
        List<PromQuery> promQueries() {
            List<PromQuery> out = new ArrayList<>();
            for (JsonNode panel : panels()) {
                for (JsonNode target : panel.path("targets")) {
                    if (PROMETHEUS.equals(targetType(panel, target))) {
                        out.add(
                                new PromQuery(
                                        uid(),
                                        panel.path("title").asText(),
                                        panel.path("type").asText(),
                                        target.path("refId").asText(),
                                        target.path("expr").asText()));
                    }
                }
            }
            return out;
        }
    }

    /** The data source type of a target: its own, else its panel's. */
    static String targetType(JsonNode panel, JsonNode target) {
        String own = type(target.path("datasource"));
        return own.isEmpty() ? type(panel.path("datasource")) : own;
    }

    private static String type(JsonNode datasource) {
        return datasource.path("type").asText();
    }

    /** One PromQL expression of a panel, with Grafana's variables still in it. */
    record PromQuery(
            String dashboardUid, String panelTitle, String panelType, String refId, String expr) {

        String key() {
            return panelTitle + "/" + refId;
        }

        @Override
        public String toString() {
            return dashboardUid + " › " + key();
        }
    }

    /**
     * One SQL query of a panel.
     *
     * @param format the plugin v4 format: 0 time series, 1 table
     */
    record PanelQuery(
            String dashboardUid,
            String panelTitle,
            String panelType,
            String refId,
            int format,
            String rawSql) {

        String key() {
            return panelTitle + "/" + refId;
        }

        boolean isTimeSeries() {
            return format == 0;
        }

        @Override
        public String toString() {
            return dashboardUid + " › " + key();
        }
    }

    /** A query of a provisioned alert rule against the ClickHouse data source. */
    record AlertQuery(String ruleUid, String refId, String rawSql) {

        String key() {
            return ruleUid + "/" + refId;
        }
    }

    private Dashboards() {}

    static Path folder() {
        return ProjectTree.root().resolve("dashboards");
    }

    static List<Dashboard> all() {
        try (Stream<Path> files = Files.list(folder())) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json"))
                    .sorted()
                    .map(f -> new Dashboard(f, read(JSON, f)))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The provisioned ClickHouse data source (there is exactly one). */
    static JsonNode provisionedDataSource() {
        return onlyDataSource("clickhouse.yaml");
    }

    /** The provisioned Prometheus data source, for Flink's metrics (there is exactly one). */
    static JsonNode prometheusDataSource() {
        return onlyDataSource("prometheus.yaml");
    }

    private static JsonNode onlyDataSource(String file) {
        JsonNode sources =
                read(YAML, folder().resolve("provisioning/datasources").resolve(file))
                        .path("datasources");
        if (sources.size() != 1) {
            throw new IllegalStateException(
                    "expected one provisioned data source in "
                            + file
                            + ", found "
                            + sources.size());
        }
        return sources.get(0);
    }

    static JsonNode alerting() {
        return read(YAML, folder().resolve("provisioning/alerting/fund-risk-alerts.yaml"));
    }

    static List<AlertQuery> alertQueries(String dataSourceUid) {
        List<AlertQuery> out = new ArrayList<>();
        for (JsonNode group : alerting().path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                for (JsonNode data : rule.path("data")) {
                    if (dataSourceUid.equals(data.path("datasourceUid").asText())) {
                        out.add(
                                new AlertQuery(
                                        rule.path("uid").asText(),
                                        data.path("refId").asText(),
                                        data.path("model").path("rawSql").asText()));
                    }
                }
            }
        }
        return out;
    }

    static JsonNode read(ObjectMapper mapper, Path file) {
        try {
            return mapper.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + file, e);
        }
    }
}
