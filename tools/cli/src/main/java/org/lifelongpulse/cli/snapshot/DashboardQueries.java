package org.lifelongpulse.cli.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import org.lifelongpulse.adapters.clickhouse.ClickHouseException;
import org.lifelongpulse.cli.snapshot.Dashboard.Panel;
import org.lifelongpulse.cli.snapshot.Dashboard.Target;
import org.lifelongpulse.ops.clickhouse.GrafanaMacros;
import org.lifelongpulse.ops.clickhouse.GrafanaMacros.Variable;

/**
 * Runs a Grafana dashboard's SQL ({@code dashboards/*.json}, the ClickHouse plugin's {@code rawSql}
 * targets) through a query function, as Grafana would: variables at their defaults, macros expanded
 * by {@link GrafanaMacros}. Panels and variables of another data source (a Prometheus panel, say)
 * are recognised and left alone: ClickHouse cannot answer them.
 */
public final class DashboardQueries {

    /** The Grafana plugin id of the ClickHouse data source the dashboards are provisioned with. */
    public static final String CLICKHOUSE_PLUGIN = "grafana-clickhouse-datasource";

    private DashboardQueries() {}

    /**
     * One option of a variable: the value that goes into the SQL and the text shown for it (the
     * plugin's convention: first column the value, second, when there is one, the label).
     */
    public record Option(String value, String label) {}

    /**
     * The dashboard's variables as Grafana defaults them: All where the variable offers it, else
     * the first option of its query, or {@code institution} for the variable of that name when
     * given; a text box its default value. A variable may use the ones before it; variables of
     * another data source are left out.
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
            if (isTextBox(v)) {
                out.add(Variable.of(v.path("name").asText(), textBoxDefault(v)));
                continue;
            }
            if (dataSourceNeeded(v) != null) {
                continue;
            }
            String name = v.path("name").asText();
            GrafanaMacros sofar = new GrafanaMacros(bare.from(), bare.to(), bare.interval(), out);
            List<String> options = options(v, sofar, query).stream().map(Option::value).toList();
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

    /** Whether a variable is a text box: typed in by the viewer, no query behind it. */
    public static boolean isTextBox(JsonNode variable) {
        return "textbox".equals(variable.path("type").asText());
    }

    /** A text box's default value: Grafana keeps it in the variable's {@code query}. */
    public static String textBoxDefault(JsonNode variable) {
        return variable.path("query").isTextual() ? variable.path("query").asText() : "";
    }

    /**
     * A variable's options, from its own query with {@code macros} (the time range and the
     * variables before it); each value once, in the query's order.
     */
    public static List<Option> options(
            JsonNode variable, GrafanaMacros macros, Function<String, QueryResult> query) {
        Set<String> seen = new LinkedHashSet<>();
        List<Option> out = new ArrayList<>();
        for (List<String> row :
                query.apply(macros.expand(variable.path("query").path("rawSql").asText())).rows()) {
            if (seen.add(row.get(0))) {
                out.add(new Option(row.get(0), row.size() > 1 ? row.get(1) : row.get(0)));
            }
        }
        return out;
    }

    /**
     * Every panel's queries, a row's nested panels right after the row; a query ClickHouse refuses
     * becomes a failed target, the others still run. Titles get their variables, as in Grafana.
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

    /**
     * The data source a panel or variable needs when it is not this ClickHouse, as people name it
     * ({@code Prometheus}); null when ClickHouse answers it. A panel without a data source of its
     * own uses its targets' or, failing those, the default one (ClickHouse, the only data source
     * provisioned) when its targets are SQL.
     */
    public static String dataSourceNeeded(JsonNode panelOrVariable) {
        String own = dataSourceType(panelOrVariable.path("datasource"));
        if (own == null) {
            for (JsonNode target : panelOrVariable.path("targets")) {
                own = dataSourceType(target.path("datasource"));
                if (own != null) {
                    break;
                }
            }
        }
        if (own == null) {
            // no data source named: the default (ClickHouse) when the queries are its SQL
            boolean sql = panelOrVariable.path("query").hasNonNull("rawSql");
            for (JsonNode target : panelOrVariable.path("targets")) {
                sql = target.hasNonNull("rawSql");
                if (!sql) {
                    break;
                }
            }
            own =
                    sql
                            ? CLICKHOUSE_PLUGIN
                            : panelOrVariable.findValue("expr") != null
                                    ? "prometheus"
                                    : "another data source";
        }
        return switch (own) {
            case CLICKHOUSE_PLUGIN -> null;
            case "prometheus" -> "Prometheus";
            case "loki" -> "Loki";
            default -> own;
        };
    }

    /**
     * The plugin type a {@code datasource} field names, or null when it names none: an object with
     * a type, or (older dashboards, templated inputs) a name or uid that says what it is.
     */
    private static String dataSourceType(JsonNode datasource) {
        if (datasource.isMissingNode() || datasource.isNull()) {
            return null;
        }
        if (datasource.hasNonNull("type") && !datasource.path("type").asText().isBlank()) {
            String type = datasource.path("type").asText();
            // "datasource" is Grafana's own (-- Mixed --, -- Dashboard --): look at the targets
            return type.equals("datasource") ? null : type;
        }
        String named =
                (datasource.isTextual() ? datasource.asText() : datasource.path("uid").asText())
                        .toLowerCase(Locale.ROOT);
        if (named.contains("prometheus")) {
            return "prometheus";
        }
        if (named.contains("clickhouse")) {
            return CLICKHOUSE_PLUGIN;
        }
        return named.isBlank() ? null : named;
    }

    private static Panel panel(
            JsonNode panel, GrafanaMacros macros, Function<String, QueryResult> query) {
        String type = panel.path("type").asText();
        String title = title(panel.path("title").asText(), macros);
        String content = panel.path("options").path("content").asText();
        if (type.equals("row") || type.equals("text")) {
            return new Panel(type, title, content, List.of());
        }
        String needs = dataSourceNeeded(panel);
        if (needs != null) {
            return new Panel(type, title, content, List.of(), needs);
        }
        List<Target> targets = new ArrayList<>();
        for (JsonNode target : panel.path("targets")) {
            // the plugin's format 0 is a time series, 1 a table
            boolean timeSeries = target.path("format").asInt() == 0;
            try {
                targets.add(
                        Target.of(
                                timeSeries,
                                query.apply(macros.expand(target.path("rawSql").asText()))));
            } catch (ClickHouseException | IllegalArgumentException e) {
                // refused by ClickHouse, or a variable this page does not have
                targets.add(Target.failed(e.getMessage()));
            }
        }
        return new Panel(type, title, content, targets);
    }

    /** A title with its variables as Grafana shows them; as written when one is unknown. */
    private static String title(String title, GrafanaMacros macros) {
        if (title.indexOf('$') < 0 && title.indexOf("[[") < 0) {
            return title;
        }
        try {
            return macros.expand(title);
        } catch (IllegalArgumentException unknown) {
            return title;
        }
    }
}
