package org.lifelongpulse.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.lifelongpulse.ops.kafka.KafkaTopics;
import org.lifelongpulse.stack.ClickHouseAccounts;
import org.lifelongpulse.stack.Endpoints;
import org.lifelongpulse.stack.LocalStack;
import org.lifelongpulse.stack.ManagedProcess;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./pulse stack up|status|down}. */
@Command(
        name = "stack",
        mixinStandardHelpOptions = true,
        description = "Run a real Kafka broker (KRaft) and ClickHouse server as local processes.",
        subcommands = {StackCommand.Up.class, StackCommand.Status.class, StackCommand.Down.class})
final class StackCommand implements Runnable {

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(
            name = "up",
            mixinStandardHelpOptions = true,
            description = {
                "Start Kafka and ClickHouse on free loopback ports with data under the"
                        + " work directory, and create the topics.",
                "Starts only the server that is not running, on its recorded ports: a server"
                        + " that runs is never restarted. Does nothing when both are up."
            })
    static final class Up implements Callable<Integer> {

        @Mixin StackEndpoints where;

        @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            LocalStack stack = where.localStack();
            LocalStack.UpResult result = stack.up();
            if (result.alreadyRunning()) {
                Console.progress("the stack is already up; nothing changed");
            } else if (result.started().size() == 1) {
                Console.progress(
                        String.format(
                                "restarted %s in %.1f s; the other server was"
                                        + " running and was left alone",
                                result.started().get(0), result.startup().toMillis() / 1000.0));
            } else {
                Console.progress(
                        String.format("stack up in %.1f s", result.startup().toMillis() / 1000.0));
            }
            List<String> created =
                    KafkaTopics.ensure(
                            result.stack().endpoints().kafkaBootstrap(),
                            KafkaTopics.DEFAULT_PARTITIONS,
                            (short) 1);
            if (!created.isEmpty()) {
                Console.progress("created topics " + String.join(", ", created));
            }
            Status.print(result.stack(), spec.commandLine().getOut());
            return 0;
        }
    }

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description =
                    "Print the endpoints of the running stack, or which server is down"
                            + " (exit code 1 when one is).")
    static final class Status implements Callable<Integer> {

        @Mixin StackEndpoints where;

        @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            java.io.PrintWriter out = spec.commandLine().getOut();
            LocalStack stack = where.localStack();
            LocalStack.Health health = stack.health();
            var running = stack.status();
            if (health.healthy() && running.isPresent()) {
                print(running.get(), out);
                return 0;
            }
            boolean anyAlive = health.servers().stream().anyMatch(LocalStack.Server::alive);
            out.println(
                    "stack: " + (anyAlive ? "degraded" : "down") + " (" + stack.workDir() + ")");
            for (LocalStack.Server server : health.servers()) {
                String state =
                        server.process().isEmpty()
                                ? "not started"
                                : !server.alive()
                                        ? "DOWN"
                                        : server.answers() ? "up" : "runs, DOES NOT ANSWER";
                out.println(
                        String.format(
                                "  %-11s %s%s   %s",
                                server.name(),
                                server.endpoint() == null ? "" : server.endpoint(),
                                server.process().map(p -> "   pid " + p.pid()).orElse(""),
                                state));
            }
            health.problems().forEach(p -> out.println("  down: " + p));
            out.println(
                    "  `./pulse stack up` starts only what is down; `./pulse stack down`"
                            + " stops what runs");
            return 1;
        }

        static void print(LocalStack.Running running, java.io.PrintWriter out) {
            Endpoints e = running.endpoints();
            ClickHouseAccounts accounts = e.accounts();
            out.println("stack: up (" + running.workDir() + ")");
            out.println("  kafka       " + e.kafkaBootstrap() + "   pid " + running.kafka().pid());
            out.println(
                    "  clickhouse  " + e.clickHouseUrl() + "   pid " + running.clickHouse().pid());
            out.println(
                    "  accounts    admin "
                            + accounts.admin().user()
                            + ", writer "
                            + accounts.writer().user()
                            + ", reader "
                            + accounts.reader().user()
                            + (accounts.writer().usesDevelopmentPassword()
                                    ? "  (development passwords: set PULSE_CH_*_PASSWORD for real"
                                            + " use)"
                                    : ""));
            out.println("  logs        " + running.workDir().resolve("logs"));
            out.println("  to use it from elsewhere:");
            out.println("    export PULSE_KAFKA_BOOTSTRAP=" + e.kafkaBootstrap());
            out.println("    export PULSE_CLICKHOUSE_URL=" + e.clickHouseUrl());
        }
    }

    @Command(
            name = "down",
            mixinStandardHelpOptions = true,
            description =
                    "Stop exactly the processes `stack up` started. Data is kept unless"
                            + " --purge is given.")
    static final class Down implements Callable<Integer> {

        @Mixin StackEndpoints where;

        @Option(names = "--purge", description = "Also delete the work directory (all data).")
        boolean purge;

        @Override
        public Integer call() {
            List<ManagedProcess> stopped = where.localStack().down(purge);
            Console.progress(
                    stopped.isEmpty()
                            ? "the stack was not running; nothing to stop"
                            : "stack down");
            return 0;
        }
    }
}
