package org.lifelongpulse.cli.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.lifelongpulse.adapters.kafka.KafkaSources;
import org.lifelongpulse.admission.Decoded;
import org.lifelongpulse.avro.LearningActivity;
import org.lifelongpulse.contracts.Topic;
import org.lifelongpulse.generator.Delivery;
import org.lifelongpulse.generator.Fault;
import org.lifelongpulse.generator.Generator;
import org.lifelongpulse.generator.KafkaSink;
import org.lifelongpulse.generator.Message;
import org.lifelongpulse.generator.World;
import org.lifelongpulse.generator.WorldParameters;
import org.lifelongpulse.jobs.KafkaOptions;
import org.lifelongpulse.ops.clickhouse.ClickHouseHttp;
import org.lifelongpulse.ops.kafka.KafkaTopics;
import org.lifelongpulse.participation.ParticipationJob;
import org.lifelongpulse.participation.ParticipationOptions;
import org.lifelongpulse.participation.records.Activity;

/**
 * The participation job's throughput against B1 — a job on the same topic that only decodes the
 * Avro messages and counts them — in the same run, and the state the campaign's exact distinct
 * counts keep per learner (the size of a savepoint of that part of the job).
 */
public final class ParticipationBenchmark {

    /**
     * The figures of one run.
     *
     * @param floor B0, the single-threaded floor on the same messages in memory
     * @param baseline B1 (median of three) beside B1 on empty topics
     * @param participation the job with the benchmark's heap configuration, beside the same on
     *     empty topics
     * @param production the job with {@code deploy/flink/config.yaml}, beside the same on empty
     *     topics
     */
    public record Result(
            long messages,
            long events,
            int learners,
            int parallelism,
            ParticipationFloor.Result floor,
            Marginal baseline,
            Marginal participation,
            Marginal production,
            long campaignStateBytes) {

        public double baselineEventsPerSecond() {
            return baseline.perSecond(messages);
        }

        public double participationEventsPerSecond() {
            return participation.perSecond(messages);
        }

        public double ratioToBaseline() {
            return participationEventsPerSecond() / baselineEventsPerSecond();
        }

        public double campaignStateBytesPerLearner() {
            return (double) campaignStateBytes / learners;
        }
    }

    /** The pre-filled topics of a run, for running the job again (both jobs at once). */
    public record Prefilled(String prefix, long messages, String campaign) {

        public String activityTopic() {
            return KafkaSink.topicName(prefix, Topic.LEARNING_ACTIVITY);
        }

        /** The production job's configuration on these topics, on top of {@code stack}. */
        public Configuration job(Configuration stack, String group, boolean bounded) {
            Configuration config = new Configuration(stack);
            config.set(KafkaOptions.TOPIC_PREFIX, prefix);
            config.set(KafkaOptions.BOUNDED, bounded);
            config.set(ParticipationOptions.GROUP_ID, group);
            config.set(ParticipationOptions.CAMPAIGN, campaign);
            return config;
        }

        public ParticipationOptions.Settings settings(Configuration stack) {
            return ParticipationOptions.settings(job(stack, "unused", true));
        }
    }

    private final Configuration stack;
    private final String bootstrap;
    private final ClickHouseHttp admin;
    private final Path workDir;
    private final ProcessCpu clickHouse;
    private final Consumer<String> progress;

    /**
     * @param stack the stack's Kafka and ClickHouse (writer account) as job options, and the
     *     checkpoint interval if one is imposed on every job
     * @param clickHouse the ClickHouse server's process, read around each measured run
     */
    public ParticipationBenchmark(
            Configuration stack,
            ClickHouseHttp admin,
            Path workDir,
            ProcessCpu clickHouse,
            Consumer<String> progress) {
        this.stack = stack;
        this.bootstrap = KafkaOptions.bootstrap(stack);
        this.admin = admin;
        this.workDir = workDir;
        this.clickHouse = clickHouse;
        this.progress = progress;
    }

    private Prefilled prefilled;

    /** The topics the last {@link #run} filled. */
    public Prefilled prefilled() {
        return prefilled;
    }

