package org.lifelongpulse.cli.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.lifelongpulse.adapters.kafka.KafkaSources;
import org.lifelongpulse.avro.CardKind;
import org.lifelongpulse.avro.Institution;
import org.lifelongpulse.avro.LicenseStatus;
import org.lifelongpulse.avro.PrepaidTransaction;
import org.lifelongpulse.avro.Settlement;
import org.lifelongpulse.avro.TransactionType;
import org.lifelongpulse.contracts.Topic;
import org.lifelongpulse.fundrisk.FundRiskJob;
import org.lifelongpulse.fundrisk.FundRiskOptions;
import org.lifelongpulse.generator.Delivery;
import org.lifelongpulse.generator.Fault;
import org.lifelongpulse.generator.Generator;
import org.lifelongpulse.generator.KafkaSink;
import org.lifelongpulse.generator.LivePlacement;
import org.lifelongpulse.generator.Message;
import org.lifelongpulse.generator.World;
import org.lifelongpulse.generator.WorldParameters;
import org.lifelongpulse.jobs.KafkaOptions;
import org.lifelongpulse.ops.clickhouse.ClickHouseHttp;
import org.lifelongpulse.ops.kafka.KafkaTopics;

/**
 * The fund-risk job's throughput against B1 (decode and count the same topic) in the same run, its
 * detection latency: at a steady sending rate, from a payment's append to Kafka to its alert row
 * being visible in ClickHouse; and a night payment's: in a live feed, after a quiet stretch with
 * nothing sent, from the payment to its alert row (issue #12).
 */
public final class FundRiskBenchmark {

    /** Nothing is sent for this long before each night payment: more than the 30 s idleness. */
    public static final Duration NIGHT_QUIET = Duration.ofSeconds(40);

    /** How long a night payment's alert is waited for. */
    public static final Duration NIGHT_TIMEOUT = Duration.ofSeconds(90);

    /** A night payment: 6,000 yuan, over R2's 5,000-yuan limit for one charge. */
    public static final long NIGHT_AMOUNT_FEN = 600_000;

    /** How much of the placed market arrives live before the quiet stretch. */
    private static final Duration NIGHT_TAIL = Duration.ofSeconds(20);

    /** The end of the placed market that is sent (the rest of it would only cost time). */
    private static final Duration NIGHT_MARKET = Duration.ofDays(3);

    /**
     * The figures of one run.
     *
     * @param floor B0, the fund-risk floor on the same transactions in memory
     * @param baseline B1 (median of three) beside B1 on empty topics
     * @param job the job with the benchmark's heap configuration, beside it on empty topics
     * @param production the job with {@code deploy/flink/config.yaml}, beside it on empty topics
     * @param nightLatenciesMillis for each night payment, from its send to its R2 row; -1 for a
     *     payment whose alert did not appear within {@link FundRiskBenchmark#NIGHT_TIMEOUT}
     */
    public record Result(
            long messages,
            int parallelism,
            FundRiskFloor.Result floor,
            Marginal baseline,
            Marginal job,
            Marginal production,
            List<Long> latenciesMillis,
            double rate,
            List<Long> nightLatenciesMillis) {

        public double baselinePerSecond() {
            return baseline.perSecond(messages);
        }

        public double jobPerSecond() {
            return job.perSecond(messages);
        }

        public long latencyPercentile(double p) {
            return Percentiles.of(latenciesMillis, p);
        }

        /** Night payments with no alert within {@link FundRiskBenchmark#NIGHT_TIMEOUT}. */
        public long nightMissing() {
            return nightLatenciesMillis.stream().filter(l -> l < 0).count();
        }

        /** The longest night latency, a missing alert counting as the timeout; -1 if none. */
        public long nightWorstMillis() {
            return nightLatenciesMillis.stream()
                    .mapToLong(l -> l < 0 ? NIGHT_TIMEOUT.toMillis() : l)
                    .max()
                    .orElse(-1);
        }
    }

    /** The pre-filled topics of a run, for running the job again (both jobs at once). */
    public record Prefilled(String prefix, String deployment, long messages) {

        /** The same topics read by another deployment (its own transactional ids). */
        public Prefilled asDeployment(String name) {
            return new Prefilled(prefix, name, messages);
        }

        /** The production job's configuration on these topics, on top of {@code stack}. */
        public Configuration job(Configuration stack, String group, boolean bounded) {
            Configuration config = new Configuration(stack);
            config.set(KafkaOptions.TOPIC_PREFIX, prefix);
            config.set(KafkaOptions.BOUNDED, bounded);
            config.set(FundRiskOptions.GROUP_ID, group);
            config.set(FundRiskOptions.TRANSACTIONAL_ID_PREFIX, deployment);
            return config;
        }

