package org.lifelongpulse.cli.backtest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.lifelongpulse.avro.RiskRule;
import org.lifelongpulse.contracts.Topic;
import org.lifelongpulse.fundrisk.FundRiskOptions;
import org.lifelongpulse.fundrisk.records.AlertRow;
import org.lifelongpulse.jobs.JobEnvironment;
import org.lifelongpulse.jobs.KafkaOptions;
import org.lifelongpulse.ops.kafka.ContractProducer;
import org.lifelongpulse.ops.kafka.KafkaTopics;

/**
 * A back-test of rule settings: the retained transactions and the institutions' licence history
 * replayed through the fund-risk job twice, with the live settings and with the trial's, and the
 * enforced alerts of the period compared ({@link AlertDiff}).
 *
 * <p>Isolation: the replays read the live topics (transactions from the earliest offset with a
 * consumer group of their own that commits nothing; institutions and their history) and write no
 * live topic or table. Their rule settings travel on scratch topics of their own ({@code
 * pulse-backtest-<id>.fund.rules.v1}, deleted afterwards), so that the job reads them as in
 * production: one reference source for institutions and rules. Alerts are collected in this JVM.
 */
public final class Backtest {

    /** The figures of one replay, for the report. */
    public record ReplayFigures(long transactionsRead, Duration wall, int alertVersions) {