    public Result run(long seed, int learners, int parallelism) throws Exception {
        WorldParameters parameters =
                WorldParameters.defaults(seed)
                        .withLearners(
                                learners, (long) learners * WorldParameters.EVENTS_PER_LEARNER)
                        .withInstitutions(40);
        progress.accept(String.format("building a world of %,d learners", learners));
        World world = Generator.build(parameters);
        prefilled = prefill(parameters, world);
        long campaignEvents =
                world.messages().stream()
                        .filter(m -> m.topic() == Topic.LEARNING_ACTIVITY && !m.fault().malformed())
                        .filter(
                                m ->
                                        parameters
                                                .campaign()
                                                .equals(
                                                        ((org.lifelongpulse.avro.LearningActivity)
                                                                        m.record())
                                                                .getCampaign()))
                        .count();
        long events =
                world.messages().stream()
                        .filter(m -> m.topic() == Topic.LEARNING_ACTIVITY && m.record() != null)
                        .count();
        world = null; // the heap figures are the jobs', not the world's
        String activity = prefilled.activityTopic();
        long activityMessages = prefilled.messages();
        ParticipationOptions.Settings settings = prefilled.settings(stack);

        // Warm-up of B1 on the same data (the job's was above); then the median of three runs.
        baseline(activity, settings, parallelism, "warm-up");
        MeasuredRun.Cost b1 =
                MeasuredRun.Cost.median(
                        List.of(
                                baseline(activity, settings, parallelism, "b1-1"),
                                baseline(activity, settings, parallelism, "b1-2"),
                                baseline(activity, settings, parallelism, "b1-3")));
        progress.accept(
                String.format(
                        "B1 decode and count: %,.0f events/s", b1.perSecond(activityMessages)));
        Prefilled empty = emptyTopics();
        MeasuredRun.Cost b1Fixed =
                baseline(empty.activityTopic(), settings, parallelism, "b1-empty");

        // B0: a pass over the same messages to warm its code up, then the measured one
        List<ConsumerRecord<byte[], byte[]>> inMemory = TopicInMemory.read(bootstrap, activity);
        ParticipationFloor.run(inMemory, settings);
        ParticipationFloor.Result floor = ParticipationFloor.run(inMemory, settings);
        inMemory = null; // the heap figures are the jobs'
        progress.accept(
                String.format(
                        "B0 floor, one thread in memory: %,.0f events/s, %.2f CPU s per million",
                        floor.perSecond(), floor.cpuPerMillion()));

        Marginal heap = job(parallelism, FlinkSetup.HEAP, empty, activityMessages);
        Marginal production = job(parallelism, FlinkSetup.PRODUCTION, empty, activityMessages);

        progress.accept("measuring the campaign's distinct-count state (a savepoint)");
        long stateBytes = campaignState(activity, settings, parallelism, campaignEvents);
        return new Result(
                activityMessages,
                events,
                learners,
                parallelism,
                floor,
                new Marginal(b1, b1Fixed),
                heap,
                production,
                stateBytes);
    }

    /**
     * The job in {@code setup}: first a warm-up on the pre-filled topics (its own consumer group),
     * then on empty topics, twice (the first warms the setup up, e.g. RocksDB's native library; the
     * second is its fixed cost), then on the pre-filled topics, into empty tables.
     *
     * <p>The warm-up is the whole world, not a small one: on two cores the JVM's single optimizing
     * compiler falls behind, and the tiered policy raises its thresholds with the length of its
     * queue, so after a warm-up on 160 k messages the hot methods of the job (the resend check's
     * {@code processElement}, the shuffle formats, the campaign's firings) were still running as
     * profiled C1 code and were compiled by C2 during the measured run (JFR's compilation events),
     * which then spent 5-6 CPU s compiling. So the warm-up runs again while the compilers take a
     * noticeable share of it ({@link MeasuredRun#warmUp}).
     */
    private Marginal job(int parallelism, FlinkSetup setup, Prefilled empty, long messages)
            throws Exception {
        MeasuredRun.warmUp(
                "the participation job (" + setup.description() + ")",
                () -> {
                    MeasuredRun warmUp = environment(parallelism, Duration.ofSeconds(5), setup);
                    define(warmUp.env(), prefilled, "bench-warm-up-" + System.nanoTime(), true);
                    return warmUp.run("bench participation warm-up (" + setup.description() + ")");
                },
                progress);
        MeasuredRun.Cost fixed = null;
        for (int i = 0; i < 2; i++) {
            MeasuredRun fixedRun = environment(parallelism, Duration.ofSeconds(5), setup);
            define(fixedRun.env(), empty, "bench-empty-" + System.nanoTime(), true);
            fixed = fixedRun.run("bench participation on empty topics");
        }
        emptyTables();
        MeasuredRun run = environment(parallelism, Duration.ofSeconds(5), setup);
        define(run.env(), prefilled, "bench-participation-" + System.nanoTime(), true);
        MeasuredRun.Cost job = run.run("bench participation (" + setup.description() + ")");
        Marginal m = new Marginal(job, fixed);
        progress.accept(
                String.format(
                        "participation job (%s): %,.0f events/s; %,.0f/s beyond its fixed cost of"
                                + " %.1f s",
                        setup.description(),
                        m.perSecond(messages),
                        m.marginalPerSecond(messages),
                        fixed.wall().toMillis() / 1000.0));
        return m;
    }

