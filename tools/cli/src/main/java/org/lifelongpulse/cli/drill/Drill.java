package org.lifelongpulse.cli.drill;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.lifelongpulse.cli.schema.StackSchema;
import org.lifelongpulse.contracts.Topic;
import org.lifelongpulse.fundrisk.FundRiskJob;
import org.lifelongpulse.generator.Delivery;
import org.lifelongpulse.generator.GroundTruth;
import org.lifelongpulse.generator.KafkaSink;
import org.lifelongpulse.generator.LivePlacement;
import org.lifelongpulse.generator.WorldParameters;
import org.lifelongpulse.ops.clickhouse.ClickHouseHttp;
import org.lifelongpulse.ops.kafka.ContractProducer;
import org.lifelongpulse.ops.kafka.KafkaTopics;
import org.lifelongpulse.participation.ParticipationJob;
import org.lifelongpulse.stack.ClickHouseAccounts;
import org.lifelongpulse.stack.Endpoints;
import org.lifelongpulse.stack.LocalFlinkCluster;
import org.lifelongpulse.stack.LocalSecrets;
import org.lifelongpulse.stack.LocalStack;
import org.lifelongpulse.stack.ManagedProcess;
import org.lifelongpulse.stack.ProjectTree;

/**
 * A game day: both jobs unbounded on the local multi-process Flink cluster, a generated world sent
 * at a steady rate and placed in wall-clock time so that its end arrives live, one kind of fault
 * injected while it is sent; then every table and the alerts topic compared with the world's truth
 * — first with no drain (the end of traffic, left alone), then after a drain.
 */
public final class Drill {

    /** What a drill injects. */
    public enum Fault {
        /** Nothing: the live feed itself, quiet stretches and the end of traffic. */
        LIVE,
        /** A TaskManager killed (SIGKILL), then {@code cluster up} replaces it. */
        TASKMANAGER,
        /** The Kafka broker killed, restarted after the outage. */
        KAFKA,
        /** The ClickHouse server killed, restarted after the outage. */
        CLICKHOUSE,
        /** A flood of undecodable messages on both event topics. */
        BAD_INPUT
    }

    /**
     * @param world the world to generate (placed in wall-clock time)
     * @param rate messages per second until the world catches up with the clock
     * @param tail how much of the world arrives live, at its own pace
     * @param settle how long to wait, without a drain, for the tables to equal the truth
     */
    public record Options(
            List<Fault> faults,
            int times,
            Duration outage,
            double rate,
            Duration tail,
            WorldParameters world,
            Duration settle) {

        /** One kind of fault, {@code times} times ({@link Fault#LIVE}: none). */
        public static Options of(
                Fault fault,
                int times,
                Duration outage,
                double rate,
                Duration tail,
                WorldParameters world,
                Duration settle) {
            return new Options(
                    fault == Fault.LIVE ? List.of() : List.of(fault),
                    fault == Fault.LIVE ? 0 : times,
                    outage,
                    rate,
                    tail,
                    world,
                    settle);
        }
    }

    /** One injected fault: what, when (seconds into the run), and how long until recovered. */
    public record Injection(String what, double atSeconds, double recoverySeconds) {}

    /**
     * What a drill found.
     *
     * @param exactAfterSeconds seconds from the end of traffic until every table equalled the truth
     *     without a drain, or -1 when they did not within the settle time
     */
    public record Report(
            List<Fault> faults,
            List<Injection> injections,
            Map<String, Long> restarts,
            Map<String, Long> dropped,
            double exactAfterSeconds,
            List<Reconciliation.Verdict> beforeDrain,
            List<Reconciliation.Verdict> afterDrain,
            JsonNode truth) {

        public boolean exact() {
            return exactAfterSeconds >= 0
                    && Reconciliation.allExact(afterDrain)
                    && dropped.values().stream().allMatch(n -> n == 0);
        }
    }

    private static final int BAD_INPUT_PER_INJECTION = 1_000;

    private final LocalStack stack;
    private final LocalFlinkCluster cluster;
    private final Consumer<String> progress;
    private long started;

    public Drill(LocalStack stack, LocalFlinkCluster cluster, Consumer<String> progress) {
        this.stack = stack;
        this.cluster = cluster;
        this.progress = progress;
    }

