package org.lifelongpulse.cli.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.lifelongpulse.adapters.clickhouse.ClickHouseException;
import org.lifelongpulse.cli.snapshot.Dashboard.Panel;
import org.lifelongpulse.cli.snapshot.Dashboard.Target;
import org.lifelongpulse.ops.clickhouse.GrafanaMacros;
import org.lifelongpulse.ops.clickhouse.GrafanaMacros.Variable;

/**
 * Runs a Grafana dashboard's SQL ({@code dashboards/*.json}, the ClickHouse plugin's {@code rawSql}
 * targets) through a query function, as Grafana would: variables at their defaults, macros expanded
 * by {@link GrafanaMacros}.
 */
public final class DashboardQueries {

    private DashboardQueries() {}

    /**
     * The dashboard's variables as Grafana defaults them: All where the variable offers it, else
     * the first option of its query, or {@code institution} for the variable of that name when
     * given.
     *
     * @param bare macros without variables, for the variables' own queries
     * @param institution the institution to show, or null for the first
     */
    public static List<Variable> defaultVariables(
            JsonNode dashboard,
            GrafanaMacros bare,
            Function<String, QueryResult> query,
            String institution) {
        List<Variable> out = new ArrayList<>();
        for (JsonNode v : dashboard.path("templating").path("list")) {
            String name = v.path("name").asText();
            List<String> options = new ArrayList<>();
            for (List<String> row :
                    query.apply(bare.expand(v.path("query").path("rawSql").asText())).rows()) {
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

    /**
     * Whether any panel has SQL to run. The snapshot reads ClickHouse only: a dashboard of another
     * data source (Flink Runtime, whose PromQL needs a Prometheus) is left out of it.
     */
    public static boolean hasSql(JsonNode dashboard) {
        for (JsonNode panel : dashboard.path("panels")) {
            if (panelHasSql(panel)) {
                return true;
            }
            for (JsonNode nested : panel.path("panels")) {
                if (panelHasSql(nested)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean panelHasSql(JsonNode panel) {
        for (JsonNode target : panel.path("targets")) {
            if (!target.path("rawSql").asText().isBlank()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Every panel's queries, a row's nested panels right after the row; a query ClickHouse refuses
     * becomes a failed target, the others still run.
     */
    public static Dashboard run(
            JsonNode dashboard, GrafanaMacros macros, Function<String, QueryResult> query) {
        List<Panel> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            panels.add(panel(panel, macros, query));
            for (JsonNode nested : panel.path("panels")) {
                panels.add(panel(nested, macros, query));
            }
        }
        return new Dashboard(
                dashboard.path("title").asText(), dashboard.path("description").asText(), panels);
    }

    private static Panel panel(
            JsonNode panel, GrafanaMacros macros, Function<String, QueryResult> query) {
        String type = panel.path("type").asText();
        List<Target> targets = new ArrayList<>();
        if (!type.equals("row") && !type.equals("text")) {
            for (JsonNode target : panel.path("targets")) {
                // the plugin's format 0 is a time series, 1 a table
                boolean timeSeries = target.path("format").asInt() == 0;
                try {
                    targets.add(
                            Target.of(
                                    timeSeries,
                                    query.apply(macros.expand(target.path("rawSql").asText()))));
                } catch (ClickHouseException e) {
                    targets.add(Target.failed(e.getMessage()));
                }
            }
        }
        return new Panel(
                type,
                panel.path("title").asText(),
                panel.path("options").path("content").asText(),
                targets);
    }
}
