package org.lifelongpulse.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.lifelongpulse.stack.Endpoints;
import org.lifelongpulse.stack.LocalFlinkCluster;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./pulse cluster up|status|submit|stop|down}: a real Flink cluster on this machine. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = "A real multi-process Flink standalone cluster (JobManager + TaskManager"
                + " JVMs from Flink's jars), and jobs submitted to it with `flink run`.",
        subcommands = {ClusterCommand.Up.class, ClusterCommand.Status.class,
            ClusterCommand.Submit.class, ClusterCommand.Stop.class, ClusterCommand.Down.class})
final class ClusterCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static LocalFlinkCluster cluster(StackEndpoints where) {
        return new LocalFlinkCluster(where.workDir().resolve("flink"), Console::progress);
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "Start the JobManager and a TaskManager (does nothing when up).")
    static final class Up implements Callable<Integer> {
        @Mixin
        StackEndpoints where;

        @Option(names = "--slots", defaultValue = "4",
                description = "Task slots of the TaskManager (default: ${DEFAULT-VALUE}).")
        int slots;

        @Override
        public Integer call() {
            var running = cluster(where).up(slots);
            Console.progress("web UI and REST: " + running.restUrl() + "; logs in "
                    + where.workDir().resolve("flink").resolve("log"));
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Print the cluster's REST endpoint (exit code 1 when it is down).")
    static final class Status implements Callable<Integer> {
        @Mixin
        StackEndpoints where;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            var running = cluster(where).status();
            var out = spec.commandLine().getOut();
            if (running.isEmpty()) {
                out.println("flink cluster: down");
                return 1;
            }
            out.println("flink cluster: up  " + running.get().restUrl() + "  jobmanager pid "
                    + running.get().jobManager().pid() + ", taskmanager pid "
                    + running.get().taskManager().pid());
            return 0;
        }
    }

    @Command(name = "submit", mixinStandardHelpOptions = true,
            description = "Submit a job's shaded jar with `flink run -d`, configured for the"
                    + " stack; prints the job id.")
    static final class Submit implements Callable<Integer> {
        @Mixin
        StackEndpoints where;

        @Parameters(paramLabel = "JOB", description = "participation or fund-risk")
        String job;

        @Option(names = "--from-savepoint", paramLabel = "PATH",
                description = "Start from this savepoint (an upgrade or a move).")
        String savepoint;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            JobLauncher.PipelineJob pipelineJob = JobLauncher.PipelineJob.byName(job);
            Endpoints endpoints = where.resolve();
            SchemaCommand.migrator(endpoints).apply();
            List<String> args = new ArrayList<>(List.of(
                    "--kafka.bootstrap", endpoints.kafkaBootstrap(),
                    "--clickhouse.url", endpoints.clickHouseUrl(),
                    "--clickhouse.user", endpoints.accounts().writer().user()));
            // The password travels as an environment variable of this client, not in argv.
            String id = cluster(where).submit(jobJar(), pipelineJob.mainClass, savepoint, args);
            spec.commandLine().getOut().println(id);
            Console.progress("submitted " + job + " as job " + id);
            return 0;
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = "Stop a job with a savepoint (`flink stop`); prints the savepoint path"
                    + " to resume from.")
    static final class Stop implements Callable<Integer> {
        @Mixin
        StackEndpoints where;

        @Parameters(paramLabel = "JOB_ID", description = "The job id `submit` printed.")
        String jobId;

        @Option(names = "--drain", description = "End event time first: close every window"
                + " (for a final stop, not an upgrade).")
        boolean drain;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            String path = cluster(where).stopWithSavepoint(jobId, drain);
            spec.commandLine().getOut().println(path);
            Console.progress("stopped " + jobId + "; resume with ./pulse cluster submit <job>"
                    + " --from-savepoint " + path);
            return 0;
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true,
            description = "Stop the TaskManager and JobManager this command line started.")
    static final class Down implements Callable<Integer> {
        @Mixin
        StackEndpoints where;

        @Override
        public Integer call() {
            var stopped = cluster(where).down();
            Console.progress(stopped.isEmpty() ? "the Flink cluster was not running"
                    : "Flink cluster down");
            return 0;
        }
    }

    /** The shaded jar of the pipeline, as `./pulse` builds it. */
    static Path jobJar() throws Exception {
        String home = System.getenv().getOrDefault("PULSE_HOME", ".");
        Path target = Path.of(home, "jobs", "pipeline", "target");
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(p -> p.getFileName().toString().endsWith("-job.jar"))
                    .findFirst().orElseThrow(() -> new IllegalStateException(
                            "no shaded job jar in " + target + "; build with ./pulse (any"
                                    + " command) or mvn -pl jobs/pipeline package"));
        }
    }
}
