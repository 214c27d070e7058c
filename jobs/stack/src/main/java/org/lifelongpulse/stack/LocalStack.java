package org.lifelongpulse.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A real Kafka broker and a real ClickHouse server as local processes on loopback, with all
 * their data under one work directory. {@code up} starts them (or says they already run),
 * {@code status} reports them, {@code down} stops exactly the processes {@code up} started.
 *
 * <p>The state file remembers pids, start instants and ports, so that separate invocations of
 * {@code ./pulse stack} share one stack, a reused pid is never taken for ours, and the KRaft
 * controller keeps the port recorded in its quorum.
 */
public final class LocalStack {

    private static final long KAFKA_READY_MILLIS = 90_000;
    private static final long CLICKHOUSE_READY_MILLIS = 60_000;

    private final StackLayout layout;
    private final ClickHouseAccounts accounts;
    private final Consumer<String> progress;

    public LocalStack(Path workDir, ClickHouseAccounts accounts, Consumer<String> progress) {
        this.layout = new StackLayout(workDir);
        this.accounts = accounts;
        this.progress = progress;
    }

    /** The status of a stack whose processes are both alive. */
    public record Running(Endpoints endpoints, ManagedProcess kafka, ManagedProcess clickHouse,
            Path workDir) {}

    /** What {@link #up()} did. */
    public record UpResult(Running stack, boolean alreadyRunning, Duration startup) {}

    public Path workDir() {
        return layout.root();
    }

    /** Starts both servers unless they already run; waits until both answer. */
    public UpResult up() {
        Optional<Running> running = status();
        if (running.isPresent()) {
            return new UpResult(running.get(), true, Duration.ZERO);
        }
        stopLeftovers();
        long started = System.nanoTime();
        Properties state = readState();
        ClickHouseServer.serverCommand(); // fail fast, before starting Kafka, when none is installed
        int kafkaPort = reusePort(state, "kafka.port");
        int controllerPort = reusePort(state, "kafka.controller.port");
        int httpPort = reusePort(state, "clickhouse.http.port");
        int tcpPort = reusePort(state, "clickhouse.tcp.port");
        state.setProperty("kafka.port", Integer.toString(kafkaPort));
        state.setProperty("kafka.controller.port", Integer.toString(controllerPort));
        state.setProperty("clickhouse.http.port", Integer.toString(httpPort));
        state.setProperty("clickhouse.tcp.port", Integer.toString(tcpPort));

        progress.accept("starting Kafka (KRaft) on 127.0.0.1:" + kafkaPort);
        KafkaBroker broker = new KafkaBroker(layout);
        Process kafka = broker.start(kafkaPort, controllerPort);
        StateFile.record(state, ManagedProcess.of("kafka", kafka));
        writeState(state);

        progress.accept("starting ClickHouse on 127.0.0.1:" + httpPort + " (HTTP)");
        ClickHouseServer server = new ClickHouseServer(layout, accounts);
        Process clickHouse;
        try {
            clickHouse = server.start(httpPort, tcpPort);
        } catch (RuntimeException e) {
            down(false);
            throw e;
        }
        StateFile.record(state, ManagedProcess.of("clickhouse", clickHouse));
        writeState(state);

        Endpoints endpoints = endpoints(state);
        try {
            Processes.awaitReady("ClickHouse", clickHouse, server.log(), CLICKHOUSE_READY_MILLIS,
                    () -> ClickHouseServer.answers(endpoints.clickHouseUrl()));
            progress.accept("ClickHouse is ready at " + endpoints.clickHouseUrl());
            Processes.awaitReady("Kafka", kafka, broker.log(), KAFKA_READY_MILLIS,
                    () -> KafkaBroker.answers(endpoints.kafkaBootstrap()));
            progress.accept("Kafka is ready at " + endpoints.kafkaBootstrap());
        } catch (RuntimeException e) {
            down(false);
            throw e;
        }
        Running now = status().orElseThrow(
                () -> new StackException("the stack started but its processes are gone; see "
                        + layout.logDir()));
        return new UpResult(now, false, Duration.ofNanos(System.nanoTime() - started));
    }

