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
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;


/**
 * A real multi-process Flink standalone session cluster — a JobManager and a TaskManager JVM —
 * run from Flink's Maven jars (no flink-dist), with jobs submitted through Flink's own command
 * line: the operator's path to a cluster, on one machine.
 */
public final class LocalFlinkCluster {

    private static final String CLASSPATH_RESOURCE = "flink-cluster.classpath";
    private static final Pattern JOB_ID = Pattern.compile("JobID ([0-9a-f]{32})");
    private static final Pattern SAVEPOINT = Pattern.compile("Savepoint completed\\. Path: (\\S+)");

    /** Java 17 needs these opens in every Flink JVM. */
    static final List<String> OPENS = List.of(
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED",
            "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED",
            "--add-exports=java.base/sun.net.util=ALL-UNNAMED");

    private final Path dir;
    private final Consumer<String> progress;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2)).build();

    /** A running cluster: its REST endpoint and processes. */
    public record Running(String restUrl, ManagedProcess jobManager,
            ManagedProcess taskManager) {}

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

    /** Starts the JobManager and a TaskManager unless they run; waits for free slots. */
    public Running up(int slots) {
        Optional<Running> running = status();
        if (running.isPresent()) {
            progress.accept("the Flink cluster is already up");
            return running.get();
        }
        down();
        int rpcPort = FreePorts.pick();
        int restPort = FreePorts.pick();
        writeConfig(rpcPort, restPort, slots);
        List<String> jmParams = resourceParams("GET_JM_RESOURCE_PARAMS");
        List<String> tmParams = resourceParams("GET_TM_RESOURCE_PARAMS");
        progress.accept("starting the Flink JobManager (REST on 127.0.0.1:" + restPort + ")");
        Process jm = Processes.startDetached(flinkJava(jmParams.get(0), "jobmanager",
                "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
                jmParams.get(1)), dir, dir.resolve("log").resolve("jobmanager.out"));
        progress.accept("starting a Flink TaskManager with " + slots + " slots");
        Process tm = Processes.startDetached(flinkJava(tmParams.get(0), "taskmanager",
                "org.apache.flink.runtime.taskexecutor.TaskManagerRunner", tmParams.get(1)),
                dir, dir.resolve("log").resolve("taskmanager.out"));
        Properties state = new Properties();
        state.setProperty("rest.port", Integer.toString(restPort));
        StateFile.record(state, ManagedProcess.of("jobmanager", jm));
        StateFile.record(state, ManagedProcess.of("taskmanager", tm));
        writeState(state);
        String rest = "http://127.0.0.1:" + restPort;
        Processes.awaitReady("the Flink TaskManager", tm, dir.resolve("log")
                .resolve("taskmanager.out"), 120_000, () -> slotsTotal(rest) > 0);
        progress.accept("Flink cluster up: " + rest);
        return status().orElseThrow(() -> new StackException("the Flink cluster died at start"));
    }

    public Optional<Running> status() {
        Properties state = readState();
        Optional<ManagedProcess> jm = StateFile.process(state, "jobmanager");
        Optional<ManagedProcess> tm = StateFile.process(state, "taskmanager");
        if (jm.isEmpty() || tm.isEmpty() || !jm.get().isAlive() || !tm.get().isAlive()) {
            return Optional.empty();
        }
        return Optional.of(new Running("http://127.0.0.1:" + state.getProperty("rest.port"),
                jm.get(), tm.get()));
    }

    /** Stops the processes {@link #up} started; returns those stopped. */
    public List<ManagedProcess> down() {
        Properties state = readState();
        List<ManagedProcess> stopped = new ArrayList<>();
        for (String name : List.of("taskmanager", "jobmanager")) {
            StateFile.process(state, name).filter(p -> p.stop(Duration.ofSeconds(20)))
                    .ifPresent(stopped::add);
        }
        stateFile().delete();
        return stopped;
    }

    /**
     * Submits a job with Flink's command line ({@code flink run -d}); returns its job id.
     *
     * @param savepoint a savepoint to start from, or null
     */
    public String submit(Path jar, String mainClass, String savepoint, List<String> args) {
        List<String> command = new ArrayList<>(List.of("run", "-d"));
        if (savepoint != null) {
            command.addAll(List.of("-s", savepoint));
        }
        command.addAll(List.of("-c", mainClass, jar.toAbsolutePath().toString()));
        command.addAll(args);
        String output = flinkCli(command);
        Matcher m = JOB_ID.matcher(output);
        if (!m.find()) {
            throw new StackException("flink run printed no job id:\n" + output);
        }
        return m.group(1);
    }

    /** {@code flink stop}: a savepoint, then the job ends; with drain, event time ends first. */
    public String stopWithSavepoint(String jobId, boolean drain) {
        List<String> command = new ArrayList<>(List.of("stop", "--type", "canonical",
                "--savepointPath", savepoints().toUri().toString()));
        if (drain) {
            command.add("--drain");
        }
        command.add(jobId);
        Matcher m = SAVEPOINT.matcher(flinkCli(command));
        if (!m.find()) {
            throw new StackException("flink stop reported no savepoint for " + jobId);
        }
        return m.group(1);
    }

    /** The job's status from the REST API, e.g. RUNNING or FINISHED. */
    public String jobStatus(String jobId) {
        String body = get(status().orElseThrow(() -> new StackException("no Flink cluster"))
                .restUrl() + "/jobs/" + jobId);
        Matcher m = Pattern.compile("\"state\"\\s*:\\s*\"([A-Z_]+)\"").matcher(body);
        return m.find() ? m.group(1) : "UNKNOWN";
    }

    private String flinkCli(List<String> args) {
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
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectErrorStream(true);
            builder.environment().put("FLINK_CONF_DIR", conf().toString());
            Process p = builder.start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            Files.writeString(log, output, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            if (p.waitFor() != 0) {
                throw new StackException("flink " + args.get(0) + " failed (exit "
                        + p.exitValue() + "):\n" + tailOf(output, 30));
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
        List<String> command = new ArrayList<>(List.of(java(), "-cp", classpath(),
                "org.apache.flink.runtime.util.bash.BashJavaUtils", which,
                "--configDir", conf().toString()));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            List<String> results = output.lines()
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

    private List<String> flinkJava(String jvmParams, String role, String mainClass,
            String dynamicConfigs) {
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
            String opens = String.join(" ", OPENS);
            Files.writeString(conf().resolve("config.yaml"), String.join("\n",
                    "# Written by the Lifelong Pulse local Flink cluster; rewritten at every start.",
                    "jobmanager.rpc.address: 127.0.0.1",
                    "jobmanager.rpc.port: " + rpcPort,
                    "jobmanager.bind-host: 127.0.0.1",
                    "jobmanager.memory.process.size: 1024m",
                    "taskmanager.bind-host: 127.0.0.1",
                    "taskmanager.host: 127.0.0.1",
                    "taskmanager.memory.process.size: 2048m",
                    "taskmanager.numberOfTaskSlots: " + slots,
                    "rest.address: 127.0.0.1",
                    "rest.bind-address: 127.0.0.1",
                    "rest.port: " + restPort,
                    "parallelism.default: 2",
                    "execution.checkpointing.interval: 5s",
                    "execution.checkpointing.dir: " + dir.resolve("checkpoints").toUri(),
                    "execution.checkpointing.savepoint-dir: " + savepoints().toUri(),
                    "pipeline.auto-generate-uids: false",
                    "env.java.default-opts.all: " + opens,
                    ""));
            String log4j = String.join("\n",
                    "rootLogger.level = INFO",
                    "rootLogger.appenderRef.file.ref = file",
                    "appender.file.type = File",
                    "appender.file.name = file",
                    "appender.file.fileName = ${sys:log.file}",
                    "appender.file.layout.type = PatternLayout",
                    "appender.file.layout.pattern = %d{ISO8601} %-5p %c{1} - %m%n",
                    "");
            Files.writeString(conf().resolve("log4j.properties"), log4j);
            Files.writeString(conf().resolve("log4j-cli.properties"), String.join("\n",
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

    private int slotsTotal(String rest) {
        try {
            Matcher m = Pattern.compile("\"slots-total\"\\s*:\\s*(\\d+)").matcher(
                    get(rest + "/overview"));
            return m.find() ? Integer.parseInt(m.group(1)) : 0;
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private String get(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted", e);
        }
    }

    private static String java() {
        return ProcessHandle.current().info().command()
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
