package org.lifelongpulse.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.lifelongpulse.adapters.clickhouse.sink.ClickHouseSinkOptions;
import org.lifelongpulse.cli.bench.BacktestBenchmark;
import org.lifelongpulse.cli.bench.BenchReport;
import org.lifelongpulse.cli.bench.BothJobs;
import org.lifelongpulse.cli.bench.FlinkSetup;
import org.lifelongpulse.cli.bench.FundRiskBenchmark;
import org.lifelongpulse.cli.bench.PageRenderBenchmark;
import org.lifelongpulse.cli.bench.ParticipationBenchmark;
import org.lifelongpulse.cli.bench.ProcessCpu;
import org.lifelongpulse.cli.bench.SinkBenchmark;
import org.lifelongpulse.cli.web.LiveDashboards;
import org.lifelongpulse.jobs.KafkaOptions;
import org.lifelongpulse.ops.clickhouse.ClickHouseHttp;
import org.lifelongpulse.ops.kafka.KafkaTopics;
import org.lifelongpulse.stack.ClickHouseAccounts;
import org.lifelongpulse.stack.Endpoints;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./pulse bench}: measured performance, with in-run baselines. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Measure throughput, cost and freshness against in-run baselines"
                    + " (figures, not assertions). Writes into the stack's tables and topics: use a"
                    + " scratch stack (--work-dir).",
            "Each job is measured against B0, its single-threaded floor (the job's own decoding"
                    + " and logic on the messages in memory: × floor is its net CPU per million"
                    + " events over the floor's), and B1, decode and count in Flink (× B1 is"
                    + " events/s over B1's); beside whole runs, the fixed cost of a run (the same"
                    + " job on empty topics) and what is left without it (marginal events/s, net"
                    + " CPU); ClickHouse's CPU (the local stack's server, from /proc); once with"
                    + " the benchmark's heap state and once with deploy/flink/config.yaml (RocksDB,"
                    + " incremental checkpoints every 30 s).",
            "  all            every benchmark on the full world; JSON results, a summary and the"
                    + " cost tables (--quick: about 5 min)",
            "  participation  the participation job vs B0 and B1, heap and production setups",
            "  fund-risk      the fund-risk job vs B0 and B1, heap and production setups; its"
                    + " detection latency, night payments",
            "  sink           the ClickHouse sink vs a plain JDBC batch insert (B3)",
            "  page-render    server-side render time of the live activity dashboard page",
            "  backtest       transactions replayed/s by `./pulse rules backtest`"
        },
        subcommands = {
            BenchCommand.All.class,
            BenchCommand.Participation.class,
            BenchCommand.FundRisk.class,
            BenchCommand.Sink.class,
            BenchCommand.PageRender.class,
            BenchCommand.Backtest.class
        })
final class BenchCommand implements Runnable {

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The stack to measure on, with the schema applied and the topics created. */
    static Endpoints prepare(StackEndpoints where) {
        Endpoints endpoints = where.resolve();
        SchemaCommand.migrator(endpoints).apply();
        KafkaTopics.ensure(endpoints.kafkaBootstrap(), KafkaTopics.DEFAULT_PARTITIONS, (short) 1);
        return endpoints;
    }

