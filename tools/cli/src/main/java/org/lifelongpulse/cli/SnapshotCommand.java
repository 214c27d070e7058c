package org.lifelongpulse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Stream;
import org.lifelongpulse.cli.snapshot.Dashboard;
import org.lifelongpulse.cli.snapshot.DashboardQueries;
import org.lifelongpulse.cli.snapshot.QueryResult;
import org.lifelongpulse.cli.snapshot.SnapshotRenderer;
import org.lifelongpulse.cli.snapshot.TimeArgument;
import org.lifelongpulse.cli.web.HeadlessChromium;
import org.lifelongpulse.ops.clickhouse.ClickHouseHttp;
import org.lifelongpulse.ops.clickhouse.GrafanaMacros;
import org.lifelongpulse.stack.Endpoints;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./pulse snapshot}: the dashboards' panels as one self-contained HTML page, for people
 * without Grafana. It runs the SQL of {@code dashboards/*.json} itself, with the plugin's macros
 * expanded by {@link GrafanaMacros} exactly as the dashboards' test does, as the read-only account
 * ({@link DashboardQueries}); {@link SnapshotRenderer} draws the page (inline SVG charts, no
 * scripts, no network). This command reads the options, runs and writes.
 */
@Command(
        name = "snapshot",
        mixinStandardHelpOptions = true,
        description =
                "Render the Grafana dashboards' panels from ClickHouse into one"
                        + " self-contained HTML page (inline SVG charts and tables), and with"
                        + " --png into a PNG.")
final class SnapshotCommand implements Callable<Integer> {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final DateTimeFormatter LABEL =
            DateTimeFormatter.ofPattern("MM-dd HH:mm").withZone(SHANGHAI);

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Mixin StackEndpoints where;

    @Option(
            names = "--out",
            paramLabel = "FILE",
            description =
                    "The HTML file to write (default: .pulse/snapshot.html in the" + " project).")
    Path out;

    @Option(
            names = "--png",
            paramLabel = "FILE",
            description =
                    "Also render the page to this PNG through headless Chromium (Debian's"
                            + " chromium, or $PULSE_CHROMIUM).")
    Path png;

    @Option(
            names = "--from",
            paramLabel = "TIME",
            defaultValue = "now-24h",
            description =
                    "Start: ISO-8601 (2021-10-25T08:00+08:00) or now-<n>[m|h|d|w]"
                            + " (default: ${DEFAULT-VALUE}).")
    String from;

    @Option(
            names = "--to",
            paramLabel = "TIME",
            defaultValue = "now",
            description = "End, in the same forms (default: ${DEFAULT-VALUE}).")
    String to;

    @Option(
            names = "--institution",
            paramLabel = "ID",
            description = "Institution for the Fund Supervision panels (default: the first).")
    String institution;

    @Option(
            names = "--dashboards",
            paramLabel = "DIR",
            description = "Dashboard JSON folder (default: $PULSE_HOME/dashboards).")
    Path dashboards;

    @Override
    public Integer call() throws IOException {
        Instant now = Instant.now();
        Instant start = TimeArgument.parse(from, now);
        Instant end = TimeArgument.parse(to, now);
        if (!start.isBefore(end)) {
            throw new IllegalArgumentException("--from must be before --to");
        }
        Endpoints endpoints = where.resolve();
        ClickHouseHttp reader = StackEndpoints.clickHouse(endpoints, endpoints.accounts().reader());
        Function<String, QueryResult> query =
                sql ->
                        QueryResult.fromTabSeparated(
                                reader.query(sql, "TabSeparatedWithNamesAndTypes"));
        ZoneId serverZone = ZoneId.of(reader.scalar("SELECT timezone()"));
        Duration interval = GrafanaMacros.intervalFor(start, end, 120);
        GrafanaMacros bare = new GrafanaMacros(start, end, interval, List.of());
        List<Dashboard> shown = new ArrayList<>();
        for (Path file : dashboardFiles()) {
            JsonNode dashboard = new ObjectMapper().readTree(file.toFile());
            GrafanaMacros macros =
                    new GrafanaMacros(
                            start,
                            end,
                            interval,
                            DashboardQueries.defaultVariables(dashboard, bare, query, institution));
            shown.add(DashboardQueries.run(dashboard, macros, query));
        }
        String html = new SnapshotRenderer(serverZone).render(start, end, interval, now, shown);
        Path target = out != null ? out : projectHome().resolve(".pulse/snapshot.html");
        if (target.toAbsolutePath().getParent() != null) {
            Files.createDirectories(target.toAbsolutePath().getParent());
        }
        Files.writeString(target, html, StandardCharsets.UTF_8);
        Console.progress(
                "wrote "
                        + target
                        + " ("
                        + LABEL.format(start)
                        + " to "
                        + LABEL.format(end)
                        + " Asia/Shanghai, interval "
                        + interval.toMinutes()
                        + " min)");
        if (png != null) {
            HeadlessChromium chromium =
                    HeadlessChromium.find()
                            .orElseThrow(
                                    () ->
                                            new IllegalStateException(
                                                    HeadlessChromium.notInstalled()
                                                            + "; the HTML page is at "
                                                            + target));
            try {
                chromium.screenshot(target.toAbsolutePath().toUri(), png);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while Chromium rendered the page");
            }
            Console.progress("wrote " + png + " (Chromium " + chromium.binary() + ")");
        }
        return 0;
    }

    private List<Path> dashboardFiles() throws IOException {
        Path dir = dashboardsFolder(dashboards);
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException(
                    "no dashboards folder at " + dir + " (set PULSE_HOME or --dashboards)");
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
    }

    /** The dashboards folder: {@code given}, else {@code dashboards/} of the project. */
    static Path dashboardsFolder(Path given) {
        return given != null ? given : projectHome().resolve("dashboards");
    }

    private static Path projectHome() {
        String home = System.getenv("PULSE_HOME");
        return Path.of(home == null || home.isBlank() ? "." : home);
    }
}
