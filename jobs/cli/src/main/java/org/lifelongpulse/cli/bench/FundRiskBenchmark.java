package org.lifelongpulse.cli.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.lifelongpulse.adapters.clickhouse.ClickHouseHttp;
import org.lifelongpulse.adapters.clickhouse.sink.ClickHouseSinkOptions;
import org.lifelongpulse.adapters.kafka.KafkaSources;
import org.lifelongpulse.adapters.kafka.KafkaTopics;
import org.lifelongpulse.avro.PrepaidTransaction;
import org.lifelongpulse.contracts.Topic;
import org.lifelongpulse.fundrisk.FundRiskJob;
import org.lifelongpulse.fundrisk.FundRiskOptions;
import org.lifelongpulse.fundrisk.FundRiskSinks;
import org.lifelongpulse.generator.Delivery;
import org.lifelongpulse.generator.Generator;
import org.lifelongpulse.generator.KafkaSink;
import org.lifelongpulse.generator.Message;
import org.lifelongpulse.generator.World;
import org.lifelongpulse.generator.WorldParameters;
import org.lifelongpulse.participation.functions.LearnerPseudonym;

/**
 * The fund-risk job's throughput against B1 (decode and count the same topic) in the same run,
 * and its detection latency: at a steady sending rate, from a payment's append to Kafka to its
 * alert row being visible in ClickHouse.
 */
public final class FundRiskBenchmark {

    /** The figures of one run. */
    public record Result(long messages, int parallelism, MeasuredRun.Cost baseline,
            MeasuredRun.Cost job, List<Long> latenciesMillis, double rate) {

        public double baselinePerSecond() {
            return baseline.perSecond(messages);
        }

        public double jobPerSecond() {
            return job.perSecond(messages);
        }

        public long latencyPercentile(double p) {
            return Percentiles.of(latenciesMillis, p);
        }
    }

    /** The pre-filled topics of a run, for running the job again (both jobs at once). */
    public record Prefilled(String prefix, FundRiskOptions.Settings settings, long messages) {}

    private final String bootstrap;
    private final ClickHouseSinkOptions.Settings sink;
    private final ClickHouseHttp reader;  // the admin account: it also empties risk_alerts
    private final Consumer<String> progress;

    public FundRiskBenchmark(String bootstrap, ClickHouseSinkOptions.Settings sink,
            ClickHouseHttp reader, Consumer<String> progress) {
        this.bootstrap = bootstrap;
        this.sink = sink;
        this.reader = reader;
        this.progress = progress;
    }

    private Prefilled prefilled;

    /** The topics the last {@link #run} filled. */
    public Prefilled prefilled() {
        return prefilled;
    }

    /**
     * @param sending how long to send the world at {@code rate} for the latency run; null for
     *     the whole world (204,770 messages: 41 s at 5,000/s)
     */
    public Result run(long seed, int parallelism, double rate, Duration sending)
            throws Exception {
        WorldParameters parameters = WorldParameters.defaults(seed).withLearners(1_000, 2_000);
        progress.accept("building the default training market (300 institutions, 10 weeks)");
        World world = Generator.build(parameters);
        List<Message> fund = world.messages().stream()
                .filter(m -> m.topic() == Topic.FUND_TRANSACTIONS
                        || m.topic() == Topic.INSTITUTIONS).toList();
        long transactions = fund.stream().filter(m -> m.topic() == Topic.FUND_TRANSACTIONS)
                .count();

        String prefix = "bench-fund-" + System.nanoTime() + ".";
        FundRiskOptions.Settings throughput = prepare(prefix, parameters, fund, 0);
        prefilled = new Prefilled(prefix, throughput, transactions);
        // B1: a warm-up, then the median of three runs (each is about a second)
        baseline(throughput, prefix, parallelism);
        MeasuredRun.Cost b1 = MeasuredRun.Cost.median(List.of(
                baseline(throughput, prefix, parallelism),
                baseline(throughput, prefix, parallelism),
                baseline(throughput, prefix, parallelism)));
        progress.accept(String.format("B1 decode and count: %,.0f transactions/s",
                b1.perSecond(transactions)));
        // Warm-up of the job (class loading, JIT): the same data as another deployment.
        progress.accept("warming up the fund-risk job");
        MeasuredRun warmUp = MeasuredRun.environment(parallelism, Duration.ofSeconds(2));
        define(warmUp.env(), new Prefilled(prefix, throughput.withTransactionalIdPrefix(
                "bench-warm-up-" + System.nanoTime()), transactions),
                "bench-warm-up-" + System.nanoTime(), true);
        warmUp.run("bench fund-risk warm-up");
        MeasuredRun run = MeasuredRun.environment(parallelism, Duration.ofSeconds(2));
        define(run.env(), prefilled, "bench-fund-" + System.nanoTime(), true);
        MeasuredRun.Cost job = run.run("bench fund-risk");
        progress.accept(String.format("fund-risk job: %,.0f transactions/s",
                job.perSecond(transactions)));

        // The same world again: its alert ids are those of the run above, so the table starts
        // empty for the freshness run (the benchmark's stack is a scratch stack).
        reader.execute("TRUNCATE TABLE pulse.risk_alerts");
        List<Message> paced = sending == null ? fund
                : fund.subList(0, (int) Math.min(fund.size(), rate * sending.toSeconds()));
        List<Long> latencies = latency(parameters, paced, parallelism, rate);
        return new Result(transactions, parallelism, b1, job, latencies, rate);
    }

