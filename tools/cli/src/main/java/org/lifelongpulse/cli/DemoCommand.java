package org.lifelongpulse.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.core.execution.JobClient;
import org.lifelongpulse.adapters.clickhouse.ClickHouseException;
import org.lifelongpulse.cli.web.DashboardServer;
import org.lifelongpulse.cli.web.TimeRange;
import org.lifelongpulse.contracts.Topic;
import org.lifelongpulse.generator.Delivery;
import org.lifelongpulse.generator.Generator;
import org.lifelongpulse.generator.KafkaSink;
import org.lifelongpulse.generator.Message;
import org.lifelongpulse.generator.World;
import org.lifelongpulse.generator.WorldParameters;
import org.lifelongpulse.ops.clickhouse.ClickHouseHttp;
import org.lifelongpulse.ops.kafka.KafkaTopics;
import org.lifelongpulse.stack.Endpoints;
import org.lifelongpulse.stack.LocalStack;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./pulse demo}: the whole pipeline on the local stack, with a live console. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Run the whole pipeline locally, live.",
            "",
            "Starts a fresh stack of its own (under <work-dir>/demo, emptied first), applies the",
            "schema, generates an activity week at a steady rate into Kafka, runs the jobs on a",
            "local Flink MiniCluster, serves the dashboards live at http://127.0.0.1:8090/",
            "(--no-web: not) and prints a live summary from ClickHouse until Ctrl-C (or",
            "--duration). Then it stops everything it started; the data stays for inspection",
            "(./pulse stack up --work-dir <work-dir>/demo). With PULSE_KAFKA_BOOTSTRAP and",
            "PULSE_CLICKHOUSE_URL set it uses those instead and starts no stack."
        })
final class DemoCommand implements Callable<Integer> {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("MM-dd HH:mm");

    @Mixin StackEndpoints where;

    @Option(
            names = "--rate",
            defaultValue = "2000",
            description = "Messages per second sent to Kafka (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--seed", defaultValue = "1", description = "World seed (default: 1).")
    long seed;

    @Option(
            names = "--learners",
            defaultValue = "20000",
            description = "Learners in the simulated city (default: ${DEFAULT-VALUE}).")
    int learners;

    @Option(
            names = "--institutions",
            defaultValue = "300",
            description = "Training institutions (default: ${DEFAULT-VALUE}).")
    int institutions;

    @Option(
            names = "--duration",
            paramLabel = "SECONDS",
            description = "Stop by itself after this long (default: run until Ctrl-C).")
    Long durationSeconds;

    @Option(
            names = "--refresh",
            defaultValue = "5",
            description = "Seconds between console summaries (default: ${DEFAULT-VALUE}).")
    int refreshSeconds;

    @Option(
            names = "--no-web",
            description = "Do not serve the live dashboards (the console summary stays).")
    boolean noWeb;

    @Option(
            names = "--port",
            defaultValue = "8090",
            description =
                    "Port of the live dashboards on 127.0.0.1; any free one when it is taken"
                            + " (default: ${DEFAULT-VALUE}).")
    int port;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    private final List<JobClient> jobs = new ArrayList<>();
    private final AtomicReference<String> sending = new AtomicReference<>("building the world");
    private final CountDownLatch stop = new CountDownLatch(1);
    private DashboardServer web;

