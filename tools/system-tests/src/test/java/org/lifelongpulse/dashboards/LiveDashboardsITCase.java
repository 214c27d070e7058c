package org.lifelongpulse.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lifelongpulse.cli.bench.PageRenderBenchmark;
import org.lifelongpulse.cli.web.DashboardServer;
import org.lifelongpulse.cli.web.HeadlessChromium;
import org.lifelongpulse.cli.web.LiveDashboards;
import org.lifelongpulse.contracts.Topic;
import org.lifelongpulse.fundrisk.FundRiskJob;
import org.lifelongpulse.fundrisk.FundRiskOptions;
import org.lifelongpulse.fundrisk.FundRiskRun;
import org.lifelongpulse.generator.WorldParameters;
import org.lifelongpulse.jobs.JobEnvironment;
import org.lifelongpulse.ops.clickhouse.ClickHouseHttp;
import org.lifelongpulse.ops.kafka.KafkaTopics;
import org.lifelongpulse.participation.ParticipationITCase;
import org.lifelongpulse.participation.ParticipationJob;
import org.lifelongpulse.participation.ParticipationOptions;
import org.lifelongpulse.stack.ClickHouseAccounts;
import org.lifelongpulse.stack.Endpoints;
import org.lifelongpulse.stack.ProjectTree;
import org.lifelongpulse.stack.testing.LocalStackExtension;
import org.lifelongpulse.testutils.Await;
import org.lifelongpulse.testutils.Flink;
import org.lifelongpulse.testutils.GeneratedWorld;
import org.lifelongpulse.testutils.Warehouse;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The live dashboards ({@code ./pulse dashboards serve}) in a real browser: Debian's headless
 * Chromium driven through chromium-driver, the pages served from the repository's {@code
 * dashboards/} as the read-only account, while the participation job (unbounded) writes a generated
 * world into ClickHouse and the fund-risk job writes its alerts. Numbers change between refreshes
 * without a reload; after the job has drained, the displayed visits equal the generator's truth,
 * for all districts and for one chosen in the drop-down; a variable value its query does not return
 * gets a 400 with a message; every dashboard's screenshot goes to {@code target/live-dashboards/}.
 */
