package org.lifelongpulse.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.lifelongpulse.stack.Endpoints;
import org.lifelongpulse.stack.LocalFlinkCluster;
import org.lifelongpulse.stack.LocalSecrets;
import org.lifelongpulse.stack.ProjectTree;
import org.lifelongpulse.stack.PrometheusServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./pulse cluster up|status|submit|stop|prometheus|down}: a real Flink cluster on this
 * machine.
 */
@Command(
        name = "cluster",
        mixinStandardHelpOptions = true,
        description =
                "A real multi-process Flink standalone cluster (a JobManager and one or"
                        + " more TaskManager JVMs from Flink's jars), and jobs submitted to it with"
                        + " `flink run`.",
        subcommands = {
            ClusterCommand.Up.class,
            ClusterCommand.Status.class,
            ClusterCommand.Submit.class,
            ClusterCommand.Stop.class,
            ClusterCommand.Prometheus.class,
            ClusterCommand.Down.class
        })
final class ClusterCommand implements Runnable {

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static LocalFlinkCluster cluster(StackEndpoints where) {
        return new LocalFlinkCluster(where.workDir().resolve("flink"), Console::progress);
    }

    @Command(
            name = "up",
            mixinStandardHelpOptions = true,
            description = {
                "Start what is missing of the cluster, and never stop what runs:",
                "- JobManager up: dead TaskManagers are replaced against it (same configuration"
                        + " and ports, so its jobs keep running), and more are started until"
                        + " --taskmanagers run; each is awaited until its slots are registered.",
                "- JobManager down (its jobs went with it): the whole cluster starts, on the"
                        + " recorded ports while they are free.",
                "Does nothing when everything runs. To add a TaskManager to a running cluster,"
                        + " raise --taskmanagers: `cluster up --taskmanagers 2`."
            })
    static final class Up implements Callable<Integer> {
        @Mixin StackEndpoints where;

        @Option(
                names = "--slots",
                defaultValue = "4",
                description =
                        "Task slots per TaskManager of a new cluster; a running one keeps"
                                + " its own (default: ${DEFAULT-VALUE}).")
        int slots;

        @Option(
                names = "--taskmanagers",
                paramLabel = "N",
                defaultValue = "1",
                description =
                        "Keep at least N TaskManagers running; more that run are left"
                                + " alone (default: ${DEFAULT-VALUE}).")
        int taskManagers;

