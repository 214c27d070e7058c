package org.lifelongpulse.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A real Kafka broker and a real ClickHouse server as local processes on loopback, with all their
 * data under one work directory. {@code up} starts those that are not running (and only those),
 * {@code health} says which one is down, {@code down} stops exactly the processes {@code up}
 * started.
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
    public record Running(
            Endpoints endpoints, ManagedProcess kafka, ManagedProcess clickHouse, Path workDir) {}

    /**
     * What {@link #up()} did.
     *
     * @param started the servers it started ({@code kafka}, {@code clickhouse}); a server that was
     *     running is never among them
     */
    public record UpResult(
            Running stack, boolean alreadyRunning, Duration startup, List<String> started) {}

    /**
     * One server of the stack as its state file and a probe see it.
     *
     * @param name {@code kafka} or {@code clickhouse}
     * @param endpoint its bootstrap servers or base URL, or null before the first start
     * @param process the recorded process, if any
     * @param alive whether that process still runs
     * @param answers whether the server answered a probe (Kafka metadata, ClickHouse /ping)
     */
    public record Server(
            String name,
            String endpoint,
            Optional<ManagedProcess> process,
            boolean alive,
            boolean answers) {

        /** What is wrong with it, if anything. */
        public Optional<String> problem() {
            String label = name.equals("kafka") ? "Kafka" : "ClickHouse";
            if (process.isEmpty()) {
                return Optional.of(label + " is not started");
            }
            String pid = " (pid " + process.get().pid() + ")";
            if (!alive) {
                return Optional.of(label + pid + " is down");
            }
            return answers
                    ? Optional.empty()
                    : Optional.of(label + pid + " runs but does not answer at " + endpoint);
        }
    }

    /** Each server of the stack, and which one is down. */
    public record Health(Path workDir, List<Server> servers) {

        public Server server(String name) {
            return servers.stream()
                    .filter(s -> s.name().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no server " + name));
        }

        /** One sentence per server that is down or does not answer; empty when all is well. */
        public List<String> problems() {
            return servers.stream().map(Server::problem).flatMap(Optional::stream).toList();
        }

        public boolean healthy() {
            return problems().isEmpty();
        }
    }

    public Path workDir() {
        return layout.root();
    }

    /**
     * Starts the servers that are not running, and only those, on their recorded ports; waits until
     * each started one answers. A server whose process runs is never restarted, so an outage of one
     * stays an outage of one. Says so, and changes nothing, when both run.
     */
    public UpResult up() {
        Properties state = readState();
        Optional<ManagedProcess> runningKafka = live(state, "kafka");
        Optional<ManagedProcess> runningClickHouse = live(state, "clickhouse");
        if (runningKafka.isPresent() && runningClickHouse.isPresent()) {
            return new UpResult(status().orElseThrow(), true, Duration.ZERO, List.of());
        }
        long started = System.nanoTime();
        boolean startKafka = runningKafka.isEmpty();
        boolean startClickHouse = runningClickHouse.isEmpty();
        if (startClickHouse) {
            ClickHouseServer.serverCommand(); // fail fast, before starting Kafka, when none exists
        }
        for (String name : List.of("kafka", "clickhouse")) {
            Optional<ManagedProcess> dead =
                    StateFile.process(state, name).filter(p -> !p.isAlive());
            live(state, name)
                    .ifPresent(
                            p ->
                                    progress.accept(
                                            name
                                                    + " (pid "
                                                    + p.pid()
                                                    + ") is running and is left alone"));
            dead.ifPresent(
                    p ->
                            progress.accept(
                                    name
                                            + " (pid "
                                            + p.pid()
                                            + ") is down;"
                                            + " starting it again on its recorded ports"));
        }
        if (startKafka) {
            state.setProperty("kafka.port", Integer.toString(reusePort(state, "kafka.port")));
            state.setProperty(
                    "kafka.controller.port",
                    Integer.toString(reusePort(state, "kafka.controller.port")));
        }
        if (startClickHouse) {
            state.setProperty(
                    "clickhouse.http.port",
                    Integer.toString(reusePort(state, "clickhouse.http.port")));
            state.setProperty(
                    "clickhouse.tcp.port",
                    Integer.toString(reusePort(state, "clickhouse.tcp.port")));
        }
        Endpoints endpoints = endpoints(state);
        KafkaBroker broker = new KafkaBroker(layout);
        ClickHouseServer server = new ClickHouseServer(layout, accounts);
        List<String> startedNow = new ArrayList<>();
        try {
            Process kafka = null;
            if (startKafka) {
                progress.accept("starting Kafka (KRaft) on " + endpoints.kafkaBootstrap());
                kafka =
                        broker.start(
                                Integer.parseInt(state.getProperty("kafka.port")),
                                Integer.parseInt(state.getProperty("kafka.controller.port")));
                StateFile.record(state, ManagedProcess.of("kafka", kafka));
                startedNow.add("kafka");
                writeState(state);
            }
            if (startClickHouse) {
                progress.accept("starting ClickHouse on " + endpoints.clickHouseUrl() + " (HTTP)");
                Process clickHouse =
                        server.start(
                                Integer.parseInt(state.getProperty("clickhouse.http.port")),
                                Integer.parseInt(state.getProperty("clickhouse.tcp.port")));
                StateFile.record(state, ManagedProcess.of("clickhouse", clickHouse));
                startedNow.add("clickhouse");
                writeState(state);
                Processes.awaitReady(
                        "ClickHouse",
                        clickHouse,
                        server.log(),
                        CLICKHOUSE_READY_MILLIS,
                        () -> ClickHouseServer.answers(endpoints.clickHouseUrl()));
                progress.accept(
                        "ClickHouse "
                                + server.checkedVersion(endpoints.clickHouseUrl())
                                + " is ready at "
                                + endpoints.clickHouseUrl());
            }
            if (kafka != null) {
                Processes.awaitReady(
                        "Kafka",
                        kafka,
                        broker.log(),
                        KAFKA_READY_MILLIS,
                        () -> KafkaBroker.answers(endpoints.kafkaBootstrap()));
                progress.accept("Kafka is ready at " + endpoints.kafkaBootstrap());
            }
        } catch (RuntimeException e) {
            // Only what this call started: the server that was running keeps running.
            stop(state, startedNow);
            throw e;
        }
        Running now =
                status().orElseThrow(
                                () ->
                                        new StackException(
                                                "the stack started but its processes are gone; see "
                                                        + layout.logDir()));
        return new UpResult(
                now, false, Duration.ofNanos(System.nanoTime() - started), List.copyOf(startedNow));
    }

    /** The running stack, when both of its processes are alive. */
    public Optional<Running> status() {
        Properties state = readState();
        Optional<ManagedProcess> kafka = StateFile.process(state, "kafka");
        Optional<ManagedProcess> clickHouse = StateFile.process(state, "clickhouse");
        if (kafka.isEmpty()
                || clickHouse.isEmpty()
                || !kafka.get().isAlive()
                || !clickHouse.get().isAlive()) {
            return Optional.empty();
        }
        return Optional.of(
                new Running(endpoints(state), kafka.get(), clickHouse.get(), layout.root()));
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

    /** Each server: recorded process, alive or not, answering or not. */
    public Health health() {
        Properties state = readState();
        boolean started = state.getProperty("kafka.port") != null;
        Endpoints endpoints = started ? endpoints(state) : null;
        Optional<ManagedProcess> kafka = StateFile.process(state, "kafka");
        Optional<ManagedProcess> clickHouse = StateFile.process(state, "clickhouse");
        boolean kafkaAlive = kafka.filter(ManagedProcess::isAlive).isPresent();
        boolean clickHouseAlive = clickHouse.filter(ManagedProcess::isAlive).isPresent();
        return new Health(
                layout.root(),
                List.of(
                        new Server(
                                "kafka",
                                started ? endpoints.kafkaBootstrap() : null,
                                kafka,
                                kafkaAlive,
                                kafkaAlive && KafkaBroker.answers(endpoints.kafkaBootstrap())),
                        new Server(
                                "clickhouse",
                                started ? endpoints.clickHouseUrl() : null,
                                clickHouse,
                                clickHouseAlive,
                                clickHouseAlive
                                        && ClickHouseServer.answers(endpoints.clickHouseUrl()))));
    }

    /**
     * Kills the Kafka broker with SIGKILL, as a crash would, and keeps it recorded, so that {@link
     * #health()} reports it down and {@link #up()} restarts it alone: for outage drills. Returns
     * the process killed.
     */
    public ManagedProcess killKafka() {
        return kill("kafka");
    }

    /** Kills the ClickHouse server with SIGKILL, as {@link #killKafka()} does the broker. */
    public ManagedProcess killClickHouse() {
        return kill("clickhouse");
    }

    private ManagedProcess kill(String name) {
        ManagedProcess process =
                live(readState(), name)
                        .orElseThrow(
                                () ->
                                        new StackException(
                                                name + " is not running under " + layout.root()));
        process.kill();
        return process;
    }

    /**
     * Stops the processes this stack started (ClickHouse first, then Kafka) and forgets them. With
     * {@code purge}, deletes the work directory too. Returns the processes stopped.
     */
    public List<ManagedProcess> down(boolean purge) {
        Properties state = readState();
        List<ManagedProcess> stopped =
                Stream.of("clickhouse", "kafka")
                        .map(name -> StateFile.process(state, name))
                        .flatMap(Optional::stream)
                        .filter(
                                p -> {
                                    boolean wasAlive = p.stop(Duration.ofSeconds(30));
                                    if (wasAlive) {
                                        progress.accept(
                                                "stopped " + p.name() + " (pid " + p.pid() + ")");
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
     * otherwise keep it serving for seconds), keeping its data and ports: for outage drills. {@link
     * #startClickHouse()} brings it back.
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
        Process clickHouse =
                server.start(
                        Integer.parseInt(state.getProperty("clickhouse.http.port")),
                        Integer.parseInt(state.getProperty("clickhouse.tcp.port")));
        StateFile.record(state, ManagedProcess.of("clickhouse", clickHouse));
        writeState(state);
        String url = endpoints(state).clickHouseUrl();
        Processes.awaitReady(
                "ClickHouse",
                clickHouse,
                server.log(),
                CLICKHOUSE_READY_MILLIS,
                () -> ClickHouseServer.answers(url));
    }

    private static Optional<ManagedProcess> live(Properties state, String name) {
        return StateFile.process(state, name).filter(ManagedProcess::isAlive);
    }

    /** Stops and forgets the named servers (a failed start's). */
    private void stop(Properties state, List<String> names) {
        for (String name : names) {
            StateFile.process(state, name).ifPresent(p -> p.stop(Duration.ofSeconds(30)));
            StateFile.forget(state, name);
        }
        writeState(state);
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
            throw new StackException(
                    "port "
                            + previous
                            + " recorded for "
                            + key
                            + " is taken by another program, and the Kafka data remembers it. Free"
                            + " the port, or start afresh with `./pulse stack down --purge`.");
        }
        return FreePorts.pick();
    }

    private Properties readState() {
        return new StateFile(layout.stateFile()).read();
    }

    private void writeState(Properties state) {
        new StateFile(layout.stateFile())
                .write(state, "Lifelong Pulse local stack: processes and ports");
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(
                            p -> {
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