    /** Unbounded job, paced sending, alerts polled from ClickHouse as they appear. */
    private List<Long> latency(WorldParameters parameters, List<Message> fund, int parallelism,
            double rate) throws Exception {
        String prefix = "bench-fresh-" + System.nanoTime() + ".";
        FundRiskOptions.Settings settings = prepare(prefix, parameters, List.of(), 0);
        MeasuredRun run = MeasuredRun.environment(parallelism, Duration.ofSeconds(2));
        define(run.env(), new Prefilled(prefix, settings, 0), "bench-fresh-" + System.nanoTime(),
                false);
        JobClient job = run.start("bench fund-risk freshness").job();
        Set<String> known = new HashSet<>(alertIds());
        Map<String, Long> sentAt = new HashMap<>();
        List<Long> latencies = new ArrayList<>();
        progress.accept(String.format("sending %,d messages at %,.0f/s to measure freshness",
                fund.size(), rate));
        try (KafkaSink out = new KafkaSink(bootstrap, prefix, parameters)) {
            Pacer pacer = new Pacer(rate);
            long nextPoll = System.nanoTime();
            for (int i = 0; i < fund.size(); i++) {
                pacer.await(i);
                Message m = fund.get(i);
                out.send(m);
                if (m.record() instanceof PrepaidTransaction t) {
                    sentAt.putIfAbsent(t.getInstitutionId() + "@"
                            + t.getOccurredAt().getEpochSecond(), System.currentTimeMillis());
                }
                if (System.nanoTime() > nextPoll) {
                    out.flush();
                    poll(known, sentAt, latencies);
                    nextPoll = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
                }
            }
            out.flush();
        }
        // the last alerts: until 10 s pass without a new one (at most a minute)
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long quietSince = System.nanoTime();
        while (System.nanoTime() < giveUp
                && System.nanoTime() - quietSince < TimeUnit.SECONDS.toNanos(10)) {
            if (poll(known, sentAt, latencies)) {
                quietSince = System.nanoTime();
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
        job.cancel().get(1, TimeUnit.MINUTES);
        return latencies;
    }

    /** Times the alerts that appeared since the last poll; whether there were any. */
    private boolean poll(Set<String> known,
            Map<String, Long> sentAt, List<Long> latencies) {
        long now = System.currentTimeMillis();
        boolean any = false;
        for (List<String> row : reader.rows("SELECT alert_id, institution_id,"
                + " toUnixTimestamp(first_detected_at) FROM pulse.risk_alerts")) {
            if (known.add(row.get(0))) {
                any = true;
                Long sent = sentAt.get(row.get(1) + "@" + row.get(2));
                // Alerts raised by a timer (overdue refund, silence) have no payment to time.
                if (sent != null) {
                    latencies.add(now - sent);
                }
            }
        }
        return any;
    }

    private List<String> alertIds() {
        return reader.rows("SELECT alert_id FROM pulse.risk_alerts").stream()
                .map(r -> r.get(0)).toList();
    }

    private FundRiskOptions.Settings prepare(String prefix, WorldParameters parameters,
            List<Message> messages, double rate) throws Exception {
        FundRiskOptions.Settings settings = FundRiskOptions.defaults(
                LearnerPseudonym.DEVELOPMENT_SECRET).withTopicPrefix(prefix);
        KafkaTopics.ensure(bootstrap, prefix, KafkaTopics.DEFAULT_PARTITIONS, (short) 1);
        if (!messages.isEmpty()) {
            try (KafkaSink out = new KafkaSink(bootstrap, prefix, parameters)) {
                new Delivery(rate, line -> { }).send(messages, out);
            }
        }
        return settings;
    }

    /** The production topology on pre-filled topics. */
    void define(StreamExecutionEnvironment env, Prefilled topics, String group,
            boolean bounded) {
        FundRiskJob.defineWorkflow(env, topics.settings(),
                KafkaSources.decoded(bootstrap, group, bounded,
                        FundRiskJob.transactionDeserializer(topics.settings()),
                        topics.prefix() + Topic.FUND_TRANSACTIONS.topicName()),
                FundRiskJob.referenceSource(bootstrap, bounded, topics.settings()),
                FundRiskSinks.production(sink, bootstrap, topics.settings()));
    }

    private MeasuredRun.Cost baseline(FundRiskOptions.Settings settings, String prefix,
            int parallelism) throws Exception {
        MeasuredRun run = MeasuredRun.environment(parallelism, Duration.ofSeconds(2));
        run.env().fromSource(KafkaSources.decoded(bootstrap, "bench-b1-" + System.nanoTime(),
                                true, FundRiskJob.transactionDeserializer(settings),
                                prefix + Topic.FUND_TRANSACTIONS.topicName()),
                        WatermarkStrategy.noWatermarks(), "transactions").uid("b1-source")
                .map(d -> d.value == null ? 0L : 1L).uid("b1-count").name("count")
                .sinkTo(new DiscardingSink<>()).uid("b1-discard").name("discard");
        return run.run("bench fund b1");
    }
}
