package org.lifelongpulse.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.lifelongpulse.dashboards.DashboardQueryChecks.Check;
import org.lifelongpulse.dashboards.Dashboards.Dashboard;
import org.lifelongpulse.dashboards.Dashboards.PromQuery;
import org.lifelongpulse.stack.PrometheusServer;

/**
 * Runs every Prometheus target of every dashboard as Grafana would send it — its variables and
 * interval macros expanded — as an instant query on a real Prometheus, and checks that each returns
 * at least one series with a number (not NaN). A failure names the dashboard, the panel, the refId
 * and the expanded PromQL.
 *
 * <p>Variables are expanded as Grafana's Prometheus data source does: a single value as it is,
 * several (or "All", meaning every option) as a regular expression {@code (a|b)} of the values
 * escaped, for the {@code =~} matchers the dashboards use. A variable's options come from its
 * {@code label_values(metric, label)} query.
 */
public final class PromQueryChecks {

    private static final Pattern LABEL_VALUES =
            Pattern.compile("label_values\\(\\s*(.+?)\\s*,\\s*(\\w+)\\s*\\)");
    private static final Pattern VARIABLE =
            Pattern.compile("\\$\\{(\\w+)(?::(\\w+))?}|\\$(\\w+)|\\[\\[(\\w+)]]");

    private final PrometheusServer prometheus;
    private final Duration rateInterval;
    private final Duration range;
    private final List<Dashboard> dashboards =
            Dashboards.all().stream().filter(d -> !d.promQueries().isEmpty()).toList();

    private PromQueryChecks(PrometheusServer prometheus, Duration rateInterval, Duration range) {
        this.prometheus = prometheus;
        this.rateInterval = rateInterval;
        this.range = range;
    }

    /**
     * Checks on this server.
     *
     * @param rateInterval what {@code $__interval} and {@code $__rate_interval} become: at least
     *     four scrape intervals, as Grafana picks it, so that {@code rate()} has samples
     * @param range what {@code $__range} becomes: the dashboard's time range
     */
    public static PromQueryChecks on(
            PrometheusServer prometheus, Duration rateInterval, Duration range) {
        return new PromQueryChecks(prometheus, rateInterval, range);
    }

    /** The dashboards with Prometheus panels (at least one). */
    public List<String> dashboardUids() {
        assertThat(dashboards).as("dashboards with Prometheus panels").isNotEmpty();
        return dashboards.stream().map(Dashboard::uid).toList();
    }

