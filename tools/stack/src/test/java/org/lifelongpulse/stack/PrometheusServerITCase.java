package org.lifelongpulse.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The installed prometheus binary, run by {@link PrometheusServer}: it scrapes the targets it is
 * given (two tiny exporters here, each serving one known sample), takes a new set of targets
 * without a restart, keeps its data in its own directory, and stops.
 */
class PrometheusServerITCase {

    @TempDir Path workDir;

    @Test
    void scrapesItsTargetsAndFollowsAChangeOfTargets() throws IOException {
        HttpServer first = exporter("pulse_test_value 42\n");
        HttpServer second = exporter("pulse_test_value 7\n");
        PrometheusServer prometheus = null;
        try {
            prometheus =
                    PrometheusServer.start(
                            workDir,
                            List.of(target(first)),
                            Duration.ofSeconds(1),
                            line -> System.out.println("[prometheus] " + line));
            PrometheusServer p = prometheus;
            assertThat(p.url()).startsWith("http://127.0.0.1:");
            assertThat(Files.isDirectory(workDir.resolve("data"))).isTrue();

            awaitUntil(
                    "the first exporter's sample",
                    () -> p.query("pulse_test_value").contains("\"42\""));
            assertThat(p.query("pulse_test_value"))
                    .contains("\"instance\":\"" + target(first) + "\"")
                    .contains("\"job\":\"" + PrometheusServer.SCRAPE_JOB + "\"");

            p.scrape(List.of(target(second)));
            awaitUntil(
                    "only the second exporter is scraped",
                    () ->
                            p.targets().contains(target(second))
                                    && !p.targets().contains(target(first)));
            awaitUntil(
                    "the second exporter's sample",
                    () -> p.query("pulse_test_value").contains("\"7\""));

            assertThat(p.query("sum(")).contains("\"status\":\"error\"");
        } finally {
            if (prometheus != null) {
                prometheus.close();
                assertThat(prometheus.process().isAlive()).isFalse();
            }
            first.stop(0);
            second.stop(0);
        }
    }

    @Test
    void aTargetIsHostAndPort() {
        assertThat(
                        catchThrowable(
                                () ->
                                        PrometheusServer.start(
                                                workDir,
                                                List.of("http://127.0.0.1:1/metrics"),
                                                Duration.ofSeconds(1),
                                                line -> {})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("host:port");
    }

    private static HttpServer exporter(String body) throws IOException {
        HttpServer server =
                HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.createContext(
                "/metrics",
                exchange -> {
                    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
                    exchange.sendResponseHeaders(200, bytes.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(bytes);
                    }
                });
        server.start();
        return server;
    }

    private static String target(HttpServer server) {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    private static void awaitUntil(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after 60 s waiting until " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        }
    }
}
