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
 * provisioned data source, alert rules (YAML), and the SQL inside them.
 */
final class Dashboards {

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

        List<JsonNode> variables() {
            List<JsonNode> out = new ArrayList<>();
            json.path("templating").path("list").forEach(out::add);
            return out;
        }

        List<PanelQuery> queries() {
            List<PanelQuery> out = new ArrayList<>();
            for (JsonNode panel : panels()) {
                for (JsonNode target : panel.path("targets")) {
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
        JsonNode sources =
                read(YAML, folder().resolve("provisioning/datasources/clickhouse.yaml"))
                        .path("datasources");
        if (sources.size() != 1) {
            throw new IllegalStateException(
                    "expected one provisioned data source, found " + sources.size());
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