    /** Every Prometheus variable offers at least one option. */
    public List<Check> variables() {
        List<Check> checks = new ArrayList<>();
        for (Dashboard d : dashboards) {
            for (JsonNode variable : d.promVariables()) {
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
     * Every Prometheus target with these variable values: a variable not in {@code chosen} is "All"
     * (it must offer "All"); chosen values must be among the variable's options.
     */
    public List<Check> panels(Map<String, List<String>> chosen) {
        List<Check> checks = new ArrayList<>();
        String selection = chosen.isEmpty() ? "All" : chosen.toString();
        for (Dashboard d : dashboards) {
            for (PromQuery q : d.promQueries()) {
                checks.add(
                        new Check(
                                q + " with " + selection,
                                () -> {
                                    String expr = expand(d, q.expr(), chosen);
                                    JsonNode result = result(expr, q.toString());
                                    assertThat(numbers(result))
                                            .as(
                                                    q
                                                            + " with "
                                                            + selection
                                                            + ": no series with a number for\n"
                                                            + "    "
                                                            + expr
                                                            + "\n    answer: "
                                                            + result
                                                            + "\n    scrapes: "
                                                            + scrapes())
                                            .isPositive();
                                }));
            }
        }
        return checks;
    }

    /** The options of a variable, sorted: the label's values on the series of its metric. */
    public List<String> options(String dashboardUid, String variableName) {
        Dashboard d =
                dashboards.stream()
                        .filter(x -> x.uid().equals(dashboardUid))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no dashboard " + dashboardUid));
        return options(
                d.promVariables().stream()
                        .filter(v -> v.path("name").asText().equals(variableName))
                        .findFirst()
                        .orElseThrow(
                                () ->
                                        new AssertionError(
                                                "no variable $"
                                                        + variableName
                                                        + " in "
                                                        + dashboardUid)));
    }

    /**
     * The series one panel target returns with these variable values, as {@code data.result} of the
     * instant query API: an array of {@code {"metric": {labels}, "value": [time, "v"]}}.
     */
    public JsonNode series(String dashboardUid, String queryKey, Map<String, List<String>> chosen) {
        Dashboard d =
                dashboards.stream()
                        .filter(x -> x.uid().equals(dashboardUid))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no dashboard " + dashboardUid));
        PromQuery q =
                d.promQueries().stream()
                        .filter(x -> x.key().equals(queryKey))
                        .findFirst()
                        .orElseThrow(
                                () ->
                                        new AssertionError(
                                                "no query " + queryKey + " in " + dashboardUid));
        return result(expand(d, q.expr(), chosen), q.toString());
    }

    /** {@code data.result} of an instant query; an error answer fails with its message. */
    public JsonNode result(String promql, String what) {
        String body = prometheus.query(promql);
        JsonNode answer;
        try {
            answer = Dashboards.JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Prometheus answered no JSON for " + what + ": " + body, e);
        }
        if (!"success".equals(answer.path("status").asText())) {
            throw new AssertionError(
                    what
                            + " failed on Prometheus: "
                            + answer.path("errorType").asText()
                            + ": "
                            + answer.path("error").asText()
                            + "\n    "
                            + promql);
        }
        assertThat(answer.path("data").path("resultType").asText())
                .as(what + ": an instant vector")
                .isEqualTo("vector");
        return answer.path("data").path("result");
    }

    /** Whether each target's last scrape succeeded: a failed one leaves its series stale. */
    private String scrapes() {
        List<String> up = new ArrayList<>();
        for (JsonNode series : result("up", "up")) {
            up.add(
                    series.path("metric").path("instance").asText()
                            + (value(series) == 1 ? " up" : " DOWN"));
        }
        return String.join(", ", up);
    }

    /** The value of one series of an instant query's result, as a number. */
    public static double value(JsonNode series) {
        return Double.parseDouble(series.path("value").path(1).asText());
    }

    private static long numbers(JsonNode result) {
        long count = 0;
        for (JsonNode series : result) {
            if (!Double.isNaN(value(series))) {
                count++;
            }
        }
        return count;
    }

    private List<String> options(JsonNode variable) {
        String query = variable.path("query").path("query").asText();
        Matcher m = LABEL_VALUES.matcher(query);
        assertThat(m.matches())
                .as("$" + variable.path("name").asText() + " is label_values(metric, label)")
                .isTrue();
        String label = m.group(2);
        // label_values(metric, label) as an instant query: one series per value of the label.
        JsonNode result =
                result(
                        "count by (" + label + ") (" + m.group(1) + ")",
                        "$" + variable.path("name").asText());
        TreeSet<String> values = new TreeSet<>();
        result.forEach(s -> values.add(s.path("metric").path(label).asText()));
        values.remove("");
        return List.copyOf(values);
    }

    /** The expression as Grafana sends it for this selection. */
    String expand(Dashboard d, String expr, Map<String, List<String>> chosen) {
        String out =
                expr.replace("$__rate_interval", promDuration(rateInterval))
                        .replace("$__interval", promDuration(rateInterval))
                        .replace("$__range", promDuration(range));
        assertThat(out).as(d.uid() + ": a macro left in " + out).doesNotContain("$__");
        Matcher m = VARIABLE.matcher(out);
        StringBuilder expanded = new StringBuilder();
        while (m.find()) {
            String name =
                    m.group(1) != null ? m.group(1) : m.group(3) != null ? m.group(3) : m.group(4);
            JsonNode variable =
                    d.promVariables().stream()
                            .filter(v -> v.path("name").asText().equals(name))
                            .findFirst()
                            .orElseThrow(
                                    () ->
                                            new AssertionError(
                                                    d.uid()
                                                            + ": no variable $"
                                                            + name
                                                            + " in "
                                                            + expr));
            m.appendReplacement(expanded, Matcher.quoteReplacement(format(variable, chosen)));
        }
        m.appendTail(expanded);
        return expanded.toString();
    }

    private String format(JsonNode variable, Map<String, List<String>> chosen) {
        String name = variable.path("name").asText();
        List<String> options = options(variable);
        List<String> values = chosen.get(name);
        if (values == null) {
            assertThat(variable.path("includeAll").asBoolean())
                    .as("$" + name + " has no \"All\": choose a value")
                    .isTrue();
            assertThat(
                            variable.path("allValue").isMissingNode()
                                    || variable.path("allValue").isNull())
                    .as("$" + name + ": \"All\" means every option (no allValue)")
                    .isTrue();
            values = options;
        } else {
            assertThat(options).as("$" + name + " offers " + values).containsAll(values);
        }
        boolean multi =
                variable.path("multi").asBoolean() || variable.path("includeAll").asBoolean();
        if (!multi) {
            return values.get(0);
        }
        List<String> escaped = values.stream().map(PromQueryChecks::regexEscape).toList();
        return escaped.size() == 1 ? escaped.get(0) : "(" + String.join("|", escaped) + ")";
    }

    /** Grafana's escaping of a value inside a PromQL regular expression string. */
    static String regexEscape(String value) {
        StringBuilder out = new StringBuilder();
        for (char c : value.toCharArray()) {
            if ("\\^$*+?.()|{}[]".indexOf(c) >= 0) {
                out.append("\\\\"); // a backslash for the regex, doubled for the PromQL string
            } else if (c == '\'' || c == '"') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    /** A Prometheus duration: whole seconds. */
    static String promDuration(Duration d) {
        return Math.max(1, d.toSeconds()) + "s";
    }
}