        public FundRiskOptions.Settings settings(Configuration stack) {
            return FundRiskJob.settings(job(stack, "unused", true));
        }
    }

    private final Configuration stack;
    private final String bootstrap;
    private final ClickHouseHttp reader; // the admin account: it also empties risk_alerts
    private final ProcessCpu clickHouse;
    private final Consumer<String> progress;

    /**
     * @param stack the stack's Kafka and ClickHouse (writer account) as job options, and the
     *     checkpoint interval if one is imposed on every job
     * @param clickHouse the ClickHouse server's process, read around each measured run
     */
    public FundRiskBenchmark(
            Configuration stack,
            ClickHouseHttp reader,
            ProcessCpu clickHouse,
            Consumer<String> progress) {
        this.stack = stack;
        this.bootstrap = KafkaOptions.bootstrap(stack);
        this.reader = reader;
        this.clickHouse = clickHouse;
        this.progress = progress;
    }

    private Prefilled prefilled;

    /** The topics the last {@link #run} filled. */
    public Prefilled prefilled() {
        return prefilled;
    }

    /**
     * @param sending how long to send the world at {@code rate} for the latency run; null for the
     *     whole world (204,770 messages: 41 s at 5,000/s)
     * @param nightPayments how many night payments to time, each after {@link #NIGHT_QUIET} with
     *     nothing sent; 0 for none
     */
    public Result run(long seed, int parallelism, double rate, Duration sending, int nightPayments)
            throws Exception {
        WorldParameters parameters = WorldParameters.defaults(seed).withLearners(1_000, 2_000);
        progress.accept("building the default training market (300 institutions, 10 weeks)");
        World world = Generator.build(parameters);
        List<Message> fund =
                world.messages().stream()
                        .filter(
                                m ->
                                        m.topic() == Topic.FUND_TRANSACTIONS
                                                || m.topic() == Topic.INSTITUTIONS)
                        .toList();
        long transactions = fund.stream().filter(m -> m.topic() == Topic.FUND_TRANSACTIONS).count();

        String prefix = "bench-fund-" + System.nanoTime() + ".";
        prefilled = prepare(prefix, parameters, fund, 0);
        FundRiskOptions.Settings throughput = prefilled.settings(stack);
        // B1: a warm-up, then the median of three runs (each is about a second)
        baseline(throughput, prefix, parallelism);
        MeasuredRun.Cost b1 =
                MeasuredRun.Cost.median(
                        List.of(
                                baseline(throughput, prefix, parallelism),
                                baseline(throughput, prefix, parallelism),
                                baseline(throughput, prefix, parallelism)));
        progress.accept(
                String.format(
                        "B1 decode and count: %,.0f transactions/s", b1.perSecond(transactions)));
        Prefilled empty =
                prepare("bench-fund-empty-" + System.nanoTime() + ".", parameters, List.of(), 0);
        MeasuredRun.Cost b1Fixed = baseline(throughput, empty.prefix(), parallelism);
        // B0: a pass to warm its code up, then the measured one
        List<Institution> institutions = world.institutions();
        List<ConsumerRecord<byte[], byte[]>> inMemory =
                TopicInMemory.read(bootstrap, prefix + Topic.FUND_TRANSACTIONS.topicName());
        FundRiskFloor.run(inMemory, institutions, throughput);
        FundRiskFloor.Result floor = FundRiskFloor.run(inMemory, institutions, throughput);
        inMemory = null; // the heap figures are the jobs'
        progress.accept(
                String.format(
                        "B0 floor, one thread in memory: %,.0f transactions/s, %.2f CPU s per"
                                + " million",
                        floor.perSecond(), floor.cpuPerMillion()));

        Marginal job = job(parallelism, FlinkSetup.HEAP, empty, transactions);
        Marginal production = job(parallelism, FlinkSetup.PRODUCTION, empty, transactions);

        // The same world again: its alert ids are those of the run above, so the table starts
        // empty for the freshness run (the benchmark's stack is a scratch stack).
        reader.execute("TRUNCATE TABLE pulse.risk_alerts");
        List<Message> paced =
                sending == null
                        ? fund
                        : fund.subList(0, (int) Math.min(fund.size(), rate * sending.toSeconds()));
        List<Long> latencies = latency(parameters, paced, parallelism, rate);
        List<Long> night = nightPayments(seed, parallelism, rate, nightPayments);
        return new Result(
                transactions,
                parallelism,
                floor,
                new Marginal(b1, b1Fixed),
                job,
                production,
                latencies,
                rate,
                night);
    }