@ExtendWith(LocalStackExtension.class)
class LiveDashboardsITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = Flink.miniCluster(null);

    private static final String ACTIVITY = "pulse-activity-week";
    private static final String FUND = "pulse-fund-supervision";
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Path OUT = Path.of("target", "live-dashboards").toAbsolutePath();

    /** The text of a panel's stat, or of the whole panel, found by its title; null if absent. */
    private static final String PANEL_TEXT =
            "var title = arguments[0]; var h ="
                + " Array.prototype.find.call(document.querySelectorAll('#grid .panel h4'),"
                + " function (e) { return e.textContent === title; }); if (!h) { return null; } var"
                + " stat = h.parentElement.querySelector('.stat'); return arguments[1] ? (stat ?"
                + " stat.textContent : null) : h.parentElement.textContent;";

    private static final long STARTED = System.nanoTime();

    /** How far the test got, and when: the run time is kept modest (the whole suite: 20 min). */
    private static void stage(String what) {
        System.out.printf(
                "[live-dashboards] %5.1f s %s%n", (System.nanoTime() - STARTED) / 1e9, what);
    }

    @Test
    void theDashboardsLiveInHeadlessChromium(Endpoints endpoints) throws Exception {
        assumeTrue(
                new File("/usr/bin/chromium").canExecute()
                        && new File("/usr/bin/chromedriver").canExecute(),
                "needs Debian's chromium and chromium-driver (./pulse test installs them)");
        Files.createDirectories(OUT);
        String bootstrap = endpoints.kafkaBootstrap();
        WorldParameters parameters = GeneratedWorld.small(17);
        ClickHouseHttp admin = Warehouse.of(endpoints).withEmptyTables().admin();
        // only this world: other integration tests leave their rows in the shared tables
        java.util.Set<String> tables = new java.util.TreeSet<>(DashboardQueryChecks.tablesRead());
        tables.addAll(List.of(ParticipationITCase.TABLES));
        tables.addAll(List.of(FundRiskRun.TABLES));
        tables.forEach(t -> admin.execute("TRUNCATE TABLE pulse." + t));
        Warehouse warehouse = Warehouse.of(endpoints);
        GeneratedWorld.Split split =
                GeneratedWorld.split(
                        bootstrap,
                        parameters,
                        0.5,
                        Topic.LEARNING_ACTIVITY,
                        Topic.WALK_ROUTES,
                        Topic.LEARNING_RESOURCES);
        GeneratedWorld world = split.world();
        KafkaTopics.ensure(bootstrap, world.prefix(), 2, (short) 1);
        split.sendAllOf(Topic.INSTITUTIONS, Topic.RISK_RULES, Topic.FUND_TRANSACTIONS);
        split.sendFirstPart();

        // Both jobs at parallelism 1, so that they share the MiniCluster's two slots.
        stage("world sent (first part)");
        JobClient fundRisk = fundRisk(bootstrap, world, warehouse);
        JobClient participation = participation(bootstrap, world, warehouse);

        ClickHouseAccounts.Account reader = endpoints.accounts().reader();
        LiveDashboards dashboards =
                LiveDashboards.asReader(
                        LiveDashboards.load(ProjectTree.root().resolve("dashboards")),
                        new ClickHouseHttp(
                                endpoints.clickHouseUrl(), reader.user(), reader.password()),
                        null);
        Instant from = parameters.start();
        Instant to = from.plus(Duration.ofDays(parameters.days()));
        String week =
                "range=custom&from="
                        + URLEncoder.encode(from.toString(), StandardCharsets.UTF_8)
                        + "&to="
                        + URLEncoder.encode(to.toString(), StandardCharsets.UTF_8);

        ChromeDriver browser = null;
        try (DashboardServer server =
                DashboardServer.start(
                        dashboards, InetAddress.getLoopbackAddress(), 0, System.out::println)) {
            URI base = server.url();
            Await.until(
                    "the job wrote its first minutes",
                    WAIT,
                    () -> warehouse.count("SELECT count() FROM pulse.participation_minute") > 0);
            stage("first minutes written");
            browser = chromium();
            browser.get(base.resolve("/d/" + ACTIVITY + "?" + week).toString());
            ChromeDriver page = browser;
            WebDriverWait wait = new WebDriverWait(browser, WAIT, Duration.ofMillis(200));
            page.executeScript("window.sameDocument = 'yes';");
            wait.until(d -> refreshes(page) >= 1);
            long before = stat(page, "Participant-visits");
            int refreshesBefore = refreshes(page);

            // while the job writes: the next refreshes show more visits, in the same document
            stage("first refreshes seen");
            split.sendSecondPart();
            wait.until(d -> stat(page, "Participant-visits") != before);
            assertThat(stat(page, "Participant-visits")).isGreaterThan(before);
            assertThat(refreshes(page)).isGreaterThan(refreshesBefore);
            assertThat(page.executeScript("return window.sameDocument;"))
                    .as("the numbers changed without a reload")
                    .isEqualTo("yes");

            // Every event read (learning_events is written before any window), then a drain
            // closes the last windows: the tables now hold exactly the truth.
            long counted = world.truth().path("participation").path("events_counted").asLong();
            Await.until(
                    "the job read every event",
                    WAIT,
                    () ->
                            warehouse.count("SELECT count() FROM pulse.learning_events FINAL")
                                    == counted);
            stage("numbers changed between refreshes; every event read");
            participation
                    .stopWithSavepoint(
                            true,
                            OUT.resolve("savepoints").toUri().toString(),
                            SavepointFormatType.CANONICAL)
                    .get(2, TimeUnit.MINUTES);
            Map<String, long[]> truth = visitsAndSecondsByDistrict(world.truth());
            long allVisits = truth.values().stream().mapToLong(v -> v[0]).sum();
            wait.until(d -> stat(page, "Participant-visits") == allVisits);
            stage("drained: visits equal the truth");
            String venues = panelText(page, "Top venues (experience bases, events, teams)");

            // choosing a district: the district-filtered panels show that district's numbers
            String district =
                    truth.entrySet().stream()
                            .max(Map.Entry.comparingByValue((a, b) -> Long.compare(a[0], b[0])))
                            .orElseThrow()
                            .getKey();
            new Select(browser.findElement(By.name("var-district"))).selectByValue(district);
            long districtVisits = truth.get(district)[0];
            wait.until(d -> stat(page, "Participant-visits") == districtVisits);
            assertThat(districtVisits).isLessThan(allVisits);
            assertThat(statText(page, "Learning hours")).isEqualTo(hours(truth.get(district)[1]));
            assertThat(panelText(page, "By district"))
                    .contains(district)
                    .doesNotContain(otherDistrict(truth, district));
            assertThat(panelText(page, "Top venues (experience bases, events, teams)"))
                    .as("the top venues of the district's activity, fewer visits than the city's")
                    .isNotEqualTo(venues);
            assertThat(browser.getCurrentUrl()).contains("var-district=" + district);
            assertThat(page.executeScript("return window.sameDocument;")).isEqualTo("yes");
            screenshot(browser, ACTIVITY + "-" + district.toLowerCase());

            // the time-range picker: the last 15 minutes hold nothing of a world in 2020 and do
            // not offer the district chosen, so it goes back to All; the whole activity week (the
            // days the tables hold) shows every visit again
            new Select(browser.findElement(By.name("range"))).selectByValue("15m");
            wait.until(
                    d ->
                            stat(page, "Participant-visits") == 0
                                    && LiveDashboards.ALL.equals(
                                            page.executeScript(
                                                    "return document.querySelector("
                                                            + "'select[name=\"var-district\"]')"
                                                            + ".value;")));
            assertThat(browser.findElement(By.id("problem")).getText())
                    .contains("unknown value '" + district + "'", "the variables were reset");
            new Select(browser.findElement(By.name("range"))).selectByValue("week");
            wait.until(d -> stat(page, "Participant-visits") == allVisits);
            assertThat(browser.getCurrentUrl()).contains("range=week");

            stage("district and time-range picker checked");
            badRequests(base, district);

            // the alert list of fund supervision, with evidence and citation of each alert
            stage("400s checked");
            fundRisk.getJobExecutionResult().get(2, TimeUnit.MINUTES);
            long openAlerts =
                    warehouse.count(
                            "SELECT count() FROM pulse.risk_alerts FINAL WHERE shadow = 0 AND"
                                    + " status IN ('OPEN', 'UPDATED')");
            assertThat(openAlerts).as("the world's open alerts").isPositive();
            browser.get(base.resolve("/d/" + FUND + "?" + week).toString());
            List<List<String>> alerts = alertRows(page);
            assertThat(alerts).hasSize((int) openAlerts);
            assertThat(alerts)
                    .allSatisfy(
                            row -> {
                                assertThat(row.get(8)).as("evidence").isNotBlank();
                                assertThat(row.get(9)).as("citation").isNotBlank();
                            });

            stage("alert list checked");
            // a screenshot of every dashboard, for people to look at
            for (LiveDashboards.Definition d : dashboards.dashboards()) {
                browser.get(base.resolve("/d/" + d.uid() + "?" + week).toString());
                assertThat(browser.getTitle()).startsWith(d.title());
                screenshot(browser, d.uid());
            }

            stage("screenshots taken");
            // the page-render figure of ./pulse bench, on this world
            PageRenderBenchmark.Result render =
                    new PageRenderBenchmark(
                                    dashboards,
                                    LiveDashboards.readerQuery(
                                            new ClickHouseHttp(
                                                    endpoints.clickHouseUrl(),
                                                    reader.user(),
                                                    reader.password())),
                                    System.out::println)
                            .run(PageRenderBenchmark.ACTIVITY_DASHBOARD, 1);
            assertThat(render.failed()).isZero();
            assertThat(render.queries()).isGreaterThan(15);
            assertThat(render.events()).isEqualTo(counted);

            // ./pulse snapshot --png draws through the same Chromium
            Path png = OUT.resolve("png-of-" + ACTIVITY + ".png");
            HeadlessChromium.find()
                    .orElseThrow()
                    .screenshot(base.resolve("/d/" + ACTIVITY + "?" + week), png);
            byte[] bytes = Files.readAllBytes(png);
            assertThat(bytes).startsWith(0x89, 'P', 'N', 'G');
        } finally {
            if (browser != null) {
                browser.quit();
                try (java.util.stream.Stream<Path> files = Files.walk(profile)) {
                    files.sorted(java.util.Comparator.reverseOrder())
                            .forEach(f -> f.toFile().delete());
                }
            }
            cancelQuietly(participation);
            cancelQuietly(fundRisk);
        }
    }

    /** A value no variable query returns, an unknown parameter and SQL text: 400, a message. */
    private static void badRequests(URI base, String district) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        Map<String, String> refused = new TreeMap<>();
        refused.put("var-district=ATLANTIS", "unknown value 'ATLANTIS' for variable district");
        refused.put(
                "var-district=" + URLEncoder.encode(district + "') OR 1=1 --", "UTF-8"),
                "unknown value '" + district + "') OR 1=1 --'");
        refused.put("var-nope=1", "unknown parameter 'var-nope'");
        refused.put("range=fortnight", "unknown time range 'fortnight'");
        refused.put("range=custom&from=yesterday&to=now", "cannot read time 'yesterday'");
        for (Map.Entry<String, String> r : refused.entrySet()) {
            for (String path : List.of("/api/d/", "/d/")) {
                HttpResponse<String> response =
                        http.send(
                                HttpRequest.newBuilder(
                                                base.resolve(path + ACTIVITY + "?" + r.getKey()))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(path + r.getKey()).isEqualTo(400);
                String body =
                        path.startsWith("/api")
                                ? new ObjectMapper()
                                        .readTree(response.body())
                                        .path("error")
                                        .asText()
                                : response.body();
                assertThat(body)
                        .as(path + r.getKey())
                        .contains(
                                path.startsWith("/api")
                                        ? r.getValue()
                                        : r.getValue().replace("'", "&#39;"))
                        .doesNotContain("Exception", "\tat ", "at org.");
            }
        }
        HttpResponse<String> post =
                http.send(
                        HttpRequest.newBuilder(base.resolve("/d/" + ACTIVITY))
                                .POST(HttpRequest.BodyPublishers.ofString("x"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
    }

    private static JobClient participation(
            String bootstrap, GeneratedWorld world, Warehouse warehouse) throws Exception {
        JsonNode p = world.truth().path("parameters");
        Configuration config =
                warehouse.sinkOptions(Flink.jobConfiguration(bootstrap, world.prefix(), false));
        JobEnvironment.parallelism(config, 1, Duration.ofSeconds(1));
        config.set(ParticipationOptions.GROUP_ID, "it-live-dashboards");
        config.set(
                ParticipationOptions.OUT_OF_ORDERNESS,
                Duration.ofMillis(p.path("watermark_bound_ms").asLong()));
        config.set(
                ParticipationOptions.ALLOWED_LATENESS,
                Duration.ofMillis(p.path("allowed_lateness_ms").asLong()));
        config.set(ParticipationOptions.CAMPAIGN, p.path("campaign").asText());
        StreamExecutionEnvironment env = JobEnvironment.of(config);
        ParticipationJob.defineProduction(env, config);
        return env.executeAsync("participation for the live dashboards");
    }

    private static JobClient fundRisk(String bootstrap, GeneratedWorld world, Warehouse warehouse)
            throws Exception {
        Configuration config =
                warehouse.sinkOptions(Flink.jobConfiguration(bootstrap, world.prefix(), true));
        JobEnvironment.parallelism(config, 1, Duration.ofSeconds(1));
        config.set(FundRiskOptions.GROUP_ID, "it-live-dashboards-fund");
        StreamExecutionEnvironment env = JobEnvironment.of(config);
        FundRiskJob.defineProduction(env, config);
        return env.executeAsync("fund-risk for the live dashboards");
    }

    /** Participant-visits and learning seconds per district, from the generator's rows. */
    private static Map<String, long[]> visitsAndSecondsByDistrict(JsonNode truth) {
        Map<String, long[]> out = new TreeMap<>();
        for (JsonNode row : truth.path("participation").path("rows")) {
            long[] sums = out.computeIfAbsent(row.get(1).asText(), k -> new long[2]);
            sums[0] += row.get(5).asLong();
            sums[1] += row.get(7).asLong();
        }
        return out;
    }

    /** Learning seconds as the "Learning hours" stat rounds them (one decimal). */
    private static String hours(long seconds) {
        double h = Math.round(seconds / 3600.0 * 10) / 10.0;
        return h == Math.rint(h) ? Long.toString((long) h) : Double.toString(h);
    }

    private static String otherDistrict(Map<String, long[]> truth, String district) {
        return truth.keySet().stream().filter(d -> !d.equals(district)).findFirst().orElseThrow();
    }

    private static Path profile;

    private static ChromeDriver chromium() throws Exception {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--hide-scrollbars",
                "--window-size=1400,1000",
                "--user-data-dir=" + (profile = Files.createTempDirectory("pulse-it-chromium-")));
        ChromeDriverService service =
                new ChromeDriverService.Builder()
                        .usingDriverExecutable(new File("/usr/bin/chromedriver"))
                        .usingAnyFreePort()
                        .build();
        return new ChromeDriver(service, options);
    }

    private static int refreshes(JavascriptExecutor page) {
        Object n = page.executeScript("return document.body.dataset.refreshes;");
        return n == null ? 0 : Integer.parseInt(n.toString());
    }

    private static String statText(JavascriptExecutor page, String title) {
        Object text = page.executeScript(PANEL_TEXT, title, true);
        return text == null ? null : text.toString().strip();
    }

    private static long stat(JavascriptExecutor page, String title) {
        String text = statText(page, title);
        return text == null || text.isEmpty() ? -1 : Long.parseLong(text);
    }

    private static String panelText(JavascriptExecutor page, String title) {
        Object text = page.executeScript(PANEL_TEXT, title, false);
        return text == null ? null : text.toString();
    }

    /** The alert table's rows, cells as text. */
    @SuppressWarnings("unchecked")
    private static List<List<String>> alertRows(JavascriptExecutor page) {
        Object rows =
                page.executeScript(
                        "var title = 'Open alerts with evidence';"
                                + " var h = Array.prototype.find.call("
                                + "document.querySelectorAll('#grid .panel h4'),"
                                + " function (e) { return e.textContent === title; });"
                                + " var out = [];"
                                + " h.parentElement.querySelectorAll('tr').forEach(function (tr, i)"
                                + " { if (i > 0) { out.push(Array.prototype.map.call("
                                + "tr.querySelectorAll('td'), function (td)"
                                + " { return td.textContent; })); } });"
                                + " return out;");
        return new ArrayList<>((List<List<String>>) rows);
    }

    /** The whole page: the window as tall as the document, then a screenshot. */
    private static void screenshot(ChromeDriver browser, String name) throws Exception {
        long height =
                (Long)
                        browser.executeScript(
                                "return Math.ceil(document.documentElement.scrollHeight);");
        browser.manage().window().setSize(new Dimension(1400, (int) Math.min(height + 40, 12000)));
        Files.write(OUT.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
        browser.manage().window().setSize(new Dimension(1400, 1000));
    }

    private static void cancelQuietly(JobClient job) {
        try {
            job.cancel().get(30, TimeUnit.SECONDS);
        } catch (Exception finishedOrGone) {
            // it ended by itself (bounded, or stopped with a savepoint)
        }
    }
}