    @Override
    public Integer call() throws Exception {
        LocalStack stack = null;
        Endpoints endpoints = Endpoints.fromEnvironment();
        if (endpoints == null) {
            // A world replayed into topics and tables that hold another world of the same
            // weeks would mix the two: the demo always starts from empty ones.
            stack =
                    new LocalStack(
                            where.workDir().resolve("demo"),
                            org.lifelongpulse.stack.ClickHouseAccounts.fromEnvironment(),
                            Console::progress);
            stack.down(true);
            endpoints = stack.up().stack().endpoints();
        } else {
            Console.progress(
                    "using "
                            + endpoints.kafkaBootstrap()
                            + " and "
                            + endpoints.clickHouseUrl()
                            + " from the environment");
        }
        Delivery delivery = new Delivery(rate, sending::set);
        Thread hook =
                new Thread(
                        () -> {
                            stop.countDown();
                            delivery.stop();
                        });
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            run(endpoints, delivery);
        } finally {
            delivery.stop();
            if (web != null) {
                web.close();
            }
            for (JobClient job : jobs) {
                try {
                    job.cancel().get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    Console.error("a job did not cancel cleanly: " + Console.describe(e));
                }
            }
            Console.progress("stopped the jobs");
            if (stack != null) {
                stack.down(false);
                Console.progress(
                        "stopped the demo stack; its data stays in "
                                + stack.workDir()
                                + " (./pulse stack up --work-dir "
                                + stack.workDir()
                                + " to look)");
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException exiting) {
                // Ctrl-C: the JVM is shutting down already
            }
        }
        return 0;
    }

    private void run(Endpoints endpoints, Delivery delivery) throws Exception {
        KafkaTopics.ensure(endpoints.kafkaBootstrap(), KafkaTopics.DEFAULT_PARTITIONS, (short) 1);
        SchemaCommand.migrator(endpoints).apply();
        if (!noWeb) {
            web = serveDashboards(endpoints);
        }
        for (JobLauncher.PipelineJob job : JobLauncher.PipelineJob.values()) {
            jobs.add(
                    JobLauncher.start(
                            job,
                            JobLauncher.configuration(
                                    endpoints,
                                    false,
                                    1,
                                    Duration.ofSeconds(2),
                                    where.workDir().resolve("demo-checkpoints"))));
            Console.progress("started the " + job.jobName + " job");
        }
        Endpoints target = endpoints;
        Thread generator = new Thread(() -> generate(target, delivery), "generator");
        generator.setDaemon(true);
        generator.start();

        ClickHouseHttp reader = StackEndpoints.clickHouse(endpoints, endpoints.accounts().reader());
        Instant deadline =
                durationSeconds == null ? null : Instant.now().plusSeconds(durationSeconds);
        PrintWriter out = spec.commandLine().getOut();
        Console.progress("live summary every " + refreshSeconds + " s; Ctrl-C stops the demo");
        while (!stop.await(refreshSeconds, TimeUnit.SECONDS)) {
            printSummary(out, reader);
            if (deadline != null && Instant.now().isAfter(deadline)) {
                break;
            }
        }
        printSummary(out, reader);
    }

    /**
     * The live dashboards on loopback, opened on the whole activity week: the demo's world lies in
     * 2020, so the dashboards' own "last 24 hours" would be empty.
     */
    private DashboardServer serveDashboards(Endpoints endpoints) throws IOException {
        Path folder = SnapshotCommand.dashboardsFolder(null);
        InetAddress loopback = InetAddress.getLoopbackAddress();
        DashboardServer server;
        try {
            server = DashboardsCommand.start(endpoints, folder, loopback, port, TimeRange.WEEK);
        } catch (IOException taken) {
            server = DashboardsCommand.start(endpoints, folder, loopback, 0, TimeRange.WEEK);
        }
        Console.progress("live dashboards at " + server.url() + " (--no-web turns them off)");
        return server;
    }

    private void generate(Endpoints endpoints, Delivery delivery) {
        try {
            WorldParameters parameters =
                    WorldParameters.defaults(seed)
                            .withLearners(
                                    learners, (long) learners * WorldParameters.EVENTS_PER_LEARNER)
                            .withInstitutions(institutions);
            World world = Generator.build(parameters);
            try (KafkaSink sink = new KafkaSink(endpoints.kafkaBootstrap(), "", parameters)) {
                Delivery.Result result = delivery.send(bothStreamsAtOnce(world.messages()), sink);
                sending.set(String.format("sent all %,d messages of the world", result.sent()));
            }
        } catch (Exception e) {
            sending.set("the generator stopped: " + Console.describe(e));
        }
    }

    /**
     * The world's messages with the fund market and the activity week interleaved in proportion,
     * each in its own order. In event-time order the ten-week market would come first, and the
     * activity console would stay empty for minutes.
     */
    static List<Message> bothStreamsAtOnce(List<Message> messages) {
        List<Message> fund = new ArrayList<>();
        List<Message> activity = new ArrayList<>();
        for (Message m : messages) {
            (m.topic() == Topic.FUND_TRANSACTIONS
                                    || m.topic() == Topic.INSTITUTIONS
                                    || m.topic() == Topic.RISK_RULES
                            ? fund
                            : activity)
                    .add(m);
        }
        List<Message> out = new ArrayList<>(messages.size());
        int f = 0;
        int a = 0;
        while (f < fund.size() || a < activity.size()) {
            // the stream that is further behind, as a share of its length, goes next
            boolean fundNext =
                    a >= activity.size()
                            || (f < fund.size()
                                    && (long) f * activity.size() <= (long) a * fund.size());
            out.add(fundNext ? fund.get(f++) : activity.get(a++));
        }
        return out;
    }

    private void printSummary(PrintWriter out, ClickHouseHttp reader) {
        out.println();
        out.println("── Lifelong Pulse ─ " + LocalTime.now().withNano(0) + " ─ " + sending.get());
        try {
            StringBuilder perMinute = new StringBuilder();
            List<List<String>> minutes =
                    reader.rows(
                            "SELECT toUnixTimestamp(minute) AS m, sum(participant_visits) FROM"
                                    + " pulse.participation_minute FINAL GROUP BY m ORDER BY m DESC"
                                    + " LIMIT 5");
            for (int i = minutes.size() - 1; i >= 0; i--) {
                List<String> row = minutes.get(i);
                perMinute
                        .append(
                                MINUTE.format(
                                        Instant.ofEpochSecond(Long.parseLong(row.get(0)))
                                                .atZone(SHANGHAI)))
                        .append("  ")
                        .append(row.get(1))
                        .append("   ");
            }
            out.println(
                    "  visits per minute (event time): "
                            + (perMinute.isEmpty() ? "none yet" : perMinute.toString().strip()));
            List<List<String>> totals =
                    reader.rows(
                            "SELECT scope, max(distinct_participants) AS n FROM"
                                + " pulse.campaign_totals_minute FINAL GROUP BY scope ORDER BY n"
                                + " DESC LIMIT 4");
            String all =
                    totals.stream()
                            .filter(r -> r.get(0).equals("ALL"))
                            .map(r -> r.get(1))
                            .findFirst()
                            .orElse("0");
            StringBuilder top = new StringBuilder();
            totals.stream()
                    .filter(r -> !r.get(0).equals("ALL"))
                    .limit(3)
                    .forEach(r -> top.append(r.get(0)).append(' ').append(r.get(1)).append("  "));
            out.println(
                    "  unique learners in the campaign: "
                            + all
                            + (top.isEmpty() ? "" : "   top districts: " + top.toString().strip()));
            out.println(
                    "  data quality: "
                            + reader.scalar("SELECT count() FROM" + " pulse.duplicate_events FINAL")
                            + " resends dropped, "
                            + reader.scalar("SELECT count() FROM pulse.late_events FINAL")
                            + " late events, "
                            + reader.scalar("SELECT count() FROM" + " pulse.dead_letters FINAL")
                            + " dead letters");
            out.println("  risk alerts: " + alerts(reader));
        } catch (ClickHouseException e) {
            out.println("  (ClickHouse: " + e.getMessage() + ")");
        }
        out.flush();
    }

    private static String alerts(ClickHouseHttp reader) {
        List<List<String>> latest =
                reader.rows(
                        "SELECT rule_id, institution_id, toString(severity) FROM pulse.risk_alerts"
                            + " FINAL WHERE shadow = 0 ORDER BY first_detected_at DESC LIMIT 3");
        if (latest.isEmpty()) {
            return "none yet";
        }
        StringBuilder text =
                new StringBuilder(
                        reader.scalar(
                                        "SELECT count() FROM pulse.risk_alerts FINAL WHERE shadow ="
                                                + " 0")
                                + "; newest:");
        latest.forEach(
                r ->
                        text.append(' ')
                                .append(r.get(0))
                                .append(' ')
                                .append(r.get(1))
                                .append(" (")
                                .append(r.get(2))
                                .append(')'));
        return text.toString();
    }
}