        @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if (taskManagers < 1) {
                throw new picocli.CommandLine.ParameterException(
                        spec.commandLine(), "--taskmanagers must be at least 1");
            }
            var running = cluster(where).up(slots, taskManagers);
            Console.progress(
                    "web UI and REST: "
                            + running.restUrl()
                            + "; "
                            + running.taskManagers().size()
                            + " TaskManager(s); logs in "
                            + where.workDir().resolve("flink").resolve("log"));
            return 0;
        }
    }

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description =
                    "Print each process of the cluster (JobManager, every TaskManager: pid, alive"
                        + " or dead) and the TaskManagers and slots the JobManager has registered."
                        + " Exit code 1 when anything is down.")
    static final class Status implements Callable<Integer> {
        @Mixin StackEndpoints where;

        @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            LocalFlinkCluster.Health health = cluster(where).health();
            var out = spec.commandLine().getOut();
            if (health.jobManager().isEmpty()) {
                out.println(
                        "flink cluster: not started (" + where.workDir().resolve("flink") + ")");
                return 1;
            }
            LocalFlinkCluster.Member jm = health.jobManager().get();
            out.println(
                    "flink cluster: "
                            + (health.healthy() ? "up" : jm.alive() ? "degraded" : "down")
                            + "  "
                            + health.restUrl());
            out.println(
                    row(
                            "jobmanager",
                            jm,
                            !jm.alive()
                                    ? "DEAD"
                                    : health.restAnswers()
                                            ? "alive, REST answers"
                                            : "alive, REST DOES NOT ANSWER"));
            for (LocalFlinkCluster.Member tm : health.taskManagers()) {
                var registration = health.registration(tm);
                out.println(
                        row(
                                tm.name(),
                                tm,
                                !tm.alive()
                                        ? "DEAD"
                                        : registration
                                                .map(
                                                        r ->
                                                                "alive, registered, "
                                                                        + r.freeSlots()
                                                                        + " of "
                                                                        + r.slots()
                                                                        + " slots free")
                                                .orElse(
                                                        health.restAnswers()
                                                                ? "alive, NOT REGISTERED"
                                                                : "alive")));
            }
            for (LocalFlinkCluster.Registration r : health.registrations()) {
                boolean ours =
                        health.taskManagers().stream()
                                .anyMatch(tm -> tm.alive() && tm.name().equals(r.id()));
                if (!ours) {
                    // A killed TaskManager stays registered until its heartbeats time out.
                    out.println(
                            "  also registered: "
                                    + r.id()
                                    + " (no live process; the"
                                    + " JobManager drops it when its heartbeats time out)");
                }
            }
            List<String> targets = cluster(where).metricsTargets();
            if (!targets.isEmpty()) {
                out.println("  Prometheus targets (/metrics): " + String.join(", ", targets));
            }
            if (health.restAnswers()) {
                out.println(
                        "  registered TaskManagers: "
                                + health.registrations().size()
                                + ", slots free "
                                + health.slotsFree()
                                + " of "
                                + health.slotsTotal());
            }
            if (health.healthy()) {
                return 0;
            }
            health.problems().forEach(p -> out.println("  down: " + p));
            out.println("  `./pulse cluster up` starts only what is missing");
            return 1;
        }

        private static String row(String name, LocalFlinkCluster.Member member, String state) {
            return String.format("  %-15s pid %-8d %s", name, member.process().pid(), state);
        }
    }

    @Command(
            name = "submit",
            mixinStandardHelpOptions = true,
            description =
                    "Submit a job's shaded jar with `flink run -d`, configured for the"
                            + " stack; prints the job id.")
    static final class Submit implements Callable<Integer> {
        @Mixin StackEndpoints where;

        @Parameters(paramLabel = "JOB", description = "participation or fund-risk")
        String job;

        @Option(
                names = "--from-savepoint",
                paramLabel = "PATH",
                description = "Start from this savepoint (an upgrade or a move).")
        String savepoint;

        @Option(
                names = {"-p", "--parallelism"},
                paramLabel = "N",
                description =
                        "Parallelism of the job (default: the cluster's parallelism.default, 2)."
                                + " With --from-savepoint this rescales the job: keyed state is"
                                + " redistributed, up to pipeline.max-parallelism (128).")
        int parallelism;

        @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (parallelism < 0 || parallelism > 128) {
                throw new picocli.CommandLine.ParameterException(
                        spec.commandLine(),
                        "--parallelism must be between 1 and 128 (pipeline.max-parallelism), not "
                                + parallelism);
            }
            JobLauncher.PipelineJob pipelineJob = JobLauncher.PipelineJob.byName(job);
            Endpoints endpoints = where.resolve();
            SchemaCommand.migrator(endpoints).apply();
            List<String> args =
                    new ArrayList<>(
                            List.of(
                                    "--kafka.bootstrap", endpoints.kafkaBootstrap(),
                                    "--clickhouse.url", endpoints.clickHouseUrl(),
                                    "--clickhouse.user", endpoints.accounts().writer().user()));
            // The password travels as an environment variable of this client, not in argv.
            String id =
                    cluster(where)
                            .submit(
                                    ProjectTree.jobJar(pipelineJob.jobName),
                                    pipelineJob.mainClass,
                                    savepoint,
                                    parallelism,
                                    args,
                                    LocalSecrets.jobEnvironment(endpoints.accounts()));
            spec.commandLine().getOut().println(id);
            Console.progress("submitted " + job + " as job " + id);
            return 0;
        }
    }

    @Command(
            name = "stop",
            mixinStandardHelpOptions = true,
            description =
                    "Stop a job with a savepoint (`flink stop`); prints the savepoint path"
                            + " to resume from.")
    static final class Stop implements Callable<Integer> {
        @Mixin StackEndpoints where;

        @Parameters(paramLabel = "JOB_ID", description = "The job id `submit` printed.")
        String jobId;

        @Option(
                names = "--drain",
                description =
                        "End event time first: close every window"
                                + " (for a final stop, not an upgrade).")
        boolean drain;

        @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            String path = cluster(where).stopWithSavepoint(jobId, drain);
            spec.commandLine().getOut().println(path);
            Console.progress(
                    "stopped "
                            + jobId
                            + "; resume with ./pulse cluster submit <job>"
                            + " --from-savepoint "
                            + path);
            return 0;
        }
    }

    @Command(
            name = "prometheus",
            mixinStandardHelpOptions = true,
            description =
                    "Run a Prometheus (Debian's prometheus, or $PULSE_PROMETHEUS_BIN) scraping the"
                            + " reporter of every JVM of the cluster, following TaskManagers"
                            + " as they are replaced; print its URL, and on the way out how many"
                            + " targets were up. Until Ctrl-C, or --duration.")
    static final class Prometheus implements Callable<Integer> {
        @Mixin StackEndpoints where;

        @Option(
                names = "--duration",
                paramLabel = "SECONDS",
                description = "Stop after this many seconds (default: until Ctrl-C).")
        long duration;

        @Option(
                names = "--scrape-interval",
                paramLabel = "SECONDS",
                defaultValue = "5",
                description = "Seconds between scrapes of each target (default: ${DEFAULT-VALUE}).")
        long scrapeInterval;

        @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            LocalFlinkCluster cluster = cluster(where);
            if (cluster.status().isEmpty()) {
                throw new IllegalStateException(
                        "no Flink cluster runs under "
                                + where.workDir().resolve("flink")
                                + "; start it with `./pulse cluster up`");
            }
            var out = spec.commandLine().getOut();
            List<String> targets = cluster.metricsTargets();
            try (PrometheusServer prometheus =
                    PrometheusServer.start(
                            where.workDir().resolve("prometheus"),
                            targets,
                            Duration.ofSeconds(Math.max(1, scrapeInterval)),
                            Console::progress)) {
                out.println(prometheus.url());
                out.flush();
                Console.progress(
                        "Prometheus at "
                                + prometheus.url()
                                + " scrapes "
                                + String.join(", ", targets)
                                + "; e.g. "
                                + prometheus.url()
                                + "/graph?g0.expr=flink_jobmanager_job_numRestarts");
                long end =
                        duration > 0
                                ? System.nanoTime() + duration * 1_000_000_000L
                                : Long.MAX_VALUE;
                while (System.nanoTime() < end) {
                    Thread.sleep(
                            Math.min(5_000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
                    List<String> now = cluster.metricsTargets();
                    if (!now.equals(targets)) {
                        targets = now;
                        prometheus.scrape(targets);
                        Console.progress("now scraping " + String.join(", ", targets));
                    }
                }
                String up =
                        prometheus.query("sum(up{job=\"" + PrometheusServer.SCRAPE_JOB + "\"})");
                java.util.regex.Matcher m =
                        java.util.regex.Pattern.compile("\"value\":\\[[^,]+,\"(\\d+)\"\\]")
                                .matcher(up);
                out.println(
                        "targets up: "
                                + (m.find() ? m.group(1) : "none")
                                + " of "
                                + targets.size());
            }
            return 0;
        }
    }

    @Command(
            name = "down",
            mixinStandardHelpOptions = true,
            description =
                    "Stop every TaskManager and the JobManager this command line"
                            + " started, and nothing else.")
    static final class Down implements Callable<Integer> {
        @Mixin StackEndpoints where;

        @Override
        public Integer call() {
            var stopped = cluster(where).down();
            stopped.forEach(
                    p -> Console.progress("stopped " + p.name() + " (pid " + p.pid() + ")"));
            Console.progress(
                    stopped.isEmpty() ? "the Flink cluster was not running" : "Flink cluster down");
            return 0;
        }
    }
}
