package org.lifelongpulse.cli.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.lifelongpulse.cli.snapshot.Dashboard;
import org.lifelongpulse.cli.snapshot.QueryResult;
import org.lifelongpulse.cli.web.LiveDashboards;
import org.lifelongpulse.cli.web.LiveDashboards.Definition;
import org.lifelongpulse.cli.web.LiveDashboards.Rendered;

/**
 * Server-side render time of a live dashboard page ({@code ./pulse dashboards serve}): the
 * variables' queries, every panel's queries and the drawing, as one request for the page does it,
 * over the whole activity week with every variable at All. Against whatever the tables hold: after
 * the participation benchmark, its world.
 */
public final class PageRenderBenchmark {

    /** The dashboard whose render time is the figure. */
    public static final String ACTIVITY_DASHBOARD = "pulse-activity-week";

    /**
     * @param panels panels drawn, rows and texts included
     * @param queries panel queries run
     * @param failed panel queries ClickHouse refused (should be 0)
     * @param events rows of {@code learning_events} the page summed over
     * @param millis each measured render, in order
     */
    public record Result(
            String dashboard, int panels, int queries, int failed, long events, List<Long> millis) {

        public long medianMillis() {
            List<Long> sorted = millis.stream().sorted().toList();
            return sorted.get(sorted.size() / 2);
        }

        public long maxMillis() {
            return millis.stream().mapToLong(Long::longValue).max().orElse(0);
        }
    }

    private final LiveDashboards dashboards;
    private final Function<String, QueryResult> reader;
    private final Consumer<String> progress;

    /**
     * @param reader the read-only account's queries, for the size of what the page shows
     */
    public PageRenderBenchmark(
            LiveDashboards dashboards,
            Function<String, QueryResult> reader,
            Consumer<String> progress) {
        this.dashboards = dashboards;
        this.reader = reader;
        this.progress = progress;
    }

    /** One render to warm up, then {@code repetitions} measured. */
    public Result run(String uid, int repetitions) {
        Definition dashboard =
                dashboards
                        .dashboard(uid)
                        .orElseThrow(() -> new IllegalStateException("no dashboard " + uid));
        Map<String, List<String>> wholeWeek = Map.of("range", List.of("week"));
        Rendered rendered =
                dashboards.render(dashboards.select(dashboard, wholeWeek, Instant.now()));
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < repetitions; i++) {
            long started = System.nanoTime();
            rendered = dashboards.render(dashboards.select(dashboard, wholeWeek, Instant.now()));
            millis.add((System.nanoTime() - started) / 1_000_000);
        }
        int queries = 0;
        int failed = 0;
        for (Dashboard.Panel panel : rendered.shown().panels()) {
            for (Dashboard.Target target : panel.targets()) {
                queries++;
                failed += target.error() != null ? 1 : 0;
            }
        }
        long events =
                Long.parseLong(
                        reader.apply("SELECT count() FROM pulse.learning_events")
                                .rows()
                                .get(0)
                                .get(0));
        Result result =
                new Result(uid, rendered.shown().panels().size(), queries, failed, events, millis);
        progress.accept(
                String.format(
                        "page render %s: median %d ms, max %d ms over %d renders (%d panels, %d"
                                + " queries, %,d events)",
                        uid,
                        result.medianMillis(),
                        result.maxMillis(),
                        repetitions,
                        result.panels(),
                        queries,
                        events));
        return result;
    }
}
