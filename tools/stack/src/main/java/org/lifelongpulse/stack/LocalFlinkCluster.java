package org.lifelongpulse.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real multi-process Flink standalone session cluster — a JobManager JVM and one or more
 * TaskManager JVMs — run from Flink's Maven jars (no flink-dist), with jobs submitted through
 * Flink's own command line: the operator's path to a cluster, on one machine.
 *
 * <p>The state file ({@code cluster.properties}) records every process with its start instant, and
 * the ports, so that separate invocations share one cluster, {@link #up} starts only what is
 * missing, and {@link #down} stops exactly what was started.
 */
public final class LocalFlinkCluster {

    private static final String JOB_MANAGER_ENTRYPOINT =
            "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";

    private static final String CLASSPATH_RESOURCE = "flink-cluster.classpath";
    private static final Pattern JOB_ID = Pattern.compile("JobID ([0-9a-f]{32})");
    private static final Pattern SAVEPOINT = Pattern.compile("Savepoint completed\\. Path: (\\S+)");

    /** TaskManagers are recorded as taskmanager-N; a bare "taskmanager" is an older record. */
    private static final Pattern TASK_MANAGER = Pattern.compile("taskmanager(-\\d+)?");

    private static final String NEXT_TASK_MANAGER = "taskmanager.next";
    private static final long TASK_MANAGER_READY_MILLIS = 120_000;
    private static final long REST_READY_MILLIS = 30_000;

    /** Java 17 needs these opens in every Flink JVM: deploy/flink/java17-opens.args. */
    static final List<String> OPENS = JavaOpens.flags();

    private final Path dir;
    private final Consumer<String> progress;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /**
     * A cluster whose JobManager runs (the jobs live there): its REST endpoint, the JobManager, and
     * the TaskManagers that are alive, oldest first.
     */
    public record Running(
            String restUrl, ManagedProcess jobManager, List<ManagedProcess> taskManagers) {}

    /** A process the cluster recorded, and whether it still runs. */
    public record Member(ManagedProcess process, boolean alive) {

        static Member of(ManagedProcess process) {
            return new Member(process, process.isAlive());
        }

        public String name() {
            return process.name();
        }
    }

    /**
     * A TaskManager as the JobManager's REST API ({@code /taskmanagers}) lists it; for the
     * TaskManagers this class starts, the id is the member's name.
     */
    public record Registration(String id, int slots, int freeSlots) {}

    /**
     * The cluster as its state file and its REST API see it: which process is down, and what the
     * JobManager has registered.
     *
     * @param restUrl the recorded REST endpoint, or null when no cluster was started
     * @param jobManager the recorded JobManager
     * @param taskManagers the recorded TaskManagers, oldest first
     * @param restAnswers whether the JobManager's REST API answered
     * @param registrations what the JobManager has registered; a killed TaskManager stays listed
     *     until its heartbeats time out
     */
    public record Health(
            String restUrl,
            Optional<Member> jobManager,
            List<Member> taskManagers,
            boolean restAnswers,
            List<Registration> registrations) {

        /** The JobManager's registration of this TaskManager, when it has one. */
        public Optional<Registration> registration(Member taskManager) {
            return registrations.stream()
                    .filter(r -> r.id().equals(taskManager.name()))
                    .findFirst();
        }

        public int slotsTotal() {
            return registrations.stream().mapToInt(Registration::slots).sum();
        }

        public int slotsFree() {
            return registrations.stream().mapToInt(Registration::freeSlots).sum();
        }

        /** What is down, one sentence each; empty when every recorded process runs. */
        public List<String> problems() {
            List<String> problems = new ArrayList<>();
            if (jobManager.isEmpty()) {
                problems.add("no Flink cluster was started here");
                return problems;
            }
            Member jm = jobManager.get();
            if (!jm.alive()) {
                problems.add("the JobManager (pid " + jm.process().pid() + ") is dead");
            } else if (!restAnswers) {
                problems.add(
                        "the JobManager (pid "
                                + jm.process().pid()
                                + ") runs but its"
                                + " REST API at "
                                + restUrl
                                + " does not answer");
            }
            if (taskManagers.isEmpty()) {
                problems.add("no TaskManager runs");
            }
            for (Member tm : taskManagers) {
                if (!tm.alive()) {
                    problems.add(tm.name() + " (pid " + tm.process().pid() + ") is dead");
                } else if (restAnswers && registration(tm).isEmpty()) {
                    problems.add(
                            tm.name()
                                    + " (pid "
                                    + tm.process().pid()
                                    + ") runs but is"
                                    + " not registered with the JobManager");
                }
            }
            return problems;
        }

        public boolean healthy() {
            return problems().isEmpty();
        }
    }

    public LocalFlinkCluster(Path workDir, Consumer<String> progress) {
        this.dir = workDir.toAbsolutePath().normalize();
        this.progress = progress;
    }

    public Path conf() {
        return dir.resolve("conf");
    }

    public Path savepoints() {
        return dir.resolve("savepoints");
    }

    /** {@link #up(int, int)} with at least one TaskManager. */
    public Running up(int slots) {
        return up(slots, 1);
    }

    /**
     * Starts only what is missing, so that a repair never costs the running jobs.
     *
     * <ul>
     *   <li>JobManager alive: each dead TaskManager is replaced by a new one against it (same
     *       configuration, same ports), and more start until {@code taskManagers} run, each awaited
     *       until the JobManager has registered its slots. A TaskManager is never stopped here, and
     *       nothing is done when all recorded ones run.
     *   <li>JobManager dead, or none yet: its jobs went with it (there is no high availability), so
     *       TaskManagers left over are stopped and the whole cluster starts, with as many
     *       TaskManagers as were recorded, on the recorded ports while they are free.
     * </ul>
     *
     * @param slots task slots per TaskManager of a new cluster (a running one keeps its own)
     * @param taskManagers how many TaskManagers should run at least; more when more were recorded
     */
    public Running up(int slots, int taskManagers) {
        if (taskManagers < 1) {
            throw new IllegalArgumentException("a cluster needs at least one TaskManager");
        }
        Properties state = readState();
        Optional<ManagedProcess> jm =
                StateFile.process(state, "jobmanager").filter(ManagedProcess::isAlive);
        if (jm.isPresent()) {
            repair(state, jm.get(), slots, taskManagers);
        } else {
            startCluster(state, slots, taskManagers);
        }
        return status().orElseThrow(
                        () ->
                                new StackException(
                                        "the Flink JobManager died at"
                                                + " start; see "
                                                + dir.resolve("log").resolve("jobmanager.log")));
    }

    /**
     * Starts one more TaskManager against the running JobManager and waits until its slots are
     * registered; returns it.
     */
    public ManagedProcess addTaskManager() {
        Properties state = readState();
        ManagedProcess jm =
                StateFile.process(state, "jobmanager")
                        .filter(ManagedProcess::isAlive)
                        .orElseThrow(
                                () ->
                                        new StackException(
                                                "no Flink JobManager runs under "
                                                        + dir
                                                        + "; start the cluster with `./pulse"
                                                        + " cluster up`"));
        awaitRest(restUrl(state), jm);
        return startTaskManagers(state, 1, jm, resourceParams("GET_TM_RESOURCE_PARAMS")).get(0);
    }

    /**
     * The cluster while its JobManager runs, with the TaskManagers that are alive (maybe none);
     * empty when the JobManager is down. {@link #health()} says what else is wrong.
     */
    public Optional<Running> status() {
        Properties state = readState();
        return StateFile.process(state, "jobmanager")
                .filter(ManagedProcess::isAlive)
                .map(
                        jm ->
                                new Running(
                                        restUrl(state),
                                        jm,
                                        StateFile.processes(state, TASK_MANAGER).stream()
                                                .filter(ManagedProcess::isAlive)
                                                .toList()));
    }

    /**
     * Where Prometheus scrapes the cluster: {@code host:port} of the reporter of the JobManager and
     * of every TaskManager that runs, each process on a port of its own (one host, many JVMs).
     */
    public List<String> metricsTargets() {
        Properties state = readState();
        List<ManagedProcess> live = new ArrayList<>();
        StateFile.process(state, "jobmanager").filter(ManagedProcess::isAlive).ifPresent(live::add);
        StateFile.processes(state, TASK_MANAGER).stream()
                .filter(ManagedProcess::isAlive)
                .forEach(live::add);
        List<String> targets = new ArrayList<>();
        for (ManagedProcess p : live) {
            String port = state.getProperty(p.name() + StateFile.METRICS_PORT);
            if (port != null) {
                targets.add("127.0.0.1:" + port);
            }
        }
        return targets;
    }

    /** Every recorded process, alive or dead, and what the REST API has registered. */
    public Health health() {
        Properties state = readState();
        String rest = state.getProperty("rest.port") == null ? null : restUrl(state);
        Optional<Member> jm = StateFile.process(state, "jobmanager").map(Member::of);
        List<Member> tms =
                StateFile.processes(state, TASK_MANAGER).stream().map(Member::of).toList();
        Optional<List<Registration>> registrations =
                jm.filter(Member::alive).isPresent() && rest != null
                        ? registrations(rest)
                        : Optional.empty();
        return new Health(
                rest, jm, tms, registrations.isPresent(), registrations.orElse(List.of()));
    }

    /**
     * Kills the oldest running TaskManager with SIGKILL, as a crash would, and keeps it recorded,
     * so that {@link #health()} reports it dead and {@link #up} replaces it: for fault drills.
     * Returns the process killed.
     */
    public ManagedProcess killTaskManager() {
        ManagedProcess tm =
                StateFile.processes(readState(), TASK_MANAGER).stream()
                        .filter(ManagedProcess::isAlive)
                        .findFirst()
                        .orElseThrow(
                                () -> new StackException("no Flink TaskManager runs under " + dir));
        tm.kill();
        return tm;
    }

    /** Kills the JobManager with SIGKILL and keeps it recorded, as {@link #killTaskManager}. */
    public ManagedProcess killJobManager() {
        ManagedProcess jm =
                StateFile.process(readState(), "jobmanager")
                        .filter(ManagedProcess::isAlive)
                        .orElseThrow(
                                () -> new StackException("no Flink JobManager runs under " + dir));
        jm.kill();
        return jm;
    }

    /**
     * Stops every process {@link #up} and {@link #addTaskManager} started, TaskManagers first;
     * returns those stopped.
     */
    public List<ManagedProcess> down() {
        Properties state = readState();
        List<ManagedProcess> recorded = new ArrayList<>(StateFile.processes(state, TASK_MANAGER));
        StateFile.process(state, "jobmanager").ifPresent(recorded::add);
        List<ManagedProcess> stopped = new ArrayList<>();
        for (ManagedProcess p : recorded) {
            if (p.stop(Duration.ofSeconds(20))) {
                stopped.add(p);
            }
        }
        stateFile().delete();
        return stopped;
    }

    private void repair(Properties state, ManagedProcess jm, int slots, int taskManagers) {
        awaitRest(restUrl(state), jm);
        List<ManagedProcess> recorded = StateFile.processes(state, TASK_MANAGER);
        int wanted = Math.max(taskManagers, recorded.size()); // a dead one is replaced
        List<ManagedProcess> live = new ArrayList<>();
        for (ManagedProcess tm : recorded) {
            if (tm.isAlive()) {
                live.add(tm);
            } else {
                progress.accept("Flink " + tm.name() + " (pid " + tm.pid() + ") is dead");
                StateFile.forget(state, tm.name());
            }
        }
        writeState(state);
        int recordedSlots = recordedSlots(state, slots);
        if (recordedSlots != slots) {
            progress.accept(
                    "the running cluster keeps its "
                            + recordedSlots
                            + " slots per"
                            + " TaskManager (`cluster down`, then `cluster up --slots "
                            + slots
                            + "` changes them)");
        }
        if (live.size() >= wanted) {
            progress.accept(
                    "the Flink cluster is already up: JobManager pid "
                            + jm.pid()
                            + ", "
                            + live.size()
                            + " TaskManager(s); nothing started, nothing stopped");
            return;
        }
        progress.accept(
                "the Flink JobManager (pid "
                        + jm.pid()
                        + ") runs with "
                        + live.size()
                        + " of "
                        + wanted
                        + " TaskManager(s); starting "
                        + (wanted - live.size())
                        + " against it");
        startTaskManagers(
                state, wanted - live.size(), jm, resourceParams("GET_TM_RESOURCE_PARAMS"));
    }

    private void startCluster(Properties state, int slots, int taskManagers) {
        StateFile.process(state, "jobmanager")
                .ifPresent(
                        jm ->
                                progress.accept(
                                        "the Flink JobManager (pid "
                                                + jm.pid()
                                                + ") is dead, and its jobs with it;"
                                                + " starting the whole cluster"));
        List<ManagedProcess> recorded = StateFile.processes(state, TASK_MANAGER);
        int count = Math.max(taskManagers, recorded.size());
        for (ManagedProcess tm : recorded) {
            if (tm.stop(Duration.ofSeconds(20))) {
                progress.accept(
                        "stopped Flink "
                                + tm.name()
                                + " (pid "
                                + tm.pid()
                                + "), left without its JobManager");
            }
        }
        int rpcPort = reusePort(state, "rpc.port");
        int restPort = reusePort(state, "rest.port");
        Properties fresh = new Properties();
        fresh.setProperty("rpc.port", Integer.toString(rpcPort));
        fresh.setProperty("rest.port", Integer.toString(restPort));
        fresh.setProperty("slots", Integer.toString(slots));
        // Numbering goes on, so a new TaskManager never shares a log or an id with an old one.
        fresh.setProperty(NEXT_TASK_MANAGER, state.getProperty(NEXT_TASK_MANAGER, "1"));
        writeConfig(rpcPort, restPort, slots);
        List<String> jmParams = resourceParams("GET_JM_RESOURCE_PARAMS");
        List<String> tmParams = resourceParams("GET_TM_RESOURCE_PARAMS");
        int jmMetricsPort = FreePorts.pick();
        fresh.setProperty("jobmanager" + StateFile.METRICS_PORT, Integer.toString(jmMetricsPort));
        progress.accept("starting the Flink JobManager (REST on 127.0.0.1:" + restPort + ")");
        Process jm =
                Processes.startDetached(
                        flinkJava(
                                jmParams.get(0),
                                "jobmanager",
                                JOB_MANAGER_ENTRYPOINT,
                                jmParams.get(1) + metricsPort(jmMetricsPort)),
                        dir,
                        dir.resolve("log").resolve("jobmanager.out"));
        ManagedProcess jobManager = ManagedProcess.of("jobmanager", jm);
        StateFile.record(fresh, jobManager);
        writeState(fresh);
        startTaskManagers(fresh, count, jobManager, tmParams);
        progress.accept("Flink cluster up: " + restUrl(fresh));
    }

    /**
     * Starts TaskManagers against the JobManager with the cluster's configuration, records them,
     * and waits until the JobManager has registered each one's slots.
     */
    private List<ManagedProcess> startTaskManagers(
            Properties state, int count, ManagedProcess jm, List<String> params) {
        String rest = restUrl(state);
        List<Process> processes = new ArrayList<>();
        List<ManagedProcess> started = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int number = Integer.parseInt(state.getProperty(NEXT_TASK_MANAGER, "1"));
            state.setProperty(NEXT_TASK_MANAGER, Integer.toString(number + 1));
            String name = "taskmanager-" + number;
            int metricsPort = FreePorts.pick();
            state.setProperty(name + StateFile.METRICS_PORT, Integer.toString(metricsPort));
            progress.accept(
                    "starting Flink " + name + " with " + recordedSlots(state, 0) + " slots");
            // The resource id names it in the REST API, so that its registration can be told
            // from a killed TaskManager's, which stays listed until its heartbeats time out.
            Process tm =
                    Processes.startDetached(
                            flinkJava(
                                    params.get(0),
                                    name,
                                    "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
                                    params.get(1)
                                            + " -D taskmanager.resource-id="
                                            + name
                                            + metricsPort(metricsPort)),
                            dir,
                            dir.resolve("log").resolve(name + ".out"));
            ManagedProcess managed = ManagedProcess.of(name, tm);
            StateFile.record(state, managed);
            writeState(state);
            processes.add(tm);
            started.add(managed);
        }
        Path jmLog = dir.resolve("log").resolve("jobmanager.log");
        for (int i = 0; i < count; i++) {
            String name = started.get(i).name();
            Processes.awaitReady(
                    "Flink " + name,
                    processes.get(i),
                    dir.resolve("log").resolve(name + ".log"),
                    TASK_MANAGER_READY_MILLIS,
                    () -> {
                        if (!jm.isAlive()) {
                            throw new StackException(
                                    "the Flink JobManager (pid "
                                            + jm.pid()
                                            + ") exited. Last lines of "
                                            + jmLog
                                            + ":\n"
                                            + Processes.tail(jmLog, 25));
                        }
                        return registrations(rest).orElse(List.of()).stream()
                                .anyMatch(r -> r.id().equals(name) && r.slots() > 0);
                    });
            progress.accept(
                    "Flink " + name + " (pid " + started.get(i).pid() + ") registered its slots");
        }
        return started;
    }

    /** Waits until the REST API of a running JobManager answers (it may be starting). */
    private void awaitRest(String rest, ManagedProcess jm) {
        long deadline = System.nanoTime() + REST_READY_MILLIS * 1_000_000L;
        while (registrations(rest).isEmpty()) {
            if (System.nanoTime() > deadline || !jm.isAlive()) {
                throw new StackException(
                        "the Flink JobManager (pid "
                                + jm.pid()
                                + ") runs but"
                                + " its REST API at "
                                + rest
                                + " does not answer; see "
                                + dir.resolve("log").resolve("jobmanager.log")
                                + ". Nothing was"
                                + " changed; `./pulse cluster down` stops it (and its jobs).");
            }
            sleep(500);
        }
    }

    /** The JobManager's registered TaskManagers; empty when the REST API does not answer. */
    private Optional<List<Registration>> registrations(String rest) {
        try {
            HttpResponse<String> response =
                    http.send(
                            HttpRequest.newBuilder(URI.create(rest + "/taskmanagers"))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200
                    ? Optional.of(parseTaskManagers(response.body()))
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * Reads {@code {"taskmanagers":[{"id":..,"slotsNumber":..,"freeSlots":..,..},..]}}: only the
     * top level of each entry, so that a key of a nested object is never taken for the entry's.
     */
    static List<Registration> parseTaskManagers(String json) {
        List<Registration> result = new ArrayList<>();
        Matcher array = Pattern.compile("\"taskmanagers\"\\s*:\\s*\\[").matcher(json);
        if (!array.find()) {
            return result;
        }
        StringBuilder entry = new StringBuilder();
        int depth = 0; // 1 inside an entry, more inside its nested objects and arrays
        boolean inString = false;
        for (int i = array.end(); i < json.length(); i++) {
            char c = json.charAt(i);
            boolean structural = !inString && "{}[]".indexOf(c) >= 0;
            if (!structural && depth == 1) {
                entry.append(c);
            }
            if (inString) {
                if (c == '\\' && i + 1 < json.length()) {
                    i++;
                    if (depth == 1) {
                        entry.append(json.charAt(i));
                    }
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                if (depth == 0) {
                    break; // the end of the array
                }
                if (--depth == 0) {
                    String top = entry.toString();
                    entry.setLength(0);
                    result.add(
                            new Registration(
                                    field(top, "\"id\"\\s*:\\s*\"([^\"]*)\""),
                                    Integer.parseInt(field(top, "\"slotsNumber\"\\s*:\\s*(\\d+)")),
                                    Integer.parseInt(field(top, "\"freeSlots\"\\s*:\\s*(\\d+)"))));
                }
            }
        }
        return result;
    }

    private static String field(String object, String regex) {
        Matcher m = Pattern.compile(regex).matcher(object);
        if (!m.find()) {
            throw new StackException("unexpected /taskmanagers entry: " + object);
        }
        return m.group(1);
    }

    /**
     * Submits a job with Flink's command line ({@code flink run -d}); returns its job id.
     *
     * @param savepoint a savepoint to start from, or null
     */
    public String submit(Path jar, String mainClass, String savepoint, List<String> args) {
        return submit(
                jar,
                mainClass,
                savepoint,
                0,
                args,
                LocalSecrets.jobEnvironment(ClickHouseAccounts.fromEnvironment()));
    }

    /**
     * {@link #submit(Path, String, String, List)} at a parallelism ({@code flink run -p}; 0 keeps
     * the configuration's {@code parallelism.default}), with exactly these secrets in the
     * environment of {@code flink run}, where the job's {@code main} reads them (none inherited
     * from this JVM).
     */
    public String submit(
            Path jar,
            String mainClass,
            String savepoint,
            int parallelism,
            List<String> args,
            Map<String, String> secrets) {
        List<String> command = new ArrayList<>(List.of("run", "-d"));
        if (savepoint != null) {
            command.addAll(List.of("-s", savepoint));
        }
        if (parallelism > 0) {
            command.addAll(List.of("-p", Integer.toString(parallelism)));
        }
        command.addAll(List.of("-c", mainClass, jar.toAbsolutePath().toString()));
        command.addAll(args);
        String output = flinkCli(command, secrets);
        Matcher m = JOB_ID.matcher(output);
        if (!m.find()) {
            throw new StackException("flink run printed no job id:\n" + output);
        }
        return m.group(1);
    }

    /** {@code flink stop}: a savepoint, then the job ends; with drain, event time ends first. */
    public String stopWithSavepoint(String jobId, boolean drain) {
        List<String> command =
                new ArrayList<>(
                        List.of(
                                "stop",
                                "--type",
                                "canonical",
                                "--savepointPath",
                                savepoints().toUri().toString()));
        if (drain) {
            command.add("--drain");
        }
        command.add(jobId);
        // A savepoint needs every task running: a job just submitted or restarting is waited for.
        awaitRunning(jobId, Duration.ofMinutes(2));
        Matcher m = SAVEPOINT.matcher(flinkCli(command, Map.of()));
        if (!m.find()) {
            throw new StackException("flink stop reported no savepoint for " + jobId);
        }
        return m.group(1);
    }

    /**
     * Waits until the job is RUNNING with every task running (or finished, as a bounded source's
     * may be): what a savepoint needs. Throws when it ends or the time runs out first.
     */
    public void awaitRunning(String jobId, Duration timeout) {
        String rest = status().orElseThrow(() -> new StackException("no Flink cluster")).restUrl();
        long deadline = System.nanoTime() + timeout.toNanos();
        String body = "";
        while (System.nanoTime() < deadline) {
            body = get(rest + "/jobs/" + jobId);
            Matcher state = Pattern.compile("\"state\"\\s*:\\s*\"([A-Z_]+)\"").matcher(body);
            String job = state.find() ? state.group(1) : "UNKNOWN";
            if (List.of("FINISHED", "FAILED", "CANCELED").contains(job)) {
                throw new StackException("job " + jobId + " is " + job + ", not running");
            }
            if (job.equals("RUNNING") && allTasksRunning(body)) {
                return;
            }
            sleep(250);
        }
        throw new StackException(
                "job " + jobId + " did not get every task running within " + timeout + ": " + body);
    }

    /**
     * Whether the {@code status-counts} of a job's details count only RUNNING or FINISHED tasks.
     */
    static boolean allTasksRunning(String jobDetails) {
        Matcher counts =
                Pattern.compile("\"status-counts\"\\s*:\\s*\\{([^}]*)}").matcher(jobDetails);
        if (!counts.find()) {
            return false;
        }
        Matcher entry = Pattern.compile("\"([A-Z_]+)\"\\s*:\\s*(\\d+)").matcher(counts.group(1));
        int running = 0;
        while (entry.find()) {
            int n = Integer.parseInt(entry.group(2));
            switch (entry.group(1)) {
                case "RUNNING" -> running += n;
                case "FINISHED" -> {}
                default -> {
                    if (n > 0) {
                        return false;
                    }
                }
            }
        }
        return running > 0;
    }

    /** The body of a GET of the running JobManager's REST API, e.g. {@code /jobs/<id>}. */
    public String rest(String path) {
        return get(
                status().orElseThrow(() -> new StackException("no Flink cluster")).restUrl()
                        + path);
    }

    /** The largest parallelism of the job's vertices (a rescale shows here). */
    public int parallelism(String jobId) {
        Matcher m =
                Pattern.compile("\"parallelism\"\\s*:\\s*(\\d+)").matcher(rest("/jobs/" + jobId));
        int max = 0;
        while (m.find()) {
            max = Math.max(max, Integer.parseInt(m.group(1)));
        }
        return max;
    }

    /** The job's status from the REST API, e.g. RUNNING or FINISHED. */
    public String jobStatus(String jobId) {
        String body =
                get(
                        status().orElseThrow(() -> new StackException("no Flink cluster")).restUrl()
                                + "/jobs/"
                                + jobId);
        Matcher m = Pattern.compile("\"state\"\\s*:\\s*\"([A-Z_]+)\"").matcher(body);
        return m.find() ? m.group(1) : "UNKNOWN";
    }

    private String flinkCli(List<String> args, Map<String, String> secrets) {
        Path log = dir.resolve("log").resolve("flink-cli.out");
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(OPENS);
        command.add("-Dlog4j2.configurationFile=" + conf().resolve("log4j-cli.properties"));
        command.add("-cp");
        command.add(classpath());
        command.add("org.apache.flink.client.cli.CliFrontend");
        command.addAll(args);
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder =
                    new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
            builder.environment().put("FLINK_CONF_DIR", conf().toString());
            builder.environment().remove(LocalSecrets.ID_HASH_SECRET_ENV);
            builder.environment().remove(LocalSecrets.WRITER_PASSWORD_ENV);
            builder.environment().putAll(secrets);
            Process p = builder.start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            Files.writeString(
                    log,
                    output,
                    java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            if (p.waitFor() != 0) {
                throw new StackException(
                        "flink "
                                + args.get(0)
                                + " failed (exit "
                                + p.exitValue()
                                + "):\n"
                                + tailOf(output, 30));
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while running flink " + args.get(0), e);
        }
    }

    /** BashJavaUtils computes the memory JVM options and -D settings, as flink's scripts do. */
    private List<String> resourceParams(String which) {
        List<String> command =
                new ArrayList<>(
                        List.of(
                                java(),
                                "-cp",
                                classpath(),
                                "org.apache.flink.runtime.util.bash.BashJavaUtils",
                                which,
                                "--configDir",
                                conf().toString()));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            List<String> results =
                    output.lines()
                            .filter(l -> l.startsWith("BASH_JAVA_UTILS_EXEC_RESULT:"))
                            .map(l -> l.substring("BASH_JAVA_UTILS_EXEC_RESULT:".length()).trim())
                            .toList();
            if (results.size() < 2) {
                throw new StackException("BashJavaUtils " + which + " failed:\n" + output);
            }
            return results.subList(results.size() - 2, results.size());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted", e);
        }
    }

    private List<String> flinkJava(
            String jvmParams, String role, String mainClass, String dynamicConfigs) {
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(OPENS);
        command.addAll(Arrays.asList(jvmParams.split("\\s+")));
        command.add("-Dlog.file=" + dir.resolve("log").resolve(role + ".log"));
        command.add("-Dlog4j2.configurationFile=" + conf().resolve("log4j.properties"));
        command.add("-Dpulse.stack.process=flink-" + role);
        command.add("-cp");
        command.add(classpath());
        command.add(mainClass);
        command.add("--configDir");
        command.add(conf().toString());
        command.addAll(Arrays.asList(dynamicConfigs.split("\\s+")));
        return command;
    }

    private void writeConfig(int rpcPort, int restPort, int slots) {
        try {
            Files.createDirectories(conf());
            Files.createDirectories(savepoints());
            Files.createDirectories(dir.resolve("log"));
            Files.createDirectories(dir.resolve("tmp"));
            Map<String, String> host = new LinkedHashMap<>();
            host.put("jobmanager.rpc.address", "127.0.0.1");
            host.put("jobmanager.rpc.port", Integer.toString(rpcPort));
            host.put("jobmanager.bind-host", "127.0.0.1");
            host.put("taskmanager.bind-host", "127.0.0.1");
            host.put("taskmanager.host", "127.0.0.1");
            host.put("taskmanager.numberOfTaskSlots", Integer.toString(slots));
            host.put("rest.address", "127.0.0.1");
            host.put("rest.bind-address", "127.0.0.1");
            host.put("rest.port", Integer.toString(restPort));
            host.put("execution.checkpointing.dir", dir.resolve("checkpoints").toUri().toString());
            host.put("execution.checkpointing.savepoint-dir", savepoints().toUri().toString());
            host.put("state.backend.rocksdb.localdir", dir.resolve("rocksdb").toString());
            // TaskManager working dirs are named after the resource id: keep them (and spills)
            // inside this cluster's dir, apart from any other cluster's.
            host.put("io.tmp.dirs", dir.resolve("tmp").toString());
            Files.writeString(
                    conf().resolve("config.yaml"),
                    ProductionFlinkConfig.packaged().withHostSettings(host));
            String log4j =
                    String.join(
                            "\n",
                            "rootLogger.level = INFO",
                            "rootLogger.appenderRef.file.ref = file",
                            "appender.file.type = File",
                            "appender.file.name = file",
                            "appender.file.fileName = ${sys:log.file}",
                            "appender.file.layout.type = PatternLayout",
                            "appender.file.layout.pattern = %d{ISO8601} %-5p %c{1} - %m%n",
                            "");
            Files.writeString(conf().resolve("log4j.properties"), log4j);
            Files.writeString(
                    conf().resolve("log4j-cli.properties"),
                    String.join(
                            "\n",
                            "rootLogger.level = WARN",
                            "rootLogger.appenderRef.console.ref = console",
                            "appender.console.type = Console",
                            "appender.console.name = console",
                            "appender.console.layout.type = PatternLayout",
                            "appender.console.layout.pattern = %m%n",
                            ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The reporter's port of one process, as a dynamic property of its command line. */
    private static String metricsPort(int port) {
        return " -D metrics.reporter.prom.port=" + port;
    }

    private static String restUrl(Properties state) {
        return "http://127.0.0.1:" + state.getProperty("rest.port");
    }

    private static int recordedSlots(Properties state, int otherwise) {
        String slots = state.getProperty("slots");
        return slots == null ? otherwise : Integer.parseInt(slots);
    }

    /** The recorded port while it is free (bookmarks and scripts keep working), else a new one. */
    private int reusePort(Properties state, String key) {
        String previous = state.getProperty(key);
        if (previous != null && FreePorts.isFree(Integer.parseInt(previous))) {
            return Integer.parseInt(previous);
        }
        int port = FreePorts.pick();
        if (previous != null) {
            progress.accept("the cluster's " + key + " " + previous + " is taken; using " + port);
        }
        return port;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted", e);
        }
    }

    private String get(String url) {
        try {
            return http.send(
                            HttpRequest.newBuilder(URI.create(url))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted", e);
        }
    }

    private static String java() {
        return ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static String classpath() {
        StringBuilder cp = new StringBuilder(resource(CLASSPATH_RESOURCE));
        // Logging comes from the broker's classpath: one log4j for every process of the stack.
        for (String entry : resource("kafka-broker.classpath").split(":")) {
            String name = Path.of(entry).getFileName().toString();
            if (name.startsWith("log4j-") || name.startsWith("slf4j-api")) {
                cp.append(':').append(entry);
            }
        }
        return cp.toString();
    }

    private static String resource(String name) {
        try (InputStream in = LocalFlinkCluster.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new StackException(name + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tailOf(String text, int lines) {
        List<String> all = text.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private Properties readState() {
        return stateFile().read();
    }

    private StateFile stateFile() {
        return new StateFile(dir.resolve("cluster.properties"));
    }

    private void writeState(Properties state) {
        stateFile().write(state, "Lifelong Pulse local Flink cluster");
    }
}
