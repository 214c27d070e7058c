package org.lifelongpulse.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The machine-readable results (one JSON object, ratios as named fields) and the human summary with
 * a bar chart of the ratios against their targets, and below it the figures a target summarises
 * (the night payments' latencies).
 */
public final class BenchReport {

    static final ObjectMapper JSON = new ObjectMapper();

    /** What the night-payment figures measure (issue #12). */
    static final String NIGHT_PAYMENT = "night payment after 40 s quiet: payment to alert row";

    /** A ratio or figure with the target it is judged against. */
    record Target(String name, double value, double target, boolean atMost, String unit) {
        boolean met() {
            return atMost ? value <= target : value >= target;
        }
    }

    private final ObjectNode root = JSON.createObjectNode();
    private final List<Target> targets = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<String> tables = new ArrayList<>();

    public BenchReport(String mode, int parallelism) {
        Runtime runtime = Runtime.getRuntime();
        root.put("mode", mode);
        root.putObject("machine")
                .put("cores", runtime.availableProcessors())
                .put("max_heap_bytes", runtime.maxMemory())
                .put("java", System.getProperty("java.version"))
                .put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"))
                .put("parallelism", parallelism);
    }

    public ObjectNode root() {
        return root;
    }

    static ObjectNode cost(ObjectNode into, MeasuredRun.Cost cost, long events) {
        return into.put("events", events)
                .put("wall_s", cost.wall().toMillis() / 1000.0)
                .put("events_per_s", Math.round(cost.perSecond(events)))
                .put("cpu_s", round(cost.cpuSeconds()))
                .put("cpu_s_per_million_events", round(cost.cpuSecondsPerMillion(events)))
                .put("heap_before_bytes", cost.heapBeforeBytes())
                .put("peak_heap_used_bytes", cost.peakHeapBytes())
                .put("checkpoints_completed", cost.checkpoints())
                .put("checkpoint_max_ms", cost.checkpointMaxMillis())
                .put("checkpoint_avg_ms", cost.checkpointAvgMillis())
                .put("checkpointed_bytes", cost.checkpointedBytes());
    }

    /** The floor's figures: one thread, no fixed cost, no ClickHouse. */
    static ObjectNode floor(ObjectNode into, MeasuredRun.Cost cost, long events, long admitted) {
        return into.put("events", events)
                .put("admitted", admitted)
                .put("wall_s", cost.wall().toMillis() / 1000.0)
                .put("events_per_s", Math.round(cost.perSecond(events)))
                .put("cpu_s", round(cost.cpuSeconds()))
                .put("cpu_s_per_million_events", round(cost.cpuSecondsPerMillion(events)));
    }

    /**
     * A run's figures ({@link #cost}) and beside them: its fixed cost (the same run on empty
     * topics), the marginal rate and net CPU, the ClickHouse server's CPU, events/s × B1 and net
     * CPU × the floor's CPU.
     */
    static ObjectNode marginal(
            ObjectNode into, Marginal m, long events, double b1PerSecond, double floorCpu) {
        cost(into, m.whole(), events);
        if (m.fixed() != null) {
            into.putObject("fixed_empty_topics")
                    .put("wall_s", m.fixed().wall().toMillis() / 1000.0)
                    .put("cpu_s", round(m.fixed().cpuSeconds()));
        }
        double marginalRate = m.marginalPerSecond(events);
        if (Double.isNaN(marginalRate)) {
            into.putNull("marginal_events_per_s");
        } else {
            into.put("marginal_events_per_s", Math.round(marginalRate));
        }
        figure(into, "net_cpu_s_per_million_events", m.netCpuPerMillion(events));
        figure(into, "clickhouse_cpu_s", m.whole().clickHouseCpuSeconds());
        figure(into, "clickhouse_cpu_s_per_million_events", m.clickHouseCpuPerMillion(events));
        figure(into, "jit_cpu_s", m.whole().jitCpuSeconds());
        figure(
                into,
                "jit_cpu_s_per_million_events",
                Marginal.perMillion(m.whole().jitCpuSeconds(), events));
        figure(into, "ratio_to_b1", Marginal.ratio(m.perSecond(events), b1PerSecond));
        figure(
                into,
                "net_cpu_ratio_to_floor",
                Marginal.ratio(m.netCpuPerMillion(events), floorCpu));
        return into;
    }

    /** A figure rounded to three decimals; null when unknown. */
    static void figure(ObjectNode into, String name, double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            into.putNull(name);
        } else {
            into.put(name, round(value));
        }
    }

    /**
     * The cost table of one job: B0 (the floor), B1, the job with heap state and with the
     * production configuration. Per row: wall time, its fixed part (the same run on empty topics),
     * events/s and beyond the fixed cost, × B1 (events/s ÷ B1's), JVM CPU s per million events and
     * net of the fixed cost, × floor (net CPU ÷ the floor's CPU), ClickHouse CPU s per million.
     */
    static String costTable(
            String title,
            String unit,
            long events,
            MeasuredRun.Cost floor,
            Marginal b1,
            Marginal heap,
            Marginal production) {
        double b1Rate = b1.perSecond(events);
        double floorCpu = Marginal.perMillion(floor.cpuSeconds(), events);
        String format = "%-40s %8s %8s %14s %12s %8s %9s %9s %8s %11s %10s%n";
        StringBuilder out = new StringBuilder(title + System.lineSeparator());
        out.append(
                String.format(
                        Locale.ROOT,
                        format,
                        "",
                        "wall s",
                        "fixed s",
                        unit + "/s",
                        "marginal/s",
                        "× B1",
                        "CPU s/M",
                        "net s/M",
                        "× floor",
                        "CH CPU s/M",
                        "JIT s/M"));
        out.append(
                String.format(
                        Locale.ROOT,
                        format,
                        "B0 floor (one thread, in memory)",
                        Marginal.figure(floor.wall().toMillis() / 1000.0, 1),
                        "—",
                        Marginal.figure(floor.perSecond(events), 0),
                        "—",
                        Marginal.times(Marginal.ratio(floor.perSecond(events), b1Rate)),
                        Marginal.figure(floorCpu, 2),
                        "—",
                        Marginal.times(1.0),
                        "—",
                        "—"));
        List<String> names =
                List.of(
                        "B1 decode and count",
                        "job, " + FlinkSetup.HEAP.description(),
                        "job, production (RocksDB, incremental)");
        List<Marginal> runs = List.of(b1, heap, production);
        for (int i = 0; i < runs.size(); i++) {
            Marginal m = runs.get(i);
            out.append(
                    String.format(
                            Locale.ROOT,
                            format,
                            names.get(i),
                            Marginal.figure(m.whole().wall().toMillis() / 1000.0, 1),
                            m.fixed() == null
                                    ? "—"
                                    : Marginal.figure(m.fixed().wall().toMillis() / 1000.0, 1),
                            Marginal.figure(m.perSecond(events), 0),
                            Marginal.figure(m.marginalPerSecond(events), 0),
                            Marginal.times(Marginal.ratio(m.perSecond(events), b1Rate)),
                            Marginal.figure(m.cpuPerMillion(events), 2),
                            Marginal.figure(m.netCpuPerMillion(events), 2),
                            Marginal.times(Marginal.ratio(m.netCpuPerMillion(events), floorCpu)),
                            Marginal.figure(m.clickHouseCpuPerMillion(events), 2),
                            Marginal.figure(
                                    Marginal.perMillion(m.whole().jitCpuSeconds(), events), 2)));
        }
        return out.toString();
    }

    public ObjectNode participation(ParticipationBenchmark.Result r, int cores) {
        ObjectNode p = root.putObject("participation");
        p.put("learners", r.learners());
        long events = r.messages();
        double floorCpu = r.floor().cpuPerMillion();
        double b1Rate = r.baselineEventsPerSecond();
        floor(p.putObject("b0_floor"), r.floor().cost(), events, r.floor().admitted())
                .put("late", r.floor().late())
                .put("duplicates", r.floor().duplicates())
                .put("dead_letters", r.floor().deadLetters())
                .put("minute_rows", r.floor().rows());
        marginal(p.putObject("b1_decode_count"), r.baseline(), events, b1Rate, floorCpu);
        marginal(p.putObject("job"), r.participation(), events, b1Rate, floorCpu);
        marginal(p.putObject("job_production"), r.production(), events, b1Rate, floorCpu)
                .put("setup", FlinkSetup.PRODUCTION.description());
        p.put(
                "events_per_s_per_core",
                Math.round(r.participationEventsPerSecond() / Math.min(cores, parallelism())));
        p.put("ratio_participation_to_b1", round(r.ratioToBaseline()));
        p.put("campaign_state_bytes", r.campaignStateBytes());
        p.put("campaign_state_bytes_per_learner", round(r.campaignStateBytesPerLearner()));
        targets.add(new Target("participation / B1", r.ratioToBaseline(), 0.5, false, "×"));
        targets.add(
                new Target(
                        "participation net CPU per M events",
                        r.participation().netCpuPerMillion(events),
                        17,
                        true,
                        "s"));
        double clickHouse = r.participation().clickHouseCpuPerMillion(events);
        if (!Double.isNaN(clickHouse)) {
            targets.add(
                    new Target(
                            "participation ClickHouse CPU per M events", clickHouse, 3, true, "s"));
        }
        targets.add(
                new Target(
                        "campaign state per learner",
                        r.campaignStateBytesPerLearner(),
                        200,
                        true,
                        "B"));
        tables.add(
                costTable(
                        String.format(Locale.ROOT, "participation, %,d messages", events),
                        "events",
                        events,
                        r.floor().cost(),
                        r.baseline(),
                        r.participation(),
                        r.production()));
        return p;
    }

    public ObjectNode freshness(ParticipationBenchmark.Freshness f) {
        ObjectNode n =
                root.putObject("participation_freshness")
                        .put("rate_events_per_s", f.rate())
                        .put("sink_flush_ms", 1000)
                        .put("events_sent", f.sent())
                        .put("events_timed", f.latenciesMillis().size())
                        .put("events_not_seen", f.missing())
                        .put("latency_p50_ms", f.percentile(0.5))
                        .put("latency_p99_ms", f.percentile(0.99))
                        .put("latency_max_ms", f.percentile(1.0));
        targets.add(new Target("freshness p99", f.percentile(0.99), 2000, true, "ms"));
        return n;
    }

    public ObjectNode fundRisk(FundRiskBenchmark.Result r, int cores) {
        ObjectNode f = root.putObject("fund_risk");
        long events = r.messages();
        double floorCpu = r.floor().cpuPerMillion();
        double b1Rate = r.baselinePerSecond();
        ObjectNode floor =
                floor(f.putObject("b0_floor"), r.floor().cost(), events, r.floor().applied())
                        .put("duplicates", r.floor().duplicates())
                        .put("dead_letters", r.floor().deadLetters())
                        .put("wake_ups", r.floor().wakeUps())
                        .put("alert_versions", r.floor().alertVersions());
        ObjectNode byRule = floor.putObject("alert_versions_by_rule");
        r.floor().alertVersionsByRule().forEach(byRule::put);
        marginal(f.putObject("b1_decode_count"), r.baseline(), events, b1Rate, floorCpu);
        marginal(f.putObject("job"), r.job(), events, b1Rate, floorCpu);
        marginal(f.putObject("job_production"), r.production(), events, b1Rate, floorCpu)
                .put("setup", FlinkSetup.PRODUCTION.description());
        f.put(
                "transactions_per_s_per_core",
                Math.round(r.jobPerSecond() / Math.min(cores, parallelism())));
        f.put("ratio_fund_risk_to_b1", round(r.jobPerSecond() / r.baselinePerSecond()));
        tables.add(
                costTable(
                        String.format(Locale.ROOT, "fund-risk, %,d transactions", events),
                        "transactions",
                        events,
                        r.floor().cost(),
                        r.baseline(),
                        r.job(),
                        r.production()));
        f.putObject("detection_latency")
                .put("rate_messages_per_s", r.rate())
                .put("alerts_timed", r.latenciesMillis().size())
                .put("p50_ms", r.latencyPercentile(0.5))
                .put("p99_ms", r.latencyPercentile(0.99));
        targets.add(
                new Target(
                        "fund-risk / B1",
                        r.jobPerSecond() / r.baselinePerSecond(),
                        0.4,
                        false,
                        "×"));
        if (!r.nightLatenciesMillis().isEmpty()) {
            night(f.putObject("night_payment"), r);
        }
        return f;
    }

    /** The night payments: each figure in ms (null: no alert in time), the worst against 15 s. */
    private void night(ObjectNode n, FundRiskBenchmark.Result r) {
        n.put("label", NIGHT_PAYMENT)
                .put("quiet_s", FundRiskBenchmark.NIGHT_QUIET.toSeconds())
                .put("amount_fen", FundRiskBenchmark.NIGHT_AMOUNT_FEN)
                .put("rule_id", "R2")
                .put("payments", r.nightLatenciesMillis().size())
                .put("alerts_missing", r.nightMissing())
                .put("timeout_ms", FundRiskBenchmark.NIGHT_TIMEOUT.toMillis())
                .put("max_ms", r.nightWorstMillis())
                .put("target_at_most_ms", 15_000);
        ArrayNode values = n.putArray("latencies_ms");
        List<String> shown = new ArrayList<>();
        for (long l : r.nightLatenciesMillis()) {
            if (l < 0) {
                values.addNull();
                shown.add("none in " + FundRiskBenchmark.NIGHT_TIMEOUT.toSeconds() + " s");
            } else {
                values.add(l);
                shown.add(String.format(Locale.ROOT, "%,d ms", l));
            }
        }
        targets.add(new Target(NIGHT_PAYMENT, r.nightWorstMillis() / 1000.0, 15, true, "s"));
        notes.add(
                String.format(
                        Locale.ROOT,
                        "%s: %s; max %,d ms (target ≤ 15 s)",
                        NIGHT_PAYMENT,
                        String.join(", ", shown),
                        r.nightWorstMillis()));
    }

    /** Both jobs at once in {@code setup}: (activity messages + transactions) ÷ wall time. */
    public ObjectNode together(FlinkSetup setup, MeasuredRun.Cost cost, long events) {
        String name =
                setup == FlinkSetup.HEAP ? "both_jobs_together" : "both_jobs_together_production";
        ObjectNode t = cost(root.putObject(name), cost, events);
        t.put("setup", setup.description());
        figure(t, "clickhouse_cpu_s", cost.clickHouseCpuSeconds());
        figure(t, "jit_cpu_s", cost.jitCpuSeconds());
        figure(
                t,
                "clickhouse_cpu_s_per_million_events",
                Marginal.perMillion(cost.clickHouseCpuSeconds(), events));
        targets.add(
                new Target(
                        setup == FlinkSetup.HEAP
                                ? "both jobs together"
                                : "both jobs together (production)",
                        cost.perSecond(events),
                        30_000,
                        false,
                        "events/s"));
        return t;
    }

    public ObjectNode sink(SinkBenchmark.Result r, long rows) {
        ObjectNode s =
                root.putObject("sink")
                        .put("rows", rows)
                        .put("b3_plain_jdbc_rows_per_s", Math.round(r.plainJdbc().rowsPerSecond()))
                        .put("sink_p1_rows_per_s", Math.round(r.sinkP1().rowsPerSecond()))
                        .put("sink_p2_rows_per_s", Math.round(r.sinkP2().rowsPerSecond()))
                        .put("ratio_sink_p1_to_b3", round(r.ratioP1()))
                        .put("ratio_sink_p2_to_b3", round(r.ratioP2()));
        targets.add(new Target("sink (p=1) / B3", r.ratioP1(), 0.8, false, "×"));
        return s;
    }

    /** Adds the targets to the JSON and returns it as one line. */
    /** Server-side render time of a live dashboard page, against a goal of 1 s. */
    public ObjectNode backtest(BacktestBenchmark.Result r) {
        ObjectNode n =
                root.putObject("backtest")
                        .put("trial", BacktestBenchmark.TRIAL)
                        .put("institutions", r.institutions())
                        .put("transactions", r.transactions())
                        .put("transactions_per_s", Math.round(r.perSecond()))
                        .put("alerts_gained", r.gained())
                        .put("alerts_lost", r.lost())
                        .put("wall_s", r.wall().toMillis() / 1000.0);
        List<org.lifelongpulse.cli.backtest.Backtest.ReplayFigures> replays =
                List.of(r.live(), r.trial());
        List<String> names = List.of("live_replay", "trial_replay");
        for (int i = 0; i < replays.size(); i++) {
            n.putObject(names.get(i))
                    .put("transactions_read", replays.get(i).transactionsRead())
                    .put("wall_s", replays.get(i).wall().toMillis() / 1000.0)
                    .put("transactions_per_s", Math.round(replays.get(i).perSecond()));
        }
        notes.add(
                String.format(
                        Locale.ROOT,
                        "back-test (%s, %d institutions): %,.0f transactions replayed/s over two"
                                + " replays of %,d; %d alerts gained, %d lost; %.1f s in all",
                        BacktestBenchmark.TRIAL,
                        r.institutions(),
                        r.perSecond(),
                        r.transactions(),
                        r.gained(),
                        r.lost(),
                        r.wall().toMillis() / 1000.0));
        return n;
    }

    public ObjectNode pageRender(PageRenderBenchmark.Result r) {
        ObjectNode n =
                root.putObject("page_render")
                        .put("dashboard", r.dashboard())
                        .put("panels", r.panels())
                        .put("queries", r.queries())
                        .put("queries_failed", r.failed())
                        .put("learning_events", r.events())
                        .put("renders", r.millis().size())
                        .put("median_ms", r.medianMillis())
                        .put("max_ms", r.maxMillis());
        targets.add(
                new Target("page render (activity dashboard)", r.medianMillis(), 1000, true, "ms"));
        return n;
    }

    public String json() {
        ObjectNode t = root.putObject("targets");
        for (Target target : targets) {
            t.putObject(target.name())
                    .put("value", round(target.value()))
                    .put(target.atMost() ? "at_most" : "at_least", target.target())
                    .put("met", target.met());
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * One line per target: value, target, a bar of value/target (| marks the target); then the
     * figures behind a target, one line each.
     */
    public String summary() {
        int nameWidth =
                Math.max(30, targets.stream().mapToInt(t -> t.name().length()).max().orElse(0));
        StringBuilder out =
                new StringBuilder(
                        String.format(
                                Locale.ROOT,
                                "%-" + nameWidth + "s %10s   %10s   share of target (| = target)%n",
                                "target",
                                "value",
                                "target"));
        for (Target t : targets) {
            // for "at most" targets the bar shows target/value: longer is better either way
            double share =
                    t.atMost()
                            ? (t.value() <= 0 ? 0 : t.target() / t.value())
                            : t.value() / t.target();
            int width = (int) Math.round(Math.min(share, 2.0) * 20);
            StringBuilder bar = new StringBuilder();
            for (int i = 0; i < 41; i++) {
                bar.append(i == 20 ? '|' : i < width ? '#' : ' ');
            }
            out.append(
                    String.format(
                            Locale.ROOT,
                            "%-" + nameWidth + "s %10s %s %10s   %s %s%n",
                            t.name(),
                            format(t.value(), t.unit()),
                            t.atMost() ? "≤" : "≥",
                            format(t.target(), t.unit()),
                            bar,
                            t.met() ? "met" : "MISSED"));
        }
        if (!notes.isEmpty()) {
            out.append(System.lineSeparator());
            notes.forEach(n -> out.append(n).append(System.lineSeparator()));
        }
        for (String table : tables) {
            out.append(System.lineSeparator()).append(table);
        }
        return out.toString();
    }

    private int parallelism() {
        return root.path("machine").path("parallelism").asInt(1);
    }

    private static String format(double v, String unit) {
        return unit.equals("×")
                ? String.format(Locale.ROOT, "%.3f×", v)
                : unit.equals("s")
                        ? String.format(Locale.ROOT, v == Math.rint(v) ? "%.0f s" : "%.1f s", v)
                        : String.format(Locale.ROOT, "%,.0f %s", v, unit);
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
