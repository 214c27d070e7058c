package org.lifelongpulse.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * A Prometheus server of its own, as a local process: loopback only, a free port, its data under
 * the given directory, and a generated configuration that scrapes the given {@code host:port}
 * targets (e.g. {@link LocalFlinkCluster}'s reporters) every {@code scrapeInterval}.
 *
 * <p>The targets live in a file-based service discovery file that Prometheus watches, so {@link
 * #scrape} can change them (a TaskManager replaced) without a restart. Debian's {@code prometheus}
 * package also installs a system service on port 9090; nothing here uses or needs it.
 */
public final class PrometheusServer implements AutoCloseable {

    /** Environment variable naming the prometheus binary, overriding the search. */
    public static final String BINARY_ENV = "PULSE_PROMETHEUS_BIN";

    /** The scrape job's name: the {@code job} label of every series scraped. */
    public static final String SCRAPE_JOB = "flink";

    private static final long READY_MILLIS = 60_000;

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Path dir;
    private final String url;
    private final Process process;
    private final ManagedProcess managed;

    private PrometheusServer(Path dir, String url, Process process) {
        this.dir = dir;
        this.url = url;
        this.process = process;
        this.managed = ManagedProcess.of("prometheus", process);
    }

    /**
     * Writes the configuration under {@code dir}, starts Prometheus on a free loopback port and
     * waits until it is ready ({@code /-/ready}).
     *
     * @param targets {@code host:port} of each endpoint to scrape ({@code /metrics})
     * @param scrapeInterval how often each target is scraped (whole seconds, at least one)
     */
    public static PrometheusServer start(
            Path dir, List<String> targets, Duration scrapeInterval, Consumer<String> progress) {
        if (scrapeInterval.toSeconds() < 1) {
            throw new IllegalArgumentException("scrape interval below one second");
        }
        Path home = dir.toAbsolutePath().normalize();
        List<String> command = new ArrayList<>();
        command.add(binary().toString());
        int port = FreePorts.pick();
        Path log = home.resolve("prometheus.log");
        try {
            Files.createDirectories(home.resolve("data"));
            writeTargets(home, targets);
            Files.writeString(home.resolve("prometheus.yml"), config(home, scrapeInterval));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        command.add("--config.file=" + home.resolve("prometheus.yml"));
        command.add("--storage.tsdb.path=" + home.resolve("data"));
        command.add("--storage.tsdb.retention.time=1d");
        command.add("--web.listen-address=127.0.0.1:" + port);
        command.add("--log.level=info");
        String url = "http://127.0.0.1:" + port;
        progress.accept(
                "starting Prometheus on "
                        + url
                        + ", scraping "
                        + targets.size()
                        + " target(s) every "
                        + scrapeInterval.toSeconds()
                        + " s");
        Process process = Processes.startDetached(command, home, log);
        PrometheusServer server = new PrometheusServer(home, url, process);
        try {
            Processes.awaitReady("Prometheus", process, log, READY_MILLIS, server::ready);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** The base URL of the HTTP API, e.g. {@code http://127.0.0.1:40123}. */
    public String url() {
        return url;
    }

    public ManagedProcess process() {
        return managed;
    }

    /** Replaces the scraped targets; Prometheus picks the change up from its watched file. */
    public void scrape(List<String> targets) {
        try {
            writeTargets(dir, targets);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The raw JSON answer of the instant query API ({@code /api/v1/query}) for an expression, at
     * the server's current time; an error answer (HTTP 400/422, e.g. a syntax error) is returned as
     * well, since its body says what is wrong.
     */
    public String query(String promql) {
        return get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8), 30);
    }

    /** The raw JSON answer of {@code /api/v1/targets}: each target's health and last error. */
    public String targets() {
        return get("/api/v1/targets", 10);
    }

    /** Stops the server (SIGTERM, then SIGKILL after 10 s); its data stays in the directory. */
    @Override
    public void close() {
        managed.stop(Duration.ofSeconds(10));
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }

    private boolean ready() {
        try {
            HttpResponse<String> response =
                    HTTP.send(
                            HttpRequest.newBuilder(URI.create(url + "/-/ready"))
                                    .timeout(Duration.ofSeconds(2))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String get(String pathAndQuery, int timeoutSeconds) {
        try {
            return HTTP.send(
                            HttpRequest.newBuilder(URI.create(url + pathAndQuery))
                                    .timeout(Duration.ofSeconds(timeoutSeconds))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (IOException e) {
            throw new StackException("Prometheus at " + url + " did not answer: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while asking Prometheus", e);
        }
    }

    /**
     * One scrape job over the file of targets. The scrape timeout equals the interval (it may not
     * exceed it); the file is re-read as soon as it changes.
     */
    static String config(Path home, Duration scrapeInterval) {
        long seconds = scrapeInterval.toSeconds();
        return """
        # Written by the Lifelong Pulse local stack; rewritten at every start.
        global:
          scrape_interval: %1$ds
          scrape_timeout: %1$ds
          evaluation_interval: %1$ds
        scrape_configs:
          - job_name: %2$s
            metrics_path: /metrics
            file_sd_configs:
              - files:
                  - %3$s
                refresh_interval: %1$ds
        """
                .formatted(seconds, SCRAPE_JOB, home.resolve("targets.json"));
    }

    /** Written to a temporary file and moved, so Prometheus never reads half a file. */
    private static void writeTargets(Path home, List<String> targets) throws IOException {
        for (String target : targets) {
            if (!target.matches("[\\w.\\-]+:\\d+")) {
                throw new IllegalArgumentException("not a host:port target: " + target);
            }
        }
        String json =
                "[{\"targets\": ["
                        + targets.stream()
                                .map(t -> "\"" + t + "\"")
                                .collect(Collectors.joining(", "))
                        + "]}]\n";
        Path tmp = home.resolve("targets.json.tmp");
        Files.writeString(tmp, json);
        Files.move(
                tmp,
                home.resolve("targets.json"),
                StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * The prometheus binary: {@value #BINARY_ENV}, else on PATH, /usr/bin or /usr/local/bin; its
     * {@code promtool} lies beside it.
     */
    public static Path binary() {
        return findBinary()
                .orElseThrow(
                        () ->
                                new StackException(
                                        String.join(
                                                "\n",
                                                "No prometheus binary was found (looked for $"
                                                        + BINARY_ENV
                                                        + ", then prometheus on PATH,"
                                                        + " /usr/bin, /usr/local/bin).",
                                                "Install one of:",
                                                "  - Debian/Ubuntu: sudo apt-get install -y"
                                                        + " --no-install-recommends prometheus",
                                                "    (`./pulse test` does this for you when run"
                                                        + " as root on a machine with apt)",
                                                "  - any Linux/macOS: a release from"
                                                        + " prometheus.io; then export "
                                                        + BINARY_ENV
                                                        + "=/path/to/prometheus")));
    }

    static Optional<Path> findBinary() {
        String override = System.getenv(BINARY_ENV);
        if (override != null && !override.isBlank()) {
            Path bin = Path.of(override);
            if (!Files.isExecutable(bin)) {
                throw new StackException(
                        BINARY_ENV + "=" + override + " is not an executable file");
            }
            return Optional.of(bin);
        }
        List<Path> dirs = new ArrayList<>();
        for (String entry : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!entry.isBlank()) {
                dirs.add(Path.of(entry));
            }
        }
        dirs.addAll(List.of(Path.of("/usr/bin"), Path.of("/usr/local/bin")));
        return dirs.stream()
                .map(d -> d.resolve("prometheus"))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