    /** New, empty topics: for the fixed cost of a run. */
    private Prefilled emptyTopics() {
        String prefix = "bench-empty-" + System.nanoTime() + ".";
        KafkaTopics.ensure(bootstrap, prefix, KafkaTopics.DEFAULT_PARTITIONS, (short) 1);
        return new Prefilled(prefix, 0, prefilled.campaign());
    }

    private Prefilled prefill(WorldParameters parameters) throws Exception {
        return prefill(parameters, Generator.build(parameters));
    }

    /** Sends the world's activity and routes to new topics, as fast as Kafka takes them. */
    private Prefilled prefill(WorldParameters parameters, World world) throws Exception {
        List<Message> messages =
                world.messages().stream()
                        .filter(
                                m ->
                                        m.topic() == Topic.LEARNING_ACTIVITY
                                                || m.topic() == Topic.WALK_ROUTES
                                                || m.topic() == Topic.LEARNING_RESOURCES)
                        .toList();
        String prefix = "bench-" + System.nanoTime() + ".";
        // every topic of the prefix, the dead letters' too: the job writes under its prefix
        KafkaTopics.ensure(bootstrap, prefix, KafkaTopics.DEFAULT_PARTITIONS, (short) 1);
        try (KafkaSink sink = new KafkaSink(bootstrap, prefix, parameters)) {
            new Delivery(0, line -> {}).send(messages, sink);
        }
        long activityMessages =
                messages.stream().filter(m -> m.topic() == Topic.LEARNING_ACTIVITY).count();
        progress.accept(
                String.format("pre-filled Kafka with %,d activity messages", activityMessages));
        return new Prefilled(prefix, activityMessages, parameters.campaign());
    }

    void emptyTables() {
        for (String table :
                List.of(
                        "participation_minute",
                        "resource_minute",
                        "campaign_totals_minute",
                        "mooc_funnel_minute",
                        "route_completions",
                        "learning_events")) {
            admin.execute("TRUNCATE TABLE pulse." + table);
        }
    }

    /**
     * The production topology, as {@code defineProduction} wires it, on the pre-filled topics (the
     * sinks' defaults: flushing every second).
     */
    void define(StreamExecutionEnvironment env, Prefilled topics, String group, boolean bounded) {
        ParticipationJob.defineProduction(env, topics.job(stack, group, bounded));
    }

    /** A measured environment; the stack's checkpoint interval, if set, wins over the given. */
    MeasuredRun environment(int parallelism, Duration checkpointInterval) {
        return environment(parallelism, checkpointInterval, FlinkSetup.HEAP);
    }

    /** The same in {@code setup} (production's own checkpoint interval wins in PRODUCTION). */
    MeasuredRun environment(int parallelism, Duration checkpointInterval, FlinkSetup setup) {
        return MeasuredRun.environment(stack, parallelism, checkpointInterval, setup, clickHouse);
    }

    /** Latencies of one freshness run. */
    public record Freshness(double rate, long sent, List<Long> latenciesMillis, long missing) {

        public long percentile(double p) {
            return Percentiles.of(latenciesMillis, p);
        }
    }