    /** The running stack, when both of its processes are alive. */
    public Optional<Running> status() {
        Properties state = readState();
        Optional<ManagedProcess> kafka = StateFile.process(state, "kafka");
        Optional<ManagedProcess> clickHouse = StateFile.process(state, "clickhouse");
        if (kafka.isEmpty() || clickHouse.isEmpty()
                || !kafka.get().isAlive() || !clickHouse.get().isAlive()) {
            return Optional.empty();
        }
        return Optional.of(new Running(endpoints(state), kafka.get(), clickHouse.get(),
                layout.root()));
    }

    /** Processes recorded in the state file that are still alive (for a partial stack). */
    public List<ManagedProcess> liveProcesses() {
        Properties state = readState();
        return Stream.of("kafka", "clickhouse")
                .map(name -> StateFile.process(state, name))
                .flatMap(Optional::stream)
                .filter(ManagedProcess::isAlive)
                .toList();
    }

    /**
     * Stops the processes this stack started (ClickHouse first, then Kafka) and forgets them.
     * With {@code purge}, deletes the work directory too. Returns the processes stopped.
     */
    public List<ManagedProcess> down(boolean purge) {
        Properties state = readState();
        List<ManagedProcess> stopped = Stream.of("clickhouse", "kafka")
                .map(name -> StateFile.process(state, name))
                .flatMap(Optional::stream)
                .filter(p -> {
                    boolean wasAlive = p.stop(Duration.ofSeconds(30));
                    if (wasAlive) {
                        progress.accept("stopped " + p.name() + " (pid " + p.pid() + ")");
                    }
                    return wasAlive;
                })
                .toList();
        for (String name : List.of("kafka", "clickhouse")) {
            StateFile.forget(state, name);
        }
        if (purge) {
            deleteRecursively(layout.root());
            progress.accept("deleted " + layout.root());
        } else if (Files.exists(layout.stateFile())) {
            writeState(state);
        }
        return stopped;
    }

    /**
     * Stops only the ClickHouse server, abruptly (a crash, not a drain: open connections would
     * otherwise keep it serving for seconds), keeping its data and ports: for outage drills.
     * {@link #startClickHouse()} brings it back.
     */
    public void stopClickHouse() {
        Properties state = readState();
        StateFile.process(state, "clickhouse").ifPresent(p -> p.stop(Duration.ZERO));
        StateFile.forget(state, "clickhouse");
        writeState(state);
    }

    /** Starts the ClickHouse server again after {@link #stopClickHouse()}, on the same port. */
    public void startClickHouse() {
        Properties state = readState();
        ClickHouseServer server = new ClickHouseServer(layout, accounts);
        Process clickHouse = server.start(Integer.parseInt(state.getProperty("clickhouse.http.port")),
                Integer.parseInt(state.getProperty("clickhouse.tcp.port")));
        StateFile.record(state, ManagedProcess.of("clickhouse", clickHouse));
        writeState(state);
        String url = endpoints(state).clickHouseUrl();
        Processes.awaitReady("ClickHouse", clickHouse, server.log(), CLICKHOUSE_READY_MILLIS,
                () -> ClickHouseServer.answers(url));
    }

    /** A half-started stack (one process died) is stopped before starting afresh. */
    private void stopLeftovers() {
        for (ManagedProcess p : liveProcesses()) {
            progress.accept("stopping the leftover " + p.name() + " (pid " + p.pid()
                    + ") of an incomplete stack");
            p.stop(Duration.ofSeconds(30));
        }
    }

    private Endpoints endpoints(Properties state) {
        return new Endpoints(
                "127.0.0.1:" + state.getProperty("kafka.port"),
                "http://127.0.0.1:" + state.getProperty("clickhouse.http.port"),
                accounts);
    }

    private static int reusePort(Properties state, String key) {
        String previous = state.getProperty(key);
        if (previous != null && FreePorts.isFree(Integer.parseInt(previous))) {
            return Integer.parseInt(previous);
        }
        if (previous != null && key.startsWith("kafka")) {
            throw new StackException("port " + previous + " recorded for " + key
                    + " is taken by another program, and the Kafka data remembers it. Free the"
                    + " port, or start afresh with `./pulse stack down --purge`.");
        }
        return FreePorts.pick();
    }



    private Properties readState() {
        return new StateFile(layout.stateFile()).read();
    }

    private void writeState(Properties state) {
        new StateFile(layout.stateFile()).write(state,
                "Lifelong Pulse local stack: processes and ports");
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
