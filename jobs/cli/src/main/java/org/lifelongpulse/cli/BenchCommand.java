package org.lifelongpulse.cli;

import java.util.concurrent.Callable;
import org.lifelongpulse.cli.bench.SinkBenchmark;
import org.lifelongpulse.stack.ClickHouseAccounts;
import org.lifelongpulse.stack.Endpoints;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./pulse bench}: measured performance, with in-run baselines. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure throughput against in-run baselines (figures, not assertions).",
        subcommands = {BenchCommand.Sink.class, BenchCommand.Participation.class,
            BenchCommand.FundRisk.class})
final class BenchCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The stack to measure on, with the schema applied and the topics created. */
    static Endpoints prepare(StackEndpoints where) {
        Endpoints endpoints = where.resolve();
        SchemaCommand.migrator(endpoints).apply();
        org.lifelongpulse.adapters.kafka.KafkaTopics.ensure(endpoints.kafkaBootstrap(),
                org.lifelongpulse.adapters.kafka.KafkaTopics.DEFAULT_PARTITIONS, (short) 1);
        return endpoints;
    }

    @Command(name = "participation", mixinStandardHelpOptions = true,
            description = "Events/s of the participation job (bounded, writing to ClickHouse)"
                    + " vs B1, a job that only decodes and counts the same topic; and the state"
                    + " bytes per learner of the campaign's exact distinct counts.")
    static final class Participation implements Callable<Integer> {

        @Mixin
        StackEndpoints where;

        @Option(names = "--learners", defaultValue = "20000",
                description = "Learners in the generated world; 8 events each (default:"
                        + " ${DEFAULT-VALUE}).")
        int learners;

        @Option(names = "--seed", defaultValue = "1", description = "World seed (default: 1).")
        long seed;

        @Option(names = "--parallelism", defaultValue = "2",
                description = "Parallelism of both jobs (default: ${DEFAULT-VALUE}).")
        int parallelism;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Endpoints endpoints = prepare(where);
            ClickHouseAccounts accounts = endpoints.accounts();
            var result = new org.lifelongpulse.cli.bench.ParticipationBenchmark(
                    endpoints.kafkaBootstrap(), endpoints.clickHouseUrl(),
                    accounts.writer().user(), accounts.writer().password(),
                    StackEndpoints.clickHouse(endpoints, accounts.admin()),
                    where.workDir().resolve("bench"), Console::progress)
                    .run(seed, learners, parallelism);
            int cores = Runtime.getRuntime().availableProcessors();
            var out = spec.commandLine().getOut();
            out.printf("{\"benchmark\":\"participation\",\"messages\":%d,\"learners\":%d,"
                            + "\"parallelism\":%d,\"cores\":%d,"
                            + "\"b1_decode_count_events_per_s\":%.0f,"
                            + "\"participation_events_per_s\":%.0f,"
                            + "\"participation_events_per_s_per_core\":%.0f,"
                            + "\"ratio_participation_to_b1\":%.3f,"
                            + "\"campaign_state_bytes\":%d,"
                            + "\"campaign_state_bytes_per_learner\":%.1f}%n",
                    result.messages(), result.learners(), result.parallelism(), cores,
                    result.baselineEventsPerSecond(), result.participationEventsPerSecond(),
                    result.participationEventsPerSecond() / Math.min(cores, parallelism),
                    result.ratioToBaseline(), result.campaignStateBytes(),
                    result.campaignStateBytesPerLearner());
            out.flush();
            return 0;
        }
    }

    @Command(name = "fund-risk", mixinStandardHelpOptions = true,
            description = "Transactions/s of the fund-risk job (bounded, writing to ClickHouse"
                    + " and the alerts topic) vs B1, decode and count; and the detection latency"
                    + " from a payment's append to its alert row in ClickHouse at a steady rate."
                    + " Writes into the stack's tables and empties risk_alerts: use a scratch"
                    + " stack.")
    static final class FundRisk implements Callable<Integer> {

        @Mixin
        StackEndpoints where;

        @Option(names = "--seed", defaultValue = "1", description = "World seed (default: 1).")
        long seed;

        @Option(names = "--parallelism", defaultValue = "2",
                description = "Parallelism (default: ${DEFAULT-VALUE}).")
        int parallelism;

        @Option(names = "--rate", defaultValue = "5000",
                description = "Messages per second for the latency run (default:"
                        + " ${DEFAULT-VALUE}).")
        double rate;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Endpoints endpoints = prepare(where);
            ClickHouseAccounts accounts = endpoints.accounts();
            var sink = new org.lifelongpulse.adapters.clickhouse.sink.ClickHouseSinkOptions
                    .Settings(endpoints.clickHouseUrl(), accounts.writer().user(),
                    accounts.writer().password(), 100_000, java.time.Duration.ofSeconds(1), 12,
                    java.time.Duration.ofMillis(200), java.time.Duration.ofSeconds(30),
                    "pulse.dead_letters", "bench");
            var result = new org.lifelongpulse.cli.bench.FundRiskBenchmark(
                    endpoints.kafkaBootstrap(), sink,
                    StackEndpoints.clickHouse(endpoints, accounts.admin()), Console::progress)
                    .run(seed, parallelism, rate);
            int cores = Runtime.getRuntime().availableProcessors();
            var out = spec.commandLine().getOut();
            out.printf("{\"benchmark\":\"fund-risk\",\"transactions\":%d,\"parallelism\":%d,"
                            + "\"cores\":%d,\"b1_decode_count_per_s\":%.0f,"
                            + "\"fund_risk_per_s\":%.0f,\"fund_risk_per_s_per_core\":%.0f,"
                            + "\"ratio_fund_risk_to_b1\":%.3f,\"alerts_timed\":%d,"
                            + "\"detection_latency_p50_ms\":%d,"
                            + "\"detection_latency_p99_ms\":%d,\"rate\":%.0f}%n",
                    result.messages(), result.parallelism(), cores, result.baselinePerSecond(),
                    result.jobPerSecond(), result.jobPerSecond() / Math.min(cores, parallelism),
                    result.jobPerSecond() / result.baselinePerSecond(),
                    result.latenciesMillis().size(), result.latencyPercentile(0.5),
                    result.latencyPercentile(0.99), rate);
            out.flush();
            return 0;
        }
    }

    @Command(name = "sink", mixinStandardHelpOptions = true,
            description = "Rows/s through the ClickHouse sink vs a plain JDBC batch insert (B3)"
                    + " of the same narrow rows, in the same run.")
    static final class Sink implements Callable<Integer> {

        @Mixin
        StackEndpoints where;

        @Option(names = "--rows", defaultValue = "5000000",
                description = "Rows per measured run (default: ${DEFAULT-VALUE}).")
        long rows;

        @Option(names = "--batch-rows", defaultValue = "100000",
                description = "Rows per insert, for both (default: ${DEFAULT-VALUE}).")
        int batchRows;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Endpoints endpoints = prepare(where);
            ClickHouseAccounts accounts = endpoints.accounts();
            SinkBenchmark.Result result = new SinkBenchmark(endpoints.clickHouseUrl(),
                    StackEndpoints.clickHouse(endpoints, accounts.admin()),
                    accounts.writer().user(), accounts.writer().password(), Console::progress)
                    .run(rows, batchRows);
            var out = spec.commandLine().getOut();
            out.printf("{\"benchmark\":\"sink\",\"rows\":%d,\"batch_rows\":%d,"
                            + "\"b3_plain_jdbc_rows_per_s\":%.0f,\"sink_p1_rows_per_s\":%.0f,"
                            + "\"sink_p2_rows_per_s\":%.0f,\"ratio_sink_p1_to_b3\":%.3f,"
                            + "\"ratio_sink_p2_to_b3\":%.3f}%n",
                    rows, batchRows, result.plainJdbc().rowsPerSecond(),
                    result.sinkP1().rowsPerSecond(), result.sinkP2().rowsPerSecond(),
                    result.ratioP1(), result.ratioP2());
            out.flush();
            return 0;
        }
    }
}
