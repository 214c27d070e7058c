package org.lifelongpulse.cli.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** A running job's figures from Flink's REST API: restarts, and events dropped as late. */
public final class JobMetrics {

    /** Metric names whose sum over every operator must stay 0 when nothing is lost. */
    public static final List<String> DROPPED =
            List.of("numLateRecordsDropped", "eventsDroppedBehindWatermark");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String restUrl;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public JobMetrics(String restUrl) {
        this.restUrl = restUrl;
    }

    /**
     * Whether the job runs with every subtask RUNNING on a TaskManager other than those named (by
     * resource id): after a TaskManager is killed, its subtasks look RUNNING until the JobManager
     * notices, and only their redeployment elsewhere means recovery.
     */
    public boolean allSubtasksRunningOutside(String jobId, Set<String> lostTaskManagers) {
        JsonNode job = get("/jobs/" + jobId);
        if (!"RUNNING".equals(job.path("state").asText())) {
            return false;
        }
        for (JsonNode vertex : job.path("vertices")) {
            JsonNode detail = get("/jobs/" + jobId + "/vertices/" + vertex.path("id").asText());
            for (JsonNode subtask : detail.path("subtasks")) {
                if (!"RUNNING".equals(subtask.path("status").asText())
                        || lostTaskManagers.contains(subtask.path("taskmanager-id").asText())) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * One line per vertex that is not RUNNING everywhere: its status per subtask and where, for an
     * error message that says what did not recover.
     */
    public String describe(String jobId) {
        try {
            JsonNode job = get("/jobs/" + jobId);
            StringBuilder out =
                    new StringBuilder(job.path("name").asText() + " " + job.path("state").asText());
            for (JsonNode vertex : job.path("vertices")) {
                JsonNode detail = get("/jobs/" + jobId + "/vertices/" + vertex.path("id").asText());
                List<String> subtasks = new ArrayList<>();
                for (JsonNode subtask : detail.path("subtasks")) {
                    subtasks.add(
                            subtask.path("status").asText()
                                    + "@"
                                    + subtask.path("taskmanager-id").asText("?"));
                }
                out.append("\n  ")
                        .append(vertex.path("name").asText())
                        .append(": ")
                        .append(String.join(", ", subtasks));
            }
            JsonNode exceptions = get("/jobs/" + jobId + "/exceptions?maxExceptions=1");
            JsonNode latest = exceptions.path("exceptionHistory").path("entries").path(0);
            if (!latest.isMissingNode()) {
                out.append("\n  latest failure: ")
                        .append(latest.path("exceptionName").asText())
                        .append(" on ")
                        .append(latest.path("taskManagerId").asText("?"));
            }
            return out.toString();
        } catch (IllegalStateException restUnavailable) {
            return jobId + ": " + restUnavailable.getMessage();
        }
    }

    /** How often the job restarted since it was submitted. */
    public long restarts(String jobId) {
        for (JsonNode m : get("/jobs/" + jobId + "/metrics?get=numRestarts")) {
            return (long) Double.parseDouble(m.path("value").asText("0"));
        }
        return 0;
    }

    /** The sum over every operator of every subtask of the metrics ending in {@code name}. */
    public long sum(String jobId, String name) {
        long total = 0;
        for (JsonNode vertex : get("/jobs/" + jobId).path("vertices")) {
            String base =
                    "/jobs/"
                            + jobId
                            + "/vertices/"
                            + vertex.path("id").asText()
                            + "/subtasks/metrics";
            List<String> ids = new ArrayList<>();
            for (JsonNode m : get(base)) {
                String id = m.path("id").asText();
                if (id.equals(name) || id.endsWith("." + name)) {
                    ids.add(id);
                }
            }
            if (ids.isEmpty()) {
                continue;
            }
            String query = URLEncoder.encode(String.join(",", ids), StandardCharsets.UTF_8);
            for (JsonNode m : get(base + "?agg=sum&get=" + query)) {
                total += (long) m.path("sum").asDouble();
            }
        }
        return total;
    }

    /** Sum of every {@link #DROPPED} metric. */
    public long dropped(String jobId) {
        long total = 0;
        for (String name : DROPPED) {
            total += sum(jobId, name);
        }
        return total;
    }

    private JsonNode get(String path) {
        try {
            HttpResponse<String> response =
                    http.send(
                            HttpRequest.newBuilder(URI.create(restUrl + path))
                                    .timeout(Duration.ofSeconds(10))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(
                        "Flink REST "
                                + path
                                + " answered "
                                + response.statusCode()
                                + ": "
                                + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("Flink REST " + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