    /**
     * Freshness: the job runs unbounded while a world is sent at a steady rate; for every 25th
     * on-time event, the time from handing it to the Kafka producer to its row being visible in
     * {@code learning_events} (polled every 100 ms, so up to 100 ms of the figure is polling).
     */
    public Freshness freshness(long seed, double rate, Duration sending, int parallelism)
            throws Exception {
        int learners =
                (int)
                        Math.max(
                                1_000,
                                rate * sending.toSeconds() / WorldParameters.EVENTS_PER_LEARNER);
        WorldParameters parameters =
                WorldParameters.defaults(seed + 1)
                        .withLearners(
                                learners, (long) learners * WorldParameters.EVENTS_PER_LEARNER)
                        .withInstitutions(40);
        progress.accept("building a world of " + learners + " learners for the freshness run");
        World world = Generator.build(parameters);
        List<Message> routes =
                world.messages().stream()
                        .filter(
                                m ->
                                        m.topic() == Topic.WALK_ROUTES
                                                || m.topic() == Topic.LEARNING_RESOURCES)
                        .toList();
        List<Message> activity =
                world.messages().stream()
                        .filter(m -> m.topic() == Topic.LEARNING_ACTIVITY)
                        .toList();
        String prefix = "bench-fresh-" + System.currentTimeMillis() + ".";
        Prefilled topics = new Prefilled(prefix, activity.size(), parameters.campaign());
        // before the unbounded job subscribes to them
        KafkaTopics.ensure(bootstrap, prefix, KafkaTopics.DEFAULT_PARTITIONS, (short) 1);
        emptyTables();

        MeasuredRun run = environment(parallelism, Duration.ofSeconds(5));
        define(run.env(), topics, "bench-fresh-" + System.nanoTime(), false);
        MeasuredRun.Running job = run.start("bench participation freshness");
        Map<String, Long> sentAt = new HashMap<>();
        List<Long> latencies = new ArrayList<>();
        long sent = 0;
        try (KafkaSink out = new KafkaSink(bootstrap, prefix, parameters)) {
            for (Message m : routes) {
                out.send(m);
            }
            out.flush();
            Pacer pacer = new Pacer(rate);
            progress.accept(String.format("sending %,d events at %,.0f/s", activity.size(), rate));
            long nextPoll = System.nanoTime();
            for (int i = 0; i < activity.size(); i++) {
                pacer.await(i);
                Message m = activity.get(i);
                out.send(m);
                sent++;
                if (i % 25 == 0
                        && m.fault() == Fault.NONE
                        && m.record() instanceof LearningActivity a) {
                    sentAt.putIfAbsent(a.getEventId(), System.currentTimeMillis());
                }
                if (System.nanoTime() > nextPoll) {
                    out.flush();
                    poll(sentAt, latencies);
                    nextPoll = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
                }
            }
            out.flush();
        }
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!sentAt.isEmpty() && System.nanoTime() < giveUp) {
            poll(sentAt, latencies);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
        job.job().cancel().get(1, TimeUnit.MINUTES);
        return new Freshness(rate, sent, latencies, sentAt.size());
    }

    /** Moves the sampled events now visible in ClickHouse from {@code sentAt} to latencies. */
    private void poll(Map<String, Long> sentAt, List<Long> latencies) {
        if (sentAt.isEmpty()) {
            return;
        }
        long now = System.currentTimeMillis();
        List<String> pending = new ArrayList<>(sentAt.keySet());
        for (int from = 0; from < pending.size(); from += 500) {
            String ids =
                    String.join(
                            ",",
                            pending.subList(from, Math.min(pending.size(), from + 500)).stream()
                                    .map(
                                            id ->
                                                    "'"
                                                            + id.replace("\\", "\\\\")
                                                                    .replace("'", "\\'")
                                                            + "'")
                                    .toList());
            for (List<String> row :
                    admin.rows(
                            "SELECT DISTINCT event_id FROM"
                                    + " pulse.learning_events WHERE event_id IN ("
                                    + ids
                                    + ")")) {
                Long at = sentAt.remove(row.get(0));
                if (at != null) {
                    latencies.add(now - at);
                }
            }
        }
    }

