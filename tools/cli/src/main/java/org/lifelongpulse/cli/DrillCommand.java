package org.lifelongpulse.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.lifelongpulse.cli.drill.Drill;
import org.lifelongpulse.cli.drill.Reconciliation;
import org.lifelongpulse.generator.WorldParameters;
import org.lifelongpulse.stack.ClickHouseAccounts;
import org.lifelongpulse.stack.LocalFlinkCluster;
import org.lifelongpulse.stack.LocalStack;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./pulse drill live|taskmanager|kafka|clickhouse|bad-input}: a game day, judged. */
@Command(
        name = "drill",
        mixinStandardHelpOptions = true,
        description = {
            "Run a fault against both jobs on a fresh local stack and Flink cluster,",
            "then compare every table and the alerts topic with the world's truth.",
            "",
            "The world is sent at --rate and placed in wall-clock time, so that its",
            "last --live-tail seconds arrive live, as production traffic does; the",
            "fault is injected --times times while it is sent. After the end of",
            "traffic the tables must equal the truth without a drain (the last",
            "minutes included); then both jobs are drained and compared again.",
            "Prints a verdict table; exit code 0 when exact, 1 when not.",
            "",
            "  live         nothing injected: quiet stretches, one stream first,",
            "               the end of traffic",
            "  taskmanager  kill -9 a TaskManager; `cluster up` replaces it",
            "  kafka        kill the broker for --outage seconds, then restart it",
            "  clickhouse   kill ClickHouse for --outage seconds, then restart it",
            "  bad-input    2,000 undecodable messages on the event topics each time",
            "",
            "Everything runs under drill/ in the work directory (default",
            ".pulse/drill), emptied first, and is stopped at the end unless --keep."
        })
final class DrillCommand implements Callable<Integer> {

    @Parameters(
            paramLabel = "FAULT",
            description = "live, taskmanager, kafka, clickhouse or bad-input")
    String fault;

    @Option(
            names = "--times",
            paramLabel = "N",
            defaultValue = "1",
            description = "How often to inject the fault (default: ${DEFAULT-VALUE}).")
    int times;

    @Option(
            names = "--outage",
            paramLabel = "SECONDS",
            defaultValue = "20",
            description = "How long Kafka or ClickHouse stays down (default: ${DEFAULT-VALUE}).")
    int outage;

    @Option(
            names = "--rate",
            paramLabel = "MSG_PER_S",
            defaultValue = "1500",
            description =
                    "Send rate until the world catches up with the clock (default:"
                            + " ${DEFAULT-VALUE}).")
    double rate;

    @Option(
            names = "--live-tail",
            paramLabel = "SECONDS",
            defaultValue = "90",
            description = "How much of the world arrives live (default: ${DEFAULT-VALUE}).")
    int liveTail;

    @Option(
            names = "--seed",
            defaultValue = "1",
            description = "World seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--learners",
            paramLabel = "N",
            description = "Learners (default: " + WorldParameters.DEFAULT_LEARNERS + ").")
    Integer learners;

    @Option(
            names = "--institutions",
            paramLabel = "M",
            description = "Institutions (default: " + WorldParameters.DEFAULT_INSTITUTIONS + ").")
    Integer institutions;

    @Option(
            names = "--settle",
            paramLabel = "SECONDS",
            defaultValue = "300",
            description =
                    "How long after the end of traffic the tables may take to equal the"
                            + " truth without a drain (default: ${DEFAULT-VALUE}).")
    int settle;

    /** The drill runs in {@code drill/} under the work directory, as the demo in {@code demo/}. */
    @Mixin StackEndpoints where;

    @Option(names = "--keep", description = "Leave the stack and cluster running afterwards.")
    boolean keep;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Drill.Fault kind = parseFault();
        if (times < 1 || outage < 1 || rate <= 0 || liveTail < 10 || settle < 1) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(),
                    "--times, --outage, --rate and --settle must be positive, --live-tail at"
                            + " least 10");
        }
        Path dir = where.workDir().resolve("drill");
        LocalStack stack =
                new LocalStack(dir, ClickHouseAccounts.fromEnvironment(), Console::progress);
        LocalFlinkCluster cluster = new LocalFlinkCluster(dir.resolve("flink"), Console::progress);
        cluster.down();
        stack.down(true); // and deletes the work directory, the cluster's included
        WorldParameters world = WorldParameters.defaults(seed);
        if (learners != null) {
            world =
                    world.withLearners(
                            learners, (long) learners * WorldParameters.EVENTS_PER_LEARNER);
        }
        if (institutions != null) {
            world = world.withInstitutions(institutions);
        }
        Drill.Report report;
        try {
            report =
                    new Drill(stack, cluster, Console::progress)
                            .run(
                                    Drill.Options.of(
                                            kind,
                                            times,
                                            Duration.ofSeconds(outage),
                                            rate,
                                            Duration.ofSeconds(liveTail),
                                            world,
                                            Duration.ofSeconds(settle)));
        } finally {
            if (!keep) {
                cluster.down();
                stack.down(false);
            }
        }
        print(report);
        return report.exact() ? 0 : 1;
    }

    private Drill.Fault parseFault() {
        try {
            return Drill.Fault.valueOf(fault.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(),
                    "unknown fault '"
                            + fault
                            + "': live, taskmanager, kafka, clickhouse or"
                            + " bad-input");
        }
    }

    private void print(Drill.Report report) {
        var out = spec.commandLine().getOut();
        out.println();
        out.println("drill " + fault + ": " + (report.exact() ? "EXACT" : "NOT EXACT"));
        for (Drill.Injection i : report.injections()) {
            out.printf(
                    Locale.ROOT,
                    "  injected at %5.0f s: %-45s recovered in %.1f s%n",
                    i.atSeconds(),
                    i.what(),
                    i.recoverySeconds());
        }
        out.println(
                "  restarts: "
                        + report.restarts()
                        + "; dropped as late by any operator: "
                        + report.dropped());
        out.println(
                "  without a drain: "
                        + (report.exactAfterSeconds() >= 0
                                ? String.format(
                                        Locale.ROOT,
                                        "exact %.0f s after the end of traffic",
                                        report.exactAfterSeconds())
                                : "NOT exact within the settle time"));
        out.printf(
                "  %-50s %9s %9s %8s %8s%n",
                "after the drain", "expected", "found", "missing", "extra");
        for (Reconciliation.Verdict v : report.afterDrain()) {
            out.printf(
                    "  %-50s %9d %9d %8d %8d%n",
                    v.what(), v.expected(), v.found(), v.missing(), v.extra());
            v.examples().forEach(e -> out.println("      " + e));
        }
        if (report.exactAfterSeconds() < 0) {
            out.println("  before the drain, what differed:");
            report.beforeDrain().stream()
                    .filter(v -> !v.exact())
                    .forEach(
                            v ->
                                    out.printf(
                                            "  %-50s %9d %9d %8d %8d %s%n",
                                            v.what(),
                                            v.expected(),
                                            v.found(),
                                            v.missing(),
                                            v.extra(),
                                            v.examples()));
        }
    }
}
