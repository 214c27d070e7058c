package org.lifelongpulse.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.lifelongpulse.cli.web.DashboardServer;
import org.lifelongpulse.cli.web.LiveDashboards;
import org.lifelongpulse.ops.clickhouse.ClickHouseHttp;
import org.lifelongpulse.stack.Endpoints;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./pulse dashboards}: the Grafana dashboards, live in a browser, without Grafana. */
@Command(
        name = "dashboards",
        mixinStandardHelpOptions = true,
        description = "The Grafana dashboards of dashboards/ without Grafana.",
        subcommands = {DashboardsCommand.Serve.class})
final class DashboardsCommand implements Runnable {

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /**
     * Serves the dashboards of {@code folder} from ClickHouse as the reader account.
     *
     * @param defaultRange the time range of a page opened without one, or null for the dashboard's
     */
    static DashboardServer start(
            Endpoints endpoints, Path folder, InetAddress bind, int port, String defaultRange)
            throws IOException {
        ClickHouseHttp reader = StackEndpoints.clickHouse(endpoints, endpoints.accounts().reader());
        LiveDashboards dashboards =
                LiveDashboards.asReader(LiveDashboards.load(folder), reader, defaultRange);
        return DashboardServer.start(dashboards, bind, port, Console::error);
    }

    @Command(
            name = "serve",
            mixinStandardHelpOptions = true,
            description = {
                "Serve every dashboard of dashboards/ as a live page until Ctrl-C: the same SQL"
                        + " and macros as Grafana, run as the read-only account; a drop-down per"
                        + " variable, a time-range picker, panels refreshed every 5 s.",
                "Listens on loopback unless --bind says otherwise; a variable value its query"
                        + " does not return is refused (400)."
            })
    static final class Serve implements Callable<Integer> {

        @Mixin StackEndpoints where;

        @Option(
                names = "--port",
                defaultValue = "8090",
                description = "Port to listen on, 0 for any free one (default: ${DEFAULT-VALUE}).")
        int port;

        @Option(
                names = "--bind",
                defaultValue = "127.0.0.1",
                paramLabel = "ADDRESS",
                description =
                        "Address to listen on (default: ${DEFAULT-VALUE}, this machine only;"
                                + " 0.0.0.0 serves the network, without any login).")
        String bind;

        @Option(
                names = "--range",
                paramLabel = "CHOICE",
                description =
                        "Time range of a page opened without one: 15m, 1h, 24h or week (the whole"
                                + " activity week in the tables); default: each dashboard's own.")
        String range;

        @Option(
                names = "--dashboards",
                paramLabel = "DIR",
                description = "Dashboard JSON folder (default: $PULSE_HOME/dashboards).")
        Path dashboards;

        @Override
        public Integer call() throws Exception {
            if (range != null && !range.matches("15m|1h|24h|week")) {
                throw new IllegalArgumentException("--range takes 15m, 1h, 24h or week");
            }
            Endpoints endpoints = where.resolve();
            CountDownLatch stop = new CountDownLatch(1);
            try (DashboardServer server =
                    start(
                            endpoints,
                            SnapshotCommand.dashboardsFolder(dashboards),
                            InetAddress.getByName(bind),
                            port,
                            range)) {
                Thread hook = new Thread(stop::countDown);
                Runtime.getRuntime().addShutdownHook(hook);
                Console.progress("dashboards at " + server.url() + " (Ctrl-C stops)");
                stop.await();
            }
            return 0;
        }
    }
}