    public Report run(Options options) throws Exception {
        started = System.nanoTime();
        Endpoints endpoints = stack.up().stack().endpoints();
        ClickHouseAccounts accounts = endpoints.accounts();
        StackSchema.migrator(endpoints, line -> {}).apply();
        KafkaTopics.ensure(endpoints.kafkaBootstrap(), KafkaTopics.DEFAULT_PARTITIONS, (short) 1);
        LocalFlinkCluster.Running running = cluster.up(4, 1);
        JobMetrics metrics = new JobMetrics(running.restUrl());
        List<String> args =
                List.of(
                        "--kafka.bootstrap",
                        endpoints.kafkaBootstrap(),
                        "--clickhouse.url",
                        endpoints.clickHouseUrl(),
                        "--clickhouse.user",
                        accounts.writer().user());
        CompletableFuture<String> fundSubmitted =
                CompletableFuture.supplyAsync(
                        () ->
                                cluster.submit(
                                        ProjectTree.jobJar(FundRiskJob.NAME),
                                        FundRiskJob.class.getName(),
                                        null,
                                        args));
        Map<String, String> jobs = new LinkedHashMap<>();
        jobs.put(
                ParticipationJob.NAME,
                cluster.submit(
                        ProjectTree.jobJar(ParticipationJob.NAME),
                        ParticipationJob.class.getName(),
                        null,
                        args));
        jobs.put(FundRiskJob.NAME, fundSubmitted.join());
        say("both jobs submitted: " + jobs);

        LivePlacement.Plan plan =
                LivePlacement.place(
                        options.world(),
                        System.currentTimeMillis(),
                        options.rate(),
                        options.tail());
        JsonNode truth = GroundTruth.of(plan.world()).json();
        say(
                String.format(
                        "world of %,d messages; it catches up with the clock in about %d s"
                                + " and ends at %s",
                        plan.world().messages().size(),
                        (plan.liveFrom() - System.currentTimeMillis()) / 1000,
                        plan.end()));
        Delivery delivery = new Delivery(options.rate(), line -> {}).live();
        CompletableFuture<Delivery.Result> sent =
                CompletableFuture.supplyAsync(
                        () -> {
                            try (KafkaSink sink =
                                    new KafkaSink(
                                            endpoints.kafkaBootstrap(),
                                            "",
                                            plan.world().parameters())) {
                                return delivery.send(plan.world().messages(), sink);
                            } catch (Exception e) {
                                throw new IllegalStateException(
                                        "sending the world failed: " + e.getMessage(), e);
                            }
                        });

        List<Injection> injections = new ArrayList<>();
        long extraDeadLetters = 0;
        // spread over the fast part, where a fault cannot make the traffic itself late
        long sendStart = System.currentTimeMillis();
        long fastMillis = Math.max(10_000, plan.liveFrom() - sendStart);
        for (int i = 0; i < options.times() && !options.faults().isEmpty(); i++) {
            sleep(
                    Math.max(
                            0,
                            sendStart
                                    + (i + 1) * fastMillis / (options.times() + 1)
                                    - System.currentTimeMillis()));
            if (sent.isDone()) {
                break;
            }
            Fault fault = options.faults().get(i % options.faults().size());
            injections.add(inject(fault, options, endpoints, jobs, metrics));
            if (fault == Fault.BAD_INPUT) {
                extraDeadLetters += 2L * BAD_INPUT_PER_INJECTION;
            }
        }
        Delivery.Result result = sent.join();
        double trafficEnded = seconds();
        say(String.format("world sent: %,d messages; traffic ended, no drain", result.sent()));

        ClickHouseHttp admin =
                new ClickHouseHttp(
                        endpoints.clickHouseUrl(),
                        accounts.admin().user(),
                        accounts.admin().password());
        Reconciliation reconciliation =
                new Reconciliation(admin, endpoints.kafkaBootstrap(), LocalSecrets.idHashSecret());
        List<Reconciliation.Verdict> before = List.of();
        double exactAfter = -1;
        long deadline = System.nanoTime() + options.settle().toNanos();
        while (System.nanoTime() < deadline) {
            before = reconciliation.compare(truth, extraDeadLetters);
            if (Reconciliation.allExact(before)) {
                exactAfter = seconds() - trafficEnded;
                break;
            }
            long missing = before.stream().mapToLong(Reconciliation.Verdict::missing).sum();
            say("not yet equal to the truth: " + missing + " rows missing");
            sleep(10_000);
        }
        say(
                exactAfter >= 0
                        ? String.format(
                                "every table equals the truth %.0f s after the"
                                        + " end of traffic, without a drain",
                                exactAfter)
                        : "the tables did not equal the truth within "
                                + options.settle().toSeconds()
                                + " s of the end of traffic");

        Map<String, Long> restarts = new LinkedHashMap<>();
        Map<String, Long> dropped = new LinkedHashMap<>();
        for (Map.Entry<String, String> job : jobs.entrySet()) {
            restarts.put(job.getKey(), metrics.restarts(job.getValue()));
            dropped.put(job.getKey(), metrics.dropped(job.getValue()));
        }
        for (String id : jobs.values()) {
            cluster.stopWithSavepoint(id, true);
        }
        say("both jobs drained and stopped");
        List<Reconciliation.Verdict> after = reconciliation.compare(truth, extraDeadLetters);
        return new Report(
                options.faults(), injections, restarts, dropped, exactAfter, before, after, truth);
    }