        public double perSecond() {
            return transactionsRead / Math.max(1e-3, wall.toNanos() / 1e9);
        }

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("transactions_read", transactionsRead);
            m.put("seconds", Math.round(wall.toMillis() / 100.0) / 10.0);
            m.put("transactions_per_second", Math.round(perSecond()));
            m.put("alert_versions", alertVersions);
            return m;
        }
    }

    /** What a back-test found. */
    public record Result(
            AlertDiff diff,
            TrialSettings settings,
            List<AlertRow> liveAlerts,
            List<AlertRow> trialAlerts,
            ReplayFigures live,
            ReplayFigures trial) {

        /** The replays' figures as the JSON report carries them. */
        public Map<String, Object> replays() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("live", live.json());
            m.put("trial", trial.json());
            return m;
        }
    }

    private final Configuration job;
    private final String bootstrap;
    private final String prefix;
    private final Consumer<String> progress;
    private final Duration progressEvery;
    private final Function<Configuration, StreamExecutionEnvironment> environments;

    /**
     * Replays on a local MiniCluster of their own, as {@code ./pulse run} runs a job.
     *
     * @param job the job's options: {@code kafka.bootstrap}, {@code kafka.topic-prefix} of the
     *     topics to replay, the payer-hash key, and the parallelism
     * @param progress where progress lines go (stderr on the command line)
     */
    public Backtest(Configuration job, Consumer<String> progress, Duration progressEvery) {
        this(job, progress, progressEvery, JobEnvironment::local);
    }

    /**
     * @param environments the environment of a replay's configuration (tests: the test's
     *     MiniCluster, {@link JobEnvironment#of})
     */
    public Backtest(
            Configuration job,
            Consumer<String> progress,
            Duration progressEvery,
            Function<Configuration, StreamExecutionEnvironment> environments) {
        this.environments = environments;
        this.job = new Configuration(job);
        this.bootstrap = KafkaOptions.bootstrap(job);
        this.prefix = job.get(KafkaOptions.TOPIC_PREFIX);
        this.progress = progress;
        this.progressEvery = progressEvery;
    }

    /** Transactions on the topic now (end minus beginning offsets), for progress. */
    public long retainedTransactions() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            var infos = consumer.partitionsFor(topic(Topic.FUND_TRANSACTIONS));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException(
                        "there is no topic " + topic(Topic.FUND_TRANSACTIONS) + " to replay");
            }
            List<TopicPartition> partitions =
                    infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            return partitions.stream().mapToLong(p -> end.get(p) - begin.get(p)).sum();
        }
    }

    /** Replays with the live settings, then with the trial's, and compares their alerts. */
    public Result run(TrialSettings settings, Instant from, Instant to) throws Exception {
        if (!settings.isValid()) {
            throw new IllegalArgumentException(String.join("; ", settings.errors()));
        }
        long total = retainedTransactions();
        progress.accept(
                String.format(
                        Locale.ROOT,
                        "replaying %,d retained transactions twice (live settings, then the"
                                + " trial's); alerts first detected in [%s, %s) are compared",
                        total,
                        from,
                        to));
        List<AlertRow> live = new ArrayList<>();
        ReplayFigures liveFigures =
                replay("live settings", settings.live().values(), to, total, live);
        List<AlertRow> trial = new ArrayList<>();
        ReplayFigures trialFigures =
                replay("trial settings", settings.trial().values(), to, total, trial);
        AlertDiff diff = AlertDiff.of(live, trial, from, to);
        return new Result(diff, settings, live, trial, liveFigures, trialFigures);
    }

    /** One replay with these settings on a scratch rules topic of its own. */
    ReplayFigures replay(
            String label, Collection<RiskRule> rules, Instant to, long total, List<AlertRow> alerts)
            throws Exception {
        String scratch = "pulse-backtest-" + UUID.randomUUID() + "." + Topic.RISK_RULES.topicName();
        createScratch(scratch, rules);
        Configuration config = new Configuration(job);
        // the prefix applies to every topic the job names; the scratch topic carries none
        config.set(KafkaOptions.TOPIC_PREFIX, "");
        config.set(FundRiskOptions.RULES_TOPIC, scratch);
        config.set(FundRiskOptions.INSTITUTIONS_TOPIC, topic(Topic.INSTITUTIONS));
        config.set(FundRiskOptions.ALERTS_TOPIC, "pulse-backtest-unused-alerts");
        config.set(FundRiskOptions.TRANSACTIONAL_ID_PREFIX, "pulse-backtest-" + UUID.randomUUID());
        // the bounded reference source ends at once; a longer quiet only guards a slow first read
        config.set(FundRiskOptions.REFERENCE_QUIET, Duration.ofSeconds(3));
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        // no checkpoints: nothing to restore, no offsets to commit, and no state snapshots of a
        // replay's held transactions (the in-memory checkpoint storage would refuse them)
        config.removeConfig(CheckpointingOptions.CHECKPOINTING_INTERVAL);
        if (!config.contains(CoreOptions.DEFAULT_PARALLELISM)) {
            config.set(CoreOptions.DEFAULT_PARALLELISM, 2);
        }
        Replay replay =
                new Replay(
                        config,
                        topic(Topic.FUND_TRANSACTIONS),
                        List.of(
                                topic(Topic.INSTITUTIONS),
                                topic(Topic.INSTITUTION_VERSIONS),
                                scratch),
                        to.toEpochMilli(),
                        environments);
        ScheduledExecutorService ticker =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "backtest-progress");
                            t.setDaemon(true);
                            return t;
                        });
        long started = System.nanoTime();
        ticker.scheduleAtFixedRate(
                () -> progress.accept(line(label, replay.read(), total, started)),
                progressEvery.toMillis(),
                progressEvery.toMillis(),
                TimeUnit.MILLISECONDS);
        try {
            alerts.addAll(replay.run("pulse rules backtest: " + label));
        } finally {
            ticker.shutdownNow();
            deleteScratch(scratch);
        }
        long read = replay.read();
        Duration wall = Duration.ofNanos(System.nanoTime() - started);
        progress.accept(line(label, read, total, started) + ", done");
        return new ReplayFigures(read, wall, alerts.size());
    }

    private static String line(String label, long read, long total, long startedNanos) {
        double seconds = Math.max(1e-3, (System.nanoTime() - startedNanos) / 1e9);
        return String.format(
                Locale.ROOT,
                "%s: %,d / %,d transactions replayed (%d %%), %,.0f/s",
                label,
                read,
                total,
                total == 0 ? 100 : Math.min(100, read * 100 / total),
                read / seconds);
    }

    private String topic(Topic topic) {
        return topic.topicName(prefix);
    }

    private void createScratch(String name, Collection<RiskRule> rules) throws Exception {
        KafkaTopics.create(
                bootstrap,
                List.of(
                        new NewTopic(name, Optional.of(1), Optional.empty())
                                .configs(
                                        Map.of(
                                                TopicConfig.CLEANUP_POLICY_CONFIG,
                                                TopicConfig.CLEANUP_POLICY_COMPACT))));
        try (ContractProducer producer = new ContractProducer(bootstrap)) {
            List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
            for (RiskRule rule : rules) {
                acks.add(
                        producer.sendRaw(
                                name, Topic.RISK_RULES.keyOf(rule), producer.encode(rule)));
            }
            producer.flush();
            for (var ack : acks) {
                ack.get();
            }
        }
    }

    private void deleteScratch(String name) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props)) {
            admin.deleteTopics(List.of(name)).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            progress.accept("could not delete the scratch topic " + name + ": " + e.getMessage());
        }
    }
}
