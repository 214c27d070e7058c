package org.lifelongpulse.cli.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.lifelongpulse.cli.backtest.Backtest;
import org.lifelongpulse.cli.backtest.TrialSettings;
import org.lifelongpulse.contracts.Topic;
import org.lifelongpulse.generator.Delivery;
import org.lifelongpulse.generator.Generator;
import org.lifelongpulse.generator.KafkaSink;
import org.lifelongpulse.generator.Message;
import org.lifelongpulse.generator.World;
import org.lifelongpulse.generator.WorldParameters;
import org.lifelongpulse.jobs.KafkaOptions;

/**
 * Transactions replayed per second by {@code ./pulse rules backtest}: the default training market's
 * fund side on topics of its own, back-tested with R2's limit lowered to 3,000 yuan over the whole
 * market (two replays, the live settings' and the trial's, each read from the earliest offset).
 */
public final class BacktestBenchmark {

    /** The trial the benchmark runs. */
    public static final String TRIAL = "R2.max_amount_yuan=3000";

    /**
     * The figures of one back-test.
     *
     * @param transactions messages on the transactions topic (each replay reads all of them)
     */
    public record Result(
            long transactions,
            int institutions,
            Backtest.ReplayFigures live,
            Backtest.ReplayFigures trial,
            int gained,
            int lost,
            Duration wall) {

        /** Both replays together: transactions read over their wall time. */
        public double perSecond() {
            double seconds = (live.wall().toNanos() + trial.wall().toNanos()) / 1e9;
            return (live.transactionsRead() + trial.transactionsRead()) / Math.max(1e-3, seconds);
        }
    }

    private final Configuration stack;
    private final Consumer<String> progress;

    /**
     * @param stack the stack's Kafka as job options, with the payer-hash key
     */
    public BacktestBenchmark(Configuration stack, Consumer<String> progress) {
        this.stack = stack;
        this.progress = progress;
    }

    /**
     * @param quick 40 institutions instead of the default 300
     */
    public Result run(long seed, int parallelism, boolean quick) throws Exception {
        WorldParameters parameters = WorldParameters.defaults(seed).withLearners(1_000, 2_000);
        if (quick) {
            parameters = parameters.withInstitutions(40);
        }
        progress.accept(
                "building the training market ("
                        + parameters.institutions()
                        + " institutions, 10 weeks)");
        World world = Generator.build(parameters);
        List<Message> fund =
                world.messages().stream()
                        .filter(
                                m ->
                                        m.topic() == Topic.FUND_TRANSACTIONS
                                                || m.topic() == Topic.INSTITUTIONS)
                        .toList();
        String prefix = "bench-backtest-" + System.nanoTime() + ".";
        try (KafkaSink out = new KafkaSink(KafkaOptions.bootstrap(stack), prefix, parameters)) {
            new Delivery(0, line -> {}).send(fund, out);
        }
        Configuration job = new Configuration(stack);
        job.set(KafkaOptions.TOPIC_PREFIX, prefix);
        job.set(CoreOptions.DEFAULT_PARALLELISM, parallelism);
        Instant from = Instant.ofEpochMilli(parameters.fundStartMillis());
        Instant to = Instant.ofEpochMilli(parameters.fundEndMillis()).plus(Duration.ofDays(1));
        long started = System.nanoTime();
        Backtest.Result r =
                new Backtest(job, progress, Duration.ofSeconds(5))
                        .run(
                                TrialSettings.of(Map.of(), null, List.of(TRIAL), Instant.now()),
                                from,
                                to);
        return new Result(
                fund.stream().filter(m -> m.topic() == Topic.FUND_TRANSACTIONS).count(),
                parameters.institutions(),
                r.live(),
                r.trial(),
                r.diff().gained().size(),
                r.diff().lost().size(),
                Duration.ofNanos(System.nanoTime() - started));
    }
}
