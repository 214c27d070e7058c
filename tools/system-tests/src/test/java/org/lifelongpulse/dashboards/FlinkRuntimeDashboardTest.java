package org.lifelongpulse.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.lifelongpulse.dashboards.Dashboards.Dashboard;
import org.lifelongpulse.dashboards.Dashboards.PromQuery;

/**
 * The Flink Runtime dashboard as data, without servers: every panel reads the provisioned
 * Prometheus data source, shows what the operators asked for, and filters by the {@code $job}
 * variable. That each of its queries returns series from a running job is {@code
 * FlinkRuntimeDashboardITCase}'s part.
 */
class FlinkRuntimeDashboardTest {

    private static final String UID = "pulse-flink-runtime";

    /** A metric selector: the metric's name and its label matchers, if any. */
    private static final Pattern SELECTOR = Pattern.compile("\\b(flink_\\w+)(\\{[^}]*})?");

    private static final Pattern RANGE = Pattern.compile("\\[([^\\]]+)]");

    /** What the issue asks the dashboard to show, and the Flink metric that shows it. */
    private static final Map<String, String> ASKED = new LinkedHashMap<>();

    static {
        ASKED.put("checkpoint duration", "flink_jobmanager_job_lastCheckpointDuration");
        ASKED.put("checkpoint size", "flink_jobmanager_job_lastCheckpointSize");
        ASKED.put("checkpoint failures", "flink_jobmanager_job_numberOfFailedCheckpoints");
        ASKED.put("restarts", "flink_jobmanager_job_numRestarts");
        ASKED.put("Kafka consumer lag", "flink_taskmanager_job_task_operator_pendingRecords");
        ASKED.put(
                "Kafka lag per topic",
                "flink_taskmanager_job_task_operator_KafkaSourceReader_topic_partition_currentOffset");
        ASKED.put("watermark delay", "flink_taskmanager_job_task_operator_watermarkLag");
        ASKED.put("busy time", "flink_taskmanager_job_task_busyTimeMsPerSecond");
        ASKED.put("back-pressure", "flink_taskmanager_job_task_backPressuredTimeMsPerSecond");
        ASKED.put("sink retries", "flink_taskmanager_job_task_operator_insertRetries");
        ASKED.put("sink failures", "flink_taskmanager_job_task_operator_insertFailures");
        ASKED.put("rows dead-lettered", "flink_taskmanager_job_task_operator_rowsDeadLettered");
    }

    private final Dashboard dashboard =
            Dashboards.all().stream()
                    .filter(d -> d.uid().equals(UID))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no dashboard " + UID));

    private final String prometheusUid = Dashboards.prometheusDataSource().path("uid").asText();

    @Test
    void everyPanelReadsTheProvisionedPrometheusAndNothingElse() {
        assertThat(dashboard.file().getFileName().toString()).isEqualTo("flink-runtime.json");
        assertThat(dashboard.json().path("tags").toString()).contains("lifelong-pulse");
        assertThat(dashboard.queries()).as("no ClickHouse SQL").isEmpty();
        assertThat(dashboard.promQueries()).hasSizeGreaterThanOrEqualTo(ASKED.size());
        for (JsonNode panel : dashboard.panels()) {
            if (panel.has("targets")) {
                assertThat(panel.path("datasource").path("uid").asText())
                        .as(panel.path("title").asText())
                        .isEqualTo(prometheusUid);
                for (JsonNode target : panel.path("targets")) {
                    assertThat(Dashboards.targetType(panel, target))
                            .isEqualTo(Dashboards.PROMETHEUS);
                    assertThat(target.path("datasource").path("uid").asText())
                            .isEqualTo(prometheusUid);
                    assertThat(target.path("legendFormat").asText())
                            .as(panel.path("title").asText() + ": a legend naming the series")
                            .contains("{{job_name}}");
                }
            }
        }
    }

    @Test
    void theDashboardShowsEveryMetricTheOperatorsAskedFor() {
        List<String> missing = new ArrayList<>();
        ASKED.forEach(
                (what, metric) -> {
                    boolean shown =
                            dashboard.promQueries().stream()
                                    .anyMatch(q -> metricNames(q.expr()).contains(metric));
                    if (!shown) {
                        missing.add(what + " (" + metric + ")");
                    }
                });
        assertThat(missing).as("asked for, on no panel").isEmpty();
    }

    @Test
    void everySelectorIsFilteredByTheJobVariableAndEveryRateByTheRateInterval() {
        List<String> offences = new ArrayList<>();
        for (PromQuery q : dashboard.promQueries()) {
            Matcher m = SELECTOR.matcher(q.expr());
            while (m.find()) {
                String matchers = m.group(2) == null ? "" : m.group(2);
                if (!matchers.contains("job_name=~\"$job\"")) {
                    offences.add(q + ": " + m.group(1) + " is not filtered by $job");
                }
            }
            Matcher range = RANGE.matcher(q.expr());
            while (range.find()) {
                if (!range.group(1).equals("$__rate_interval")) {
                    offences.add(q + ": range [" + range.group(1) + "] is not $__rate_interval");
                }
            }
        }
        assertThat(offences).isEmpty();
    }

    @Test
    void theJobVariableListsTheJobsTheJobManagerReports() {
        assertThat(dashboard.variables()).as("no ClickHouse variables").isEmpty();
        List<JsonNode> variables = dashboard.promVariables();
        assertThat(variables).hasSize(1);
        JsonNode job = variables.get(0);
        assertThat(job.path("name").asText()).isEqualTo("job");
        assertThat(job.path("datasource").path("uid").asText()).isEqualTo(prometheusUid);
        assertThat(job.path("query").path("query").asText())
                .isEqualTo("label_values(flink_jobmanager_job_numRestarts, job_name)")
                .isEqualTo(job.path("definition").asText());
        assertThat(job.path("multi").asBoolean()).isTrue();
        assertThat(job.path("includeAll").asBoolean()).isTrue();
        assertThat(job.has("allValue")).as("\"All\" means the jobs listed").isFalse();
    }

    @Test
    void valuesAreEscapedForARegularExpressionAsGrafanaDoes() {
        assertThat(PromQueryChecks.regexEscape("fund-risk")).isEqualTo("fund-risk");
        assertThat(PromQueryChecks.regexEscape("a.b(c)")).isEqualTo("a\\\\.b\\\\(c\\\\)");
        assertThat(PromQueryChecks.regexEscape("it's")).isEqualTo("it\\'s");
    }

    private static List<String> metricNames(String expr) {
        List<String> names = new ArrayList<>();
        Matcher m = SELECTOR.matcher(expr);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
