package org.lifelongpulse.cli.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.lifelongpulse.adapters.clickhouse.ClickHouseHttp;
import org.lifelongpulse.adapters.clickhouse.sink.ClickHouseSinkOptions;
import org.lifelongpulse.adapters.kafka.KafkaSources;
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
    public record Result(long messages, int parallelism, Duration baseline, Duration job,
            List<Long> latenciesMillis) {

        public double baselinePerSecond() {
            return messages / (baseline.toNanos() / 1e9);
        }

        public double jobPerSecond() {
            return messages / (job.toNanos() / 1e9);
        }

        public long latencyPercentile(double p) {
            if (latenciesMillis.isEmpty()) {
                return -1;
            }
            List<Long> sorted = new ArrayList<>(latenciesMillis);
            Collections.sort(sorted);
            return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
        }
    }

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

    public Result run(long seed, int parallelism, double rate) throws Exception {
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
        baseline(throughput, prefix, parallelism);
        Duration b1 = baseline(throughput, prefix, parallelism);
        progress.accept(String.format("B1 decode and count: %,.0f transactions/s",
                transactions / (b1.toNanos() / 1e9)));
        StreamExecutionEnvironment env = environment(parallelism);
        define(env, throughput, prefix, true);
        long start = System.nanoTime();
        env.execute("bench fund-risk");
        Duration job = Duration.ofNanos(System.nanoTime() - start);
        progress.accept(String.format("fund-risk job: %,.0f transactions/s",
                transactions / (job.toNanos() / 1e9)));

        // The same world again: its alert ids are those of the run above, so the table starts
        // empty for the freshness run (the benchmark's stack is a scratch stack).
        reader.execute("TRUNCATE TABLE pulse.risk_alerts");
        List<Long> latencies = latency(parameters, fund, parallelism, rate);
        return new Result(transactions, parallelism, b1, job, latencies);
    }

    /** Unbounded job, paced sending, alerts polled from ClickHouse as they appear. */
    private List<Long> latency(WorldParameters parameters, List<Message> fund, int parallelism,
            double rate) throws Exception {
        String prefix = "bench-fresh-" + System.nanoTime() + ".";
        FundRiskOptions.Settings settings = prepare(prefix, parameters, List.of(), 0);
        StreamExecutionEnvironment env = environment(parallelism);
        define(env, settings, prefix, false);
        JobClient job = env.executeAsync("bench fund-risk freshness");
        Set<String> known = new HashSet<>(alertIds());
        Map<String, Long> sentAt = new HashMap<>();
        List<Long> latencies = new ArrayList<>();
        progress.accept(String.format("sending %,d messages at %,.0f/s to measure freshness",
                fund.size(), rate));
        try (KafkaSink out = new KafkaSink(bootstrap, prefix, parameters)) {
            long begin = System.nanoTime();
            long nextPoll = begin;
            for (int i = 0; i < fund.size(); i++) {
                long due = begin + (long) (i * 1e9 / rate);
                while (System.nanoTime() < due) {
                    LockSupport.parkNanos(Math.min(due - System.nanoTime(), 200_000));
                }
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
        java.util.Properties props = new java.util.Properties();
        props.put("bootstrap.servers", bootstrap);
        try (Admin admin = Admin.create(props)) {
            admin.createTopics(List.of(
                    new NewTopic(settings.institutionsTopic(), 1, (short) 1)
                            .configs(Map.of("cleanup.policy", "compact")),
                    new NewTopic(settings.rulesTopic(), 1, (short) 1)
                            .configs(Map.of("cleanup.policy", "compact")),
                    new NewTopic(settings.alertsTopic(), 2, (short) 1),
                    new NewTopic(prefix + Topic.FUND_TRANSACTIONS.topicName(), 2, (short) 1)))
                    .all().get();
        }
        if (!messages.isEmpty()) {
            try (KafkaSink out = new KafkaSink(bootstrap, prefix, parameters)) {
                new Delivery(rate, line -> { }).send(messages, out);
            }
        }
        return settings;
    }

    private void define(StreamExecutionEnvironment env, FundRiskOptions.Settings settings,
            String prefix, boolean bounded) {
        FundRiskJob.defineWorkflow(env, settings,
                KafkaSources.decoded(bootstrap, "bench-fund-" + System.nanoTime(), bounded,
                        FundRiskJob.transactionDeserializer(settings),
                        prefix + Topic.FUND_TRANSACTIONS.topicName()),
                FundRiskJob.referenceSource(bootstrap, bounded, settings),
                FundRiskSinks.production(sink, bootstrap, settings));
    }

    private Duration baseline(FundRiskOptions.Settings settings, String prefix,
            int parallelism) throws Exception {
        StreamExecutionEnvironment env = environment(parallelism);
        env.fromSource(KafkaSources.decoded(bootstrap, "bench-b1-" + System.nanoTime(), true,
                        FundRiskJob.transactionDeserializer(settings),
                        prefix + Topic.FUND_TRANSACTIONS.topicName()),
                        WatermarkStrategy.noWatermarks(), "transactions").uid("b1-source")
                .map(d -> d.value == null ? 0L : 1L).uid("b1-count").name("count")
                .sinkTo(new DiscardingSink<>()).uid("b1-discard").name("discard");
        long start = System.nanoTime();
        env.execute("bench fund b1");
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static StreamExecutionEnvironment environment(int parallelism) {
        Configuration config = new Configuration();
        config.set(PipelineOptions.GENERIC_TYPES, false);
        config.set(PipelineOptions.AUTO_GENERATE_UIDS, false);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(parallelism, config);
        env.enableCheckpointing(2_000);
        return env;
    }
}