    /**
     * The stack as job options (Kafka, ClickHouse writer); with {@code checkpointInterval} the
     * interval of every benchmark job, else each benchmark's own.
     */
    static Configuration stack(Endpoints endpoints, Duration checkpointInterval) {
        ClickHouseAccounts accounts = endpoints.accounts();
        Configuration stack = new Configuration();
        stack.set(KafkaOptions.BOOTSTRAP, endpoints.kafkaBootstrap());
        stack.set(ClickHouseSinkOptions.URL, endpoints.clickHouseUrl());
        stack.set(ClickHouseSinkOptions.USER, accounts.writer().user());
        stack.set(ClickHouseSinkOptions.PASSWORD, accounts.writer().password());
        JobLauncher.withHashKey(stack);
        if (checkpointInterval != null) {
            stack.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, checkpointInterval);
        }
        return stack;
    }

    static ParticipationBenchmark participation(
            Endpoints endpoints, StackEndpoints where, Duration checkpointInterval) {
        return new ParticipationBenchmark(
                stack(endpoints, checkpointInterval),
                StackEndpoints.clickHouse(endpoints, endpoints.accounts().admin()),
                where.workDir().resolve("bench"),
                clickHouseProcess(where),
                Console::progress);
    }

    static FundRiskBenchmark fundRisk(
            Endpoints endpoints, StackEndpoints where, Duration checkpointInterval) {
        return new FundRiskBenchmark(
                stack(endpoints, checkpointInterval),
                StackEndpoints.clickHouse(endpoints, endpoints.accounts().admin()),
                clickHouseProcess(where),
                Console::progress);
    }

    /**
     * The local stack's ClickHouse server, whose CPU time the benchmarks read from /proc; none
     * (figures unknown) when the endpoints come from the environment or no local stack runs.
     */
    static ProcessCpu clickHouseProcess(StackEndpoints where) {
        if (Endpoints.fromEnvironment() != null) {
            return ProcessCpu.NONE;
        }
        ProcessCpu cpu =
                where.localStack()
                        .status()
                        .map(running -> ProcessCpu.of(running.clickHouse().pid()))
                        .orElse(ProcessCpu.NONE);
        if (!cpu.known()) {
            Console.progress("ClickHouse's CPU is not readable from /proc: its figures stay empty");
        }
        return cpu;
    }

    static SinkBenchmark sink(Endpoints endpoints) {
        ClickHouseAccounts accounts = endpoints.accounts();
        return new SinkBenchmark(
                endpoints.clickHouseUrl(),
                StackEndpoints.clickHouse(endpoints, accounts.admin()),
                accounts.writer().user(),
                accounts.writer().password(),
                Console::progress);
    }

    static PageRenderBenchmark pageRender(Endpoints endpoints) throws java.io.IOException {
        ClickHouseHttp reader = StackEndpoints.clickHouse(endpoints, endpoints.accounts().reader());
        LiveDashboards dashboards =
                LiveDashboards.asReader(
                        LiveDashboards.load(SnapshotCommand.dashboardsFolder(null)), reader, null);
        return new PageRenderBenchmark(
                dashboards, LiveDashboards.readerQuery(reader), Console::progress);
    }

    static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    @Command(
            name = "all",
            mixinStandardHelpOptions = true,
            description = {
                "Every benchmark in one run: the sink vs B3; participation and fund-risk vs B0 (the"
                    + " single-threaded floor) and B1, each job with heap state and with"
                    + " deploy/flink/config.yaml, with the fixed cost of a run on empty topics,"
                    + " marginal events/s, JVM CPU s per million events whole and net, ClickHouse"
                    + " CPU s per million, peak heap, checkpoint durations and state size;"
                    + " freshness at a steady rate; a night payment's alert after 40 s of quiet in"
                    + " a live feed; the live activity dashboard's render time on the participation"
                    + " run's world; both jobs at once in both setups. Prints a summary against the"
                    + " targets and the cost tables, and writes the results as JSON.",
                "Default, the full world: 250,000 learners (about 2 million activity events), the"
                        + " default training market, 5 M sink rows, 30 s of paced sending, 3 night"
                        + " payments; --quick: 20,000 learners, 2 M rows, 15 s, 1 night payment."
            })
    static final class All implements Callable<Integer> {

        @Mixin StackEndpoints where;

        @Mixin RunOptions run;

        @Option(
                names = "--quick",
                description = "A smaller run (20,000 learners), about 5 minutes.")
        boolean quick;

        @Option(
                names = "--checkpoint-interval",
                paramLabel = "DURATION",
                description =
                        "Checkpoint interval of every heap-state job, ISO-8601 (e.g. PT30S;"
                            + " default: 5 s for participation, 2 s for fund-risk). The production"
                            + " setup keeps deploy/flink/config.yaml's 30 s.")
        Duration checkpointInterval;

        @Option(
                names = "--out",
                paramLabel = "FILE",
                description =
                        "Where to write the JSON (default: bench/results-TIME.json in the"
                                + " work directory).")
        Path out;

        @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            long started = System.nanoTime();
            Endpoints endpoints = prepare(where);
            BenchReport report = new BenchReport(quick ? "quick" : "full", run.parallelism);
            if (checkpointInterval != null) {
                report.root().put("checkpoint_interval_ms", checkpointInterval.toMillis());
            }
            Console.progress("1/6 participation vs B1");
            ParticipationBenchmark participation =
                    participation(endpoints, where, checkpointInterval);
            report.participation(
                    participation.run(run.seed, quick ? 20_000 : 250_000, run.parallelism),
                    cores());

            Console.progress("2/6 participation freshness");
            report.freshness(
                    participation.freshness(
                            run.seed,
                            run.rate,
                            Duration.ofSeconds(quick ? 15 : 30),
                            run.parallelism));

            // the tables hold the participation run's world now
            Console.progress("3/6 page render of the live activity dashboard");
            report.pageRender(
                    pageRender(endpoints)
                            .run(PageRenderBenchmark.ACTIVITY_DASHBOARD, quick ? 5 : 10));

            Console.progress("4/6 fund-risk vs B1, detection latency and night payments");
            FundRiskBenchmark fundRisk = fundRisk(endpoints, where, checkpointInterval);
            report.fundRisk(
                    fundRisk.run(
                            run.seed,
                            run.parallelism,
                            run.rate,
                            quick ? Duration.ofSeconds(15) : null,
                            quick ? 1 : 3),
                    cores());

            for (FlinkSetup setup : FlinkSetup.values()) {
                Console.progress("5/6 both jobs at once, " + setup.description());
                report.together(
                        setup,
                        BothJobs.run(participation, fundRisk, run.parallelism, setup),
                        BothJobs.events(participation, fundRisk));
            }
            // Last: the merges ClickHouse runs after millions of rows would slow the jobs.
            long rows = quick ? 2_000_000 : 5_000_000;
            Console.progress("6/6 sink vs plain JDBC, " + String.format("%,d", rows) + " rows");
            report.sink(sink(endpoints).run(rows, 100_000), rows);
            report.root().put("total_s", (System.nanoTime() - started) / 1_000_000_000L);

            Path file =
                    out != null
                            ? out
                            : where.workDir()
                                    .resolve("bench")
                                    .resolve(
                                            "results-"
                                                    + LocalDateTime.now()
                                                            .format(
                                                                    DateTimeFormatter.ofPattern(
                                                                            "yyyyMMdd-HHmmss"))
                                                    + ".json");
            Files.createDirectories(file.toAbsolutePath().getParent());
            String json = report.json();
            Files.writeString(file, json + System.lineSeparator());
            PrintWriter printer = spec.commandLine().getOut();
            printer.println();
            printer.print(report.summary());
            printer.println();
            printer.println("results: " + file);
            printer.flush();
            return 0;
        }
    }

    @Command(
            name = "participation",
            mixinStandardHelpOptions = true,
            description =
                    "Events/s of the participation job (bounded, writing to ClickHouse) vs B0, the"
                        + " floor (decode, lateness, dropping resends and the per-minute tally in"
                        + " one thread on the messages in memory), and B1, a job that only decodes"
                        + " and counts the same topic; with heap state and with"
                        + " deploy/flink/config.yaml; fixed cost on empty topics, marginal"
                        + " events/s, JVM and ClickHouse CPU per million events, heap and"
                        + " checkpoints; the state bytes per learner of the campaign's exact"
                        + " distinct counts; and, with --freshness, the latency from append to row"
                        + " visible at a steady rate.")
    static final class Participation implements Callable<Integer> {

        @Mixin StackEndpoints where;

        @Mixin RunOptions run;

        @Option(
                names = "--learners",
                defaultValue = "20000",
                description =
                        "Learners in the generated world; 8 events each (default:"
                                + " ${DEFAULT-VALUE}).")
        int learners;

        @Option(names = "--freshness", description = "Also measure freshness.")
        boolean freshness;

        @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Endpoints endpoints = prepare(where);
            BenchReport report = new BenchReport("participation", run.parallelism);
            ParticipationBenchmark benchmark = participation(endpoints, where, null);
            report.participation(benchmark.run(run.seed, learners, run.parallelism), cores());
            if (freshness) {
                report.freshness(
                        benchmark.freshness(
                                run.seed, run.rate, Duration.ofSeconds(30), run.parallelism));
            }
            print(spec, report);
            return 0;
        }
    }

    @Command(
            name = "fund-risk",
            mixinStandardHelpOptions = true,
            description =
                    "Transactions/s of the fund-risk job (bounded, writing to ClickHouse and the"
                        + " alerts topic) vs B0, its floor (decode, ledger and rules per"
                        + " institution in one thread on the transactions in memory), and B1,"
                        + " decode and count; with heap state and with deploy/flink/config.yaml;"
                        + " fixed cost, marginal rate, JVM and ClickHouse CPU per million"
                        + " transactions; the detection latency from a payment's append to its"
                        + " alert row in ClickHouse at a steady rate; and, in a live feed, three"
                        + " night payments' alerts, each after 40 s with nothing sent. Empties"
                        + " risk_alerts: use a scratch stack.")
    static final class FundRisk implements Callable<Integer> {

        @Mixin StackEndpoints where;

        @Mixin RunOptions run;

        @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Endpoints endpoints = prepare(where);
            BenchReport report = new BenchReport("fund-risk", run.parallelism);
            report.fundRisk(
                    fundRisk(endpoints, where, null)
                            .run(run.seed, run.parallelism, run.rate, null, 3),
                    cores());
            print(spec, report);
            return 0;
        }
    }

    @Command(
            name = "sink",
            mixinStandardHelpOptions = true,
            description =
                    "Rows/s through the ClickHouse sink vs a plain JDBC batch insert (B3)"
                            + " of the same narrow rows, in the same run.")
    static final class Sink implements Callable<Integer> {

        @Mixin StackEndpoints where;

        @Option(
                names = "--rows",
                defaultValue = "5000000",
                description = "Rows per measured run (default: ${DEFAULT-VALUE}).")
        long rows;

        @Option(
                names = "--batch-rows",
                defaultValue = "100000",
                description = "Rows per insert, for both (default: ${DEFAULT-VALUE}).")
        int batchRows;

        @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Endpoints endpoints = prepare(where);
            BenchReport report = new BenchReport("sink", 1);
            report.sink(sink(endpoints).run(rows, batchRows), rows);
            print(spec, report);
            return 0;
        }
    }

    @Command(
            name = "page-render",
            mixinStandardHelpOptions = true,
            description =
                    "Server-side time to render every panel of the live activity dashboard (as"
                        + " ./pulse dashboards serve does: variables' queries, panel queries,"
                        + " drawing) over the whole activity week, on what the tables hold: load a"
                        + " world first (./pulse bench participation leaves its world there).")
    static final class PageRender implements Callable<Integer> {

        @Mixin StackEndpoints where;

        @Option(
                names = "--renders",
                defaultValue = "10",
                description = "Measured renders, after one to warm up (default: ${DEFAULT-VALUE}).")
        int renders;

        @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Endpoints endpoints = where.resolve();
            BenchReport report = new BenchReport("page-render", 1);
            report.pageRender(
                    pageRender(endpoints).run(PageRenderBenchmark.ACTIVITY_DASHBOARD, renders));
            print(spec, report);
            return 0;
        }
    }

    @Command(
            name = "backtest",
            mixinStandardHelpOptions = true,
            description =
                    "Transactions replayed per second by `./pulse rules backtest` over the default"
                            + " training market (300 institutions, 10 weeks; --quick: 40), sent to"
                            + " topics of its own: the live settings' replay and the trial's ("
                            + BacktestBenchmark.TRIAL
                            + "), each from the earliest offset. Writes no table.")
    static final class Backtest implements Callable<Integer> {

        @Mixin StackEndpoints where;

        @Mixin RunOptions run;

        @Option(names = "--quick", description = "40 institutions: a smoke run.")
        boolean quick;

        @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Endpoints endpoints = where.resolve();
            BenchReport report =
                    new BenchReport(quick ? "backtest quick" : "backtest", run.parallelism);
            report.backtest(
                    new BacktestBenchmark(stack(endpoints, null), Console::progress)
                            .run(run.seed, run.parallelism, quick));
            print(spec, report);
            return 0;
        }
    }

    /** The options every job benchmark shares. */
    static final class RunOptions {

        @Option(
                names = "--seed",
                defaultValue = "1",
                description = "World seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(
                names = "--parallelism",
                defaultValue = "2",
                description = "Parallelism of every job (default: ${DEFAULT-VALUE}).")
        int parallelism;

        @Option(
                names = "--rate",
                defaultValue = "5000",
                description =
                        "Messages per second of the freshness and detection-latency runs"
                                + " (default: ${DEFAULT-VALUE}).")
        double rate;
    }

    private static void print(picocli.CommandLine.Model.CommandSpec spec, BenchReport report) {
        PrintWriter out = spec.commandLine().getOut();
        out.println(report.json());
        out.print(report.summary());
        out.flush();
    }
}
