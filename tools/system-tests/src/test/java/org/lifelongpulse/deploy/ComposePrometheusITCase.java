package org.lifelongpulse.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lifelongpulse.stack.ProjectTree;
import org.lifelongpulse.stack.PrometheusServer;

/**
 * The compose stack's {@code prometheus} service, executed here: its configuration ({@code
 * deploy/prometheus/prometheus.yml}) scrapes the reporter port of {@code deploy/flink/config.yaml}
 * on the JobManager and the TaskManager, {@code promtool} accepts it, and the service's own command
 * (paths mapped onto a scratch directory and a free loopback port) starts Debian's Prometheus on
 * it, which then lists exactly those targets. Grafana's provisioned data source points at it.
 */
class ComposePrometheusITCase {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Path root = ProjectTree.root();

    @TempDir Path scratch;

    @Test
    void thePrometheusServiceScrapesTheFlinkReportersAndItsCommandRuns() throws Exception {
        JsonNode compose = YAML.readTree(root.resolve("deploy/docker-compose.yml").toFile());
        JsonNode service = compose.path("services").path("prometheus");
        assertThat(service.path("image").asText()).startsWith("prom/prometheus:v3.");
        String reporterPort =
                YAML.readTree(root.resolve("deploy/flink/config.yaml").toFile())
                        .path("metrics.reporter.prom.port")
                        .asText();
        assertThat(reporterPort).as("the reporter's port in config.yaml").matches("\\d+");

        // The scrape targets are the Flink services on the reporter's port, which they expose.
        Path config = root.resolve("deploy/prometheus/prometheus.yml");
        assertThat(service.path("volumes").toString())
                .contains("./prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro");
        TreeSet<String> targets = new TreeSet<>();
        for (JsonNode job : YAML.readTree(config.toFile()).path("scrape_configs")) {
            for (JsonNode statics : job.path("static_configs")) {
                statics.path("targets").forEach(t -> targets.add(t.asText()));
            }
        }
        assertThat(targets)
                .containsExactly("jobmanager:" + reporterPort, "taskmanager:" + reporterPort);
        for (String flink : List.of("jobmanager", "taskmanager")) {
            assertThat(compose.path("services").path(flink).path("expose").toString())
                    .as(flink + " exposes the reporter's port")
                    .contains("\"" + reporterPort + "\"");
        }
        // Grafana's data source (dashboards/provisioning/datasources/prometheus.yaml) by default.
        assertThat(compose.path("services").path("grafana").path("environment").toString())
                .contains("${PULSE_PROMETHEUS_URL:-http://prometheus:9090}");
        assertThat(service.path("expose").toString()).contains("\"9090\"");

        Path prometheus = PrometheusServer.binary();
        Path promtool = prometheus.resolveSibling("promtool");
        assertThat(run(List.of(promtool.toString(), "check", "config", config.toString())))
                .contains("SUCCESS");

        // The service's command, with its container paths and port mapped onto this machine.
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(prometheus.toString()));
        for (JsonNode arg : service.path("command")) {
            command.add(
                    arg.asText()
                            .replace("/etc/prometheus/prometheus.yml", config.toString())
                            .replace("=/prometheus", "=" + scratch.resolve("data"))
                            .replace(
                                    "--web.listen-address=:9090",
                                    "--web.listen-address=127.0.0.1:" + port));
        }
        assertThat(command).contains("--web.listen-address=127.0.0.1:" + port);
        Path log = scratch.resolve("prometheus.log");
        Process process =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        try {
            String base = "http://127.0.0.1:" + port;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!get(base + "/-/ready").startsWith("Prometheus")) {
                assertThat(process.isAlive())
                        .as("prometheus runs; its log:\n" + Files.readString(log))
                        .isTrue();
                assertThat(System.nanoTime()).as("ready within 60 s").isLessThan(deadline);
                LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
            }
            // Targets are discovered just after the server is ready.
            String active = get(base + "/api/v1/targets?state=active");
            while (!active.contains("scrapeUrl") && System.nanoTime() < deadline) {
                LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
                active = get(base + "/api/v1/targets?state=active");
            }
            assertThat(active)
                    .contains("\"scrapeUrl\":\"http://jobmanager:" + reporterPort + "/metrics\"")
                    .contains("\"scrapeUrl\":\"http://taskmanager:" + reporterPort + "/metrics\"");
        } finally {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", command) + ":\n" + output).isZero();
        return output;
    }

    private static String get(String url) throws InterruptedException {
        try {
            return HTTP.send(
                            HttpRequest.newBuilder(URI.create(url))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (IOException notYet) {
            return "";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