    private MeasuredRun.Cost baseline(
            String topic, ParticipationOptions.Settings settings, int parallelism, String name)
            throws Exception {
        MeasuredRun run = environment(parallelism, Duration.ofSeconds(5));
        run.env()
                .fromSource(
                        KafkaSources.decoded(
                                bootstrap,
                                "bench-" + name + "-" + System.nanoTime(),
                                true,
                                ParticipationJob.activityDeserializer(settings),
                                topic),
                        WatermarkStrategy.noWatermarks(),
                        "activity")
                .uid("b1-source")
                .map(decoded -> decoded.value == null ? 0L : 1L)
                .uid("b1-count")
                .name("count")
                .sinkTo(new DiscardingSink<>())
                .uid("b1-discard")
                .name("discard");
        return run.run("bench " + name);
    }

    /**
     * Runs only the campaign's distinct counting on the whole topic, then takes a savepoint: its
     * size divided by the learners is what exact distinct counts cost per learner.
     */
    private long campaignState(
            String topic,
            ParticipationOptions.Settings settings,
            int parallelism,
            long campaignEvents)
            throws Exception {
        StreamExecutionEnvironment env = environment(parallelism, Duration.ofSeconds(5)).env();
        String campaign = settings.campaign();
        DataStream<Activity> activities =
                env.fromSource(
                                KafkaSources.decoded(
                                        bootstrap,
                                        "bench-state-" + System.nanoTime(),
                                        false,
                                        ParticipationJob.activityDeserializer(settings),
                                        topic),
                                WatermarkStrategy.<Decoded<Activity>>forBoundedOutOfOrderness(
                                                settings.outOfOrderness())
                                        .withTimestampAssigner((d, ts) -> d.eventTime()),
                                "activity")
                        .uid("state-source")
                        .filter(d -> d.value != null && campaign.equals(d.value.campaign()))
                        .uid("state-filter")
                        .map(new CountInto<>(CAMPAIGN_EVENTS))
                        .uid("state-count")
                        .map(d -> d.value)
                        .returns(Activity.class)
                        .uid("state-activities");
        ParticipationJob.campaignTotals(activities, campaign, Duration.ofSeconds(60))
                .sinkTo(new DiscardingSink<>())
                .uid("state-discard");
        JobClient job = env.executeAsync("bench campaign state");
        // a minute, plus a minute per million campaign events
        awaitCount(job, campaignEvents, Duration.ofMinutes(1 + campaignEvents / 1_000_000));
        Path dir = Files.createDirectories(workDir.resolve("savepoints"));
        String savepoint =
                job.stopWithSavepoint(false, dir.toUri().toString(), SavepointFormatType.CANONICAL)
                        .get(2, TimeUnit.MINUTES);
        return size(savepoint);
    }

    private static void awaitCount(JobClient job, long expected, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Object seen = job.getAccumulators().get(30, TimeUnit.SECONDS).get(CAMPAIGN_EVENTS);
            if (seen instanceof Long n && n >= expected) {
                return;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(300));
        }
        throw new IllegalStateException(
                "the state job did not read its "
                        + expected
                        + " campaign events in "
                        + timeout.toSeconds()
                        + " s");
    }

    private static final String CAMPAIGN_EVENTS = "campaign-events";

    /** Counts what passes into an accumulator, readable while the job runs. */
    static final class CountInto<T>
            extends org.apache.flink.api.common.functions.RichMapFunction<T, T> {
        private static final long serialVersionUID = 1L;
        private final String name;
        private transient org.apache.flink.api.common.accumulators.LongCounter counter;

        CountInto(String name) {
            this.name = name;
        }

        @Override
        public void open(org.apache.flink.api.common.functions.OpenContext context) {
            counter = new org.apache.flink.api.common.accumulators.LongCounter();
            getRuntimeContext().addAccumulator(name, counter);
        }

        @Override
        public T map(T value) {
            counter.add(1L);
            return value;
        }
    }

    private static long size(String savepoint) {
        try (Stream<Path> files = Files.walk(Path.of(java.net.URI.create(savepoint)))) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(
                            p -> {
                                try {
                                    return Files.size(p);
                                } catch (IOException e) {
                                    throw new UncheckedIOException(e);
                                }
                            })
                    .sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