    private Injection inject(
            Fault fault,
            Options options,
            Endpoints endpoints,
            Map<String, String> jobs,
            JobMetrics metrics)
            throws Exception {
        double at = seconds();
        Set<String> lost = new HashSet<>();
        String what;
        switch (fault) {
            case TASKMANAGER -> {
                ManagedProcess killed = cluster.killTaskManager();
                lost.add(killed.name());
                what = "TaskManager killed (" + killed.name() + ", pid " + killed.pid() + ")";
                say(what + "; `cluster up` replaces it");
                cluster.up(4, 1);
            }
            case KAFKA -> {
                what = "Kafka killed for " + options.outage().toSeconds() + " s";
                stack.killKafka();
                say(what);
                sleep(options.outage().toMillis());
                stack.up();
            }
            case CLICKHOUSE -> {
                what = "ClickHouse killed for " + options.outage().toSeconds() + " s";
                stack.killClickHouse();
                say(what);
                sleep(options.outage().toMillis());
                stack.up();
            }
            case BAD_INPUT -> {
                what = 2 * BAD_INPUT_PER_INJECTION + " undecodable messages";
                floodWithGarbage(endpoints.kafkaBootstrap());
                say(what + " sent");
            }
            default -> throw new IllegalArgumentException("nothing to inject for " + fault);
        }
        // recovered: every subtask of both jobs runs, and none on the killed TaskManager (until
        // the JobManager notices the kill, the lost subtasks still look RUNNING there)
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (!jobs.values().stream().allMatch(id -> running(metrics, id, lost))) {
            if (System.nanoTime() > deadline) {
                StringBuilder states = new StringBuilder();
                jobs.values().forEach(id -> states.append("\n").append(metrics.describe(id)));
                throw new IllegalStateException(
                        "the jobs did not recover within 5 minutes of: "
                                + what
                                + "; lost TaskManagers "
                                + lost
                                + ", job states:"
                                + states);
            }
            sleep(250);
        }
        double recovery = seconds() - at;
        say(String.format("recovered %.1f s after: %s", recovery, what));
        return new Injection(what, at, recovery);
    }

    private static boolean running(JobMetrics metrics, String jobId, Set<String> lost) {
        try {
            return metrics.allSubtasksRunningOutside(jobId, lost);
        } catch (IllegalStateException restUnavailable) {
            return false;
        }
    }

    private static void floodWithGarbage(String bootstrap) {
        try (ContractProducer producer = new ContractProducer(bootstrap)) {
            for (Topic topic : List.of(Topic.LEARNING_ACTIVITY, Topic.FUND_TRANSACTIONS)) {
                for (int i = 0; i < BAD_INPUT_PER_INJECTION; i++) {
                    byte[] garbage =
                            ("drill garbage " + i + " " + System.nanoTime())
                                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    producer.sendRaw(topic.topicName(), "drill-" + i, garbage);
                }
            }
            producer.flush();
        }
    }

    private double seconds() {
        return (System.nanoTime() - started) / 1e9;
    }

    private void say(String line) {
        progress.accept(String.format("[%5.0f s] %s", seconds(), line));
    }

    private static void sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }
}