    /**
     * The job in {@code setup}: first on the same data as another deployment (class loading and JIT
     * in this setup), then on empty topics, twice (the first warms the setup up; the second is its
     * fixed cost), then on the pre-filled topics as a deployment of its own.
     */
    private Marginal job(int parallelism, FlinkSetup setup, Prefilled empty, long messages)
            throws Exception {
        MeasuredRun.warmUp(
                "the fund-risk job (" + setup.description() + ")",
                () ->
                        asDeployment(
                                parallelism,
                                setup,
                                prefilled,
                                "bench-warm-up-",
                                "bench fund-risk warm-up (" + setup.description() + ")"),
                progress);
        MeasuredRun.Cost fixed = null;
        for (int i = 0; i < 2; i++) {
            fixed =
                    asDeployment(
                            parallelism,
                            setup,
                            empty,
                            "bench-empty-",
                            "bench fund-risk on empty topics");
        }
        MeasuredRun run = environment(parallelism, Duration.ofSeconds(2), setup);
        Prefilled topics =
                setup == FlinkSetup.HEAP
                        ? prefilled
                        : prefilled.asDeployment(
                                "bench-"
                                        + setup.name().toLowerCase(java.util.Locale.ROOT)
                                        + "-"
                                        + System.nanoTime());
        define(run.env(), topics, "bench-fund-" + System.nanoTime(), true);
        Marginal m = new Marginal(run.run("bench fund-risk (" + setup.description() + ")"), fixed);
        progress.accept(
                String.format(
                        "fund-risk job (%s): %,.0f transactions/s; %,.0f/s beyond its fixed cost"
                                + " of %.1f s",
                        setup.description(),
                        m.perSecond(messages),
                        m.marginalPerSecond(messages),
                        fixed.wall().toMillis() / 1000.0));
        return m;
    }

    /** The bounded job in {@code setup} on {@code topics} as a deployment of its own, measured. */
    private MeasuredRun.Cost asDeployment(
            int parallelism, FlinkSetup setup, Prefilled topics, String namePrefix, String label)
            throws Exception {
        MeasuredRun run = environment(parallelism, Duration.ofSeconds(2), setup);
        define(
                run.env(),
                topics.asDeployment(namePrefix + System.nanoTime()),
                namePrefix + System.nanoTime(),
                true);
        return run.run(label);
    }

