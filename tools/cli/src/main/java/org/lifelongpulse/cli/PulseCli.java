package org.lifelongpulse.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ./pulse} command line. */
@Command(
        name = "pulse",
        mixinStandardHelpOptions = true,
        versionProvider = PulseCli.Version.class,
        description = {
            "Lifelong Pulse: real-time participation metrics and prepaid-fund risk alerts,",
            "from Kafka through Flink into ClickHouse.",
            "",
            "Start here: ./pulse demo   (or ./pulse stack up, then ./pulse schema apply)"
        },
        subcommands = {
            StackCommand.class,
            DrillCommand.class,
            SchemaCommand.class,
            TopicsCommand.class,
            GenerateCommand.class,
            ProduceCommand.class,
            ConsumeCommand.class,
            QueryCommand.class,
            RunCommand.class,
            ClusterCommand.class,
            RulesCommand.class,
            AlertsCommand.class,
            DeadLettersCommand.class,
            DemoCommand.class,
            SnapshotCommand.class,
            DashboardsCommand.class,
            BenchCommand.class,
            CommandLine.HelpCommand.class
        },
        footer = {
            "",
            "Environment: PULSE_KAFKA_BOOTSTRAP and PULSE_CLICKHOUSE_URL select an external",
            "stack instead of the local one; PULSE_CH_{ADMIN,WRITER,READER}_{USER,PASSWORD}",
            "hold the ClickHouse accounts (development defaults otherwise).",
            "`./pulse test` (handled by the launcher script) installs what the tests need",
            "and runs the whole suite."
        })
public final class PulseCli implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(
                run(
                        args,
                        new java.io.PrintWriter(System.out, true),
                        new java.io.PrintWriter(System.err, true)));
    }

    /**
     * Runs one command line, printing data to {@code out} and progress and errors to {@code err}.
     */
    public static int run(String[] args, java.io.PrintWriter out, java.io.PrintWriter err) {
        CommandLine cli = commandLine();
        cli.setOut(out);
        cli.setErr(err);
        Console.use(err);
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** The command line with the project's error handling: messages, not stack traces. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new PulseCli());
        // descriptions are written to 90 columns; picocli's default of 80 would break them
        cli.setUsageHelpWidth(100);
        cli.setExecutionExceptionHandler(
                (e, commandLine, parseResult) -> {
                    Console.error(Console.describe(e));
                    if (System.getenv("PULSE_DEBUG") != null) {
                        e.printStackTrace();
                    } else if (!Console.isExpected(e)) {
                        Console.error("(set PULSE_DEBUG=1 for the stack trace)");
                    }
                    return 3;
                });
        return cli;
    }

    /**
     * What {@code pulse -V} prints: the project version and the git commit this artifact was built
     * from (written by the build into {@code build-info.properties}), and the Flink and Kafka
     * client versions of the jars it runs on, as those jars report them.
     */
    static final class Version implements CommandLine.IVersionProvider {

        static final String BUILD_INFO = "build-info.properties";

        @Override
        public String[] getVersion() {
            java.util.Properties build = new java.util.Properties();
            try (java.io.InputStream in = PulseCli.class.getResourceAsStream(BUILD_INFO)) {
                if (in != null) {
                    build.load(in);
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot read " + BUILD_INFO, e);
            }
            String commit = build.getProperty("commit", "");
            return new String[] {
                "Lifelong Pulse "
                        + build.getProperty("version", "(unknown version: not built by Maven)"),
                "commit "
                        + (commit.isBlank() ? "unknown (built outside a git checkout)" : commit)
                        + ("true".equals(build.getProperty("modified"))
                                ? " (with uncommitted changes)"
                                : ""),
                "Flink "
                        + org.apache.flink.runtime.util.EnvironmentInformation.getVersion()
                        + ", Kafka client "
                        + org.apache.kafka.common.utils.AppInfoParser.getVersion(),
                "Java "
                        + System.getProperty("java.version")
                        + " ("
                        + System.getProperty("java.vendor")
                        + ")"
            };
        }
    }
}