    /** Unbounded job, paced sending, alerts polled from ClickHouse as they appear. */
    private List<Long> latency(
            WorldParameters parameters, List<Message> fund, int parallelism, double rate)
            throws Exception {
        String prefix = "bench-fresh-" + System.nanoTime() + ".";
        Prefilled topics = prepare(prefix, parameters, List.of(), 0);
        MeasuredRun run = environment(parallelism, Duration.ofSeconds(2));
        define(run.env(), topics, "bench-fresh-" + System.nanoTime(), false);
        JobClient job = run.start("bench fund-risk freshness").job();
        Set<String> known = new HashSet<>(alertIds());
        Map<String, Long> sentAt = new HashMap<>();
        List<Long> latencies = new ArrayList<>();
        progress.accept(
                String.format(
                        "sending %,d messages at %,.0f/s to measure freshness", fund.size(), rate));
        try (KafkaSink out = new KafkaSink(bootstrap, prefix, parameters)) {
            Pacer pacer = new Pacer(rate);
            long nextPoll = System.nanoTime();
            for (int i = 0; i < fund.size(); i++) {
                pacer.await(i);
                Message m = fund.get(i);
                out.send(m);
                if (m.record() instanceof PrepaidTransaction t) {
                    sentAt.putIfAbsent(
                            t.getInstitutionId() + "@" + t.getOccurredAt().getEpochSecond(),
                            System.currentTimeMillis());
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

    /**
     * Night payments in a live feed (issue #12): a new unbounded job on new topics; the market
     * placed in wall-clock time ({@link LivePlacement}) so that its last {@link #NIGHT_TAIL}
     * arrives live on every partition, of which the institutions and the transactions of its last
     * {@link #NIGHT_MARKET} are sent ({@link Delivery#live}); then, {@code payments} times, {@link
     * #NIGHT_QUIET} with nothing sent and one 6,000-yuan sale happening now at an ordinary
     * institution (a new one each time). Each figure is from handing the payment to the producer to
     * its R2 row being visible in {@code risk_alerts} (polled every 100 ms); the job's event time
     * gets there only with the wall clock of its quiet, live partitions.
     */
    private List<Long> nightPayments(long seed, int parallelism, double rate, int payments)
            throws Exception {
        if (payments <= 0) {
            return List.of();
        }
        progress.accept("placing a training market in wall-clock time for the night payments");
        LivePlacement.Plan plan =
                LivePlacement.place(
                        WorldParameters.defaults(seed).withLearners(1_000, 2_000),
                        System.currentTimeMillis(),
                        rate,
                        NIGHT_TAIL,
                        // only transactions are sent: the tail must feed their partitions
                        java.util.EnumSet.of(Topic.FUND_TRANSACTIONS));
        World world = plan.world();
        long from = plan.cut() - NIGHT_MARKET.toMillis();
        List<Message> market =
                world.messages().stream()
                        .filter(
                                m ->
                                        m.topic() == Topic.INSTITUTIONS
                                                || m.topic() == Topic.FUND_TRANSACTIONS
                                                        && m.arrivalMillis() > from)
                        .toList();
        List<String> institutions = ordinaryInstitutions(world, payments);

        String tag = "bench-night-" + System.nanoTime();
        String prefix = tag + ".";
        Prefilled topics = prepare(prefix, world.parameters(), List.of(), 0);
        MeasuredRun run = environment(parallelism, Duration.ofSeconds(2));
        define(run.env(), topics, tag, false);
        JobClient job = run.start("bench fund-risk night payment").job();
        List<Long> latencies = new ArrayList<>();
        try (KafkaSink out = new KafkaSink(bootstrap, prefix, world.parameters())) {
            progress.accept(
                    String.format(
                            "sending the institutions and the market's last %d days (%,d messages);"
                                    + " they catch up with the clock in about %d s and end at %s",
                            NIGHT_MARKET.toDays(),
                            market.size(),
                            Math.max(0, plan.liveFrom() - System.currentTimeMillis()) / 1000,
                            plan.end()));
            new Delivery(
                            rate,
                            line -> {
                                if (line.startsWith("live:")) {
                                    progress.accept(line);
                                }
                            })
                    .live()
                    .send(market, out);
            long lastSent = System.currentTimeMillis();
            for (int i = 0; i < institutions.size(); i++) {
                String institution = institutions.get(i);
                progress.accept(
                        String.format(
                                "night payment %d of %d: %d s with nothing sent,"
                                        + " then %,d yuan at %s",
                                i + 1,
                                institutions.size(),
                                NIGHT_QUIET.toSeconds(),
                                NIGHT_AMOUNT_FEN / 100,
                                institution));
                sleepUntil(lastSent + NIGHT_QUIET.toMillis());
                long sentAt = System.currentTimeMillis();
                out.send(nightPayment(tag + "-" + i, institution, sentAt));
                out.flush();
                lastSent = System.currentTimeMillis();
                long latency = awaitChargeAlert(institution, sentAt);
                latencies.add(latency);
                progress.accept(
                        latency < 0
                                ? "no R2 alert within " + NIGHT_TIMEOUT.toSeconds() + " s"
                                : String.format("its R2 alert row after %,d ms", latency));
            }
        } finally {
            job.cancel().get(1, TimeUnit.MINUTES);
        }
        return latencies;
    }

    /**
     * {@code n} institutions spread over the ordinary ones: not scripted, their latest version
     * ACTIVE with no closure notice, so that a charge over the limit is all that fires R2.
     */
    private static List<String> ordinaryInstitutions(World world, int n) {
        Map<String, Institution> latest = new TreeMap<>();
        for (Institution version : world.institutions()) {
            latest.merge(
                    version.getInstitutionId(),
                    version,
                    (a, b) -> b.getUpdatedAt().isAfter(a.getUpdatedAt()) ? b : a);
        }
        List<String> ordinary =
                latest.values().stream()
                        .filter(
                                v ->
                                        !world.scenarios().containsKey(v.getInstitutionId())
                                                && v.getLicenseStatus() == LicenseStatus.ACTIVE
                                                && v.getClosureNoticeAt() == null)
                        .map(Institution::getInstitutionId)
                        .toList();
        if (ordinary.size() < n) {
            throw new IllegalStateException(
                    "only "
                            + ordinary.size()
                            + " ordinary institutions for "
                            + n
                            + " night payments");
        }
        List<String> chosen = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            chosen.add(ordinary.get((int) ((2L * k + 1) * ordinary.size() / (2L * n))));
        }
        return chosen;
    }

    /** A registered card sold now: over R2's limit only (10 hours, 30 days: within R1). */
    private static Message nightPayment(String id, String institution, long now) {
        PrepaidTransaction txn =
                PrepaidTransaction.newBuilder()
                        .setTxnId(id)
                        .setOccurredAt(Instant.ofEpochMilli(now))
                        .setInstitutionId(institution)
                        .setType(TransactionType.CARD_SALE)
                        .setAmountFen(NIGHT_AMOUNT_FEN)
                        .setCardId(id + "-card")
                        .setPayerId(id + "-payer")
                        .setCardKind(CardKind.REGISTERED)
                        .setClassHours(10)
                        .setCoveredDays(30)
                        .setSettlement(Settlement.SUPERVISED_ACCOUNT)
                        .build();
        return new Message(Topic.FUND_TRANSACTIONS, institution, txn, null, Fault.NONE, now, now);
    }

    /**
     * Milliseconds from {@code sentAt} to the first poll that sees an R2 row of the institution
     * detected at or after it (rows of earlier runs on the stack are older); -1 if none appears
     * within {@link #NIGHT_TIMEOUT}.
     */
    private long awaitChargeAlert(String institution, long sentAt) {
        String sql =
                "SELECT count() FROM pulse.risk_alerts WHERE institution_id = '"
                        + institution
                        + "' AND rule_id = 'R2'"
                        + " AND toUnixTimestamp(last_detected_at) >= "
                        + sentAt / 1000;
        long deadline = sentAt + NIGHT_TIMEOUT.toMillis();
        while (System.currentTimeMillis() < deadline) {
            long now = System.currentTimeMillis();
            if (Long.parseLong(reader.scalar(sql)) > 0) {
                return now - sentAt;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
        return -1;
    }

    private static void sleepUntil(long epochMillis) {
        long wait;
        while ((wait = epochMillis - System.currentTimeMillis()) > 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(Math.min(wait, 200)));
        }
    }

    /** Times the alerts that appeared since the last poll; whether there were any. */
    private boolean poll(Set<String> known, Map<String, Long> sentAt, List<Long> latencies) {
        long now = System.currentTimeMillis();
        boolean any = false;
        for (List<String> row :
                reader.rows(
                        "SELECT alert_id, institution_id,"
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
                .map(r -> r.get(0))
                .toList();
    }

    /** Topics under {@code prefix}, with {@code messages} sent at {@code rate} (0: at once). */
    private Prefilled prepare(
            String prefix, WorldParameters parameters, List<Message> messages, double rate)
            throws Exception {
        KafkaTopics.ensure(bootstrap, prefix, KafkaTopics.DEFAULT_PARTITIONS, (short) 1);
        if (!messages.isEmpty()) {
            try (KafkaSink out = new KafkaSink(bootstrap, prefix, parameters)) {
                new Delivery(rate, line -> {}).send(messages, out);
            }
        }
        return new Prefilled(
                prefix,
                FundRiskOptions.TRANSACTIONAL_ID_PREFIX.defaultValue(),
                messages.stream().filter(m -> m.topic() == Topic.FUND_TRANSACTIONS).count());
    }

    /** A measured environment; the stack's checkpoint interval, if set, wins over the given. */
    MeasuredRun environment(int parallelism, Duration checkpointInterval) {
        return environment(parallelism, checkpointInterval, FlinkSetup.HEAP);
    }

    /** The same in {@code setup} (production's own checkpoint interval wins in PRODUCTION). */
    MeasuredRun environment(int parallelism, Duration checkpointInterval, FlinkSetup setup) {
        return MeasuredRun.environment(stack, parallelism, checkpointInterval, setup, clickHouse);
    }

    /** The production topology, as {@code defineProduction} wires it, on pre-filled topics. */
    void define(StreamExecutionEnvironment env, Prefilled topics, String group, boolean bounded) {
        FundRiskJob.defineProduction(env, topics.job(stack, group, bounded));
    }

    private MeasuredRun.Cost baseline(
            FundRiskOptions.Settings settings, String prefix, int parallelism) throws Exception {
        MeasuredRun run = environment(parallelism, Duration.ofSeconds(2));
        run.env()
                .fromSource(
                        KafkaSources.decoded(
                                bootstrap,
                                "bench-b1-" + System.nanoTime(),
                                true,
                                FundRiskJob.transactionDeserializer(settings),
                                prefix + Topic.FUND_TRANSACTIONS.topicName()),
                        WatermarkStrategy.noWatermarks(),
                        "transactions")
                .uid("b1-source")
                .map(d -> d.value == null ? 0L : 1L)
                .uid("b1-count")
                .name("count")
                .sinkTo(new DiscardingSink<>())
                .uid("b1-discard")
                .name("discard");
        return run.run("bench fund b1");
    }
}
