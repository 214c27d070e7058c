package org.lifelongpulse.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.lifelongpulse.jobs.JobEnvironment;

/**
 * A bounded job on a local MiniCluster with what it cost: wall time, CPU seconds of this JVM (the
 * MiniCluster and the client; Kafka and ClickHouse run in their own processes), the heap in use
 * after a full GC before the job (the benchmark's own data) and its peak during the job (sampled
 * every 200 ms, garbage included), the checkpoints Flink completed meanwhile, read from the
 * MiniCluster's REST API, and the CPU seconds the ClickHouse server spent meanwhile (its process,
 * read from /proc; merges that follow the run are not counted). The job runs with the benchmark's
 * configuration (heap state, checkpoints to files every few seconds) or production's ({@link
 * FlinkSetup}).
 */
public final class MeasuredRun {

    /** What one run cost. */
    public record Cost(
            Duration wall,
            double cpuSeconds,
            long heapBeforeBytes,
            long peakHeapBytes,
            int checkpoints,
            long checkpointMaxMillis,
            long checkpointAvgMillis,
            long checkpointedBytes,
            double clickHouseCpuSeconds,
            double jitCpuSeconds) {

        public double perSecond(long events) {
            return events / (wall.toNanos() / 1e9);
        }

        public double cpuSecondsPerMillion(long events) {
            return cpuSeconds / (events / 1e6);
        }

        /** The run of median wall time (the baseline's runs are short and noisy). */
        public static Cost median(List<Cost> runs) {
            List<Cost> sorted = new ArrayList<>(runs);
            sorted.sort(Comparator.comparing(Cost::wall));
            return sorted.get(sorted.size() / 2);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.nio.file.Path CHECKPOINTS =
            java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "pulse-bench-checkpoints");

    private final StreamExecutionEnvironment env;
    private final int restPort;
    private final ProcessCpu clickHouse;

    private MeasuredRun(StreamExecutionEnvironment env, int restPort, ProcessCpu clickHouse) {
        this.env = env;
        this.restPort = restPort;
        this.clickHouse = clickHouse;
    }

    /**
     * A local environment whose REST API answers on a free port, at {@code parallelism},
     * checkpointing to files every {@code checkpointInterval} unless {@code stack} sets {@code
     * execution.checkpointing.interval} for every benchmark job.
     */
    public static MeasuredRun environment(
            Configuration stack, int parallelism, Duration checkpointInterval) {
        return environment(
                stack, parallelism, checkpointInterval, FlinkSetup.HEAP, ProcessCpu.NONE);
    }

    /**
     * A local environment as above in the given setup: {@link FlinkSetup#HEAP} as above, {@link
     * FlinkSetup#PRODUCTION} with {@code deploy/flink/config.yaml}'s state backend and
     * checkpointing (its interval wins over both intervals above); {@code clickHouse} is read
     * before and after each run.
     */
    public static MeasuredRun environment(
            Configuration stack,
            int parallelism,
            Duration checkpointInterval,
            FlinkSetup setup,
            ProcessCpu clickHouse) {
        int port = freePort();
        Configuration config = setup.configuration();
        Duration interval =
                setup == FlinkSetup.PRODUCTION
                        ? config.get(CheckpointingOptions.CHECKPOINTING_INTERVAL)
                        : stack.getOptional(CheckpointingOptions.CHECKPOINTING_INTERVAL)
                                .orElse(checkpointInterval);
        JobEnvironment.parallelism(config, parallelism, interval);
        config.set(RestOptions.PORT, port);
        config.set(RestOptions.ADDRESS, "127.0.0.1");
        config.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        // the in-memory default refuses a task's state above 5 MB: checkpoints go to files,
        // deleted with the job
        JobEnvironment.checkpointsIn(config, CHECKPOINTS);
        return new MeasuredRun(JobEnvironment.local(config), port, clickHouse);
    }

    /** A run to warm up with. */
    @FunctionalInterface
    public interface WarmUpRun {
        Cost run() throws Exception;
    }

    /** Warm-up runs at most, whatever the compilers still do. */
    static final int MAX_WARM_UPS = 3;

    /** The share of a warm-up's CPU spent compiling below which the code counts as warm. */
    static final double WARM_JIT_SHARE = 0.05;

    /**
     * Warms {@code what} up: runs it, then waits for the JIT compilers to work off their queue
     * ({@link JitCpu#awaitQuiet}), and runs it again while the compilers took at least {@link
     * #WARM_JIT_SHARE} of a run's CPU, at most {@link #MAX_WARM_UPS} times. Says what each run cost
     * in compiling.
     */
    public static void warmUp(
            String what, WarmUpRun run, java.util.function.Consumer<String> progress)
            throws Exception {
        warmUp(what, run, progress, Duration.ofSeconds(1));
    }

    /** As above, the compilers counted quiet after {@code quiet}; returns the runs made. */
    static int warmUp(
            String what,
            WarmUpRun run,
            java.util.function.Consumer<String> progress,
            Duration quiet)
            throws Exception {
        for (int i = 1; ; i++) {
            progress.accept("warming up " + what + (i > 1 ? ", run " + i : ""));
            Cost cost = run.run();
            double jitShare = cost.jitCpuSeconds() / cost.cpuSeconds();
            double settling = JitCpu.awaitQuiet(quiet, Duration.ofSeconds(30));
            progress.accept(
                    String.format(
                            "warm-up run %d: %.1f CPU s, %.0f %% of it compiling; %.1f CPU s more"
                                    + " compiling after it",
                            i, cost.cpuSeconds(), 100 * jitShare, settling));
            if (Double.isNaN(jitShare) || jitShare < WARM_JIT_SHARE || i == MAX_WARM_UPS) {
                return i;
            }
        }
    }

    public StreamExecutionEnvironment env() {
        return env;
    }

    /** Starts the job; {@link Running#await} measures it to its end. */
    public Running start(String name) throws Exception {
        // what the heap holds before the job (the benchmark's own data), garbage collected
        System.gc();
        long heapBefore = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return new Running(env.executeAsync(name), restPort, heapBefore, clickHouse);
    }

    /** Runs the job to its end and measures it. */
    public Cost run(String name) throws Exception {
        return start(name).await(Duration.ofMinutes(30));
    }

    /** A job under way. */
    public static final class Running {
        private final JobClient job;
        private final int restPort;
        private final long startNanos = System.nanoTime();
        private final long startCpu = cpuNanos();
        private final double startJit = JitCpu.seconds();
        private final HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        private final long heapBefore;
        private final ProcessCpu clickHouse;
        private final double clickHouseStart;

        Running(JobClient job, int restPort, long heapBefore, ProcessCpu clickHouse) {
            this.job = job;
            this.restPort = restPort;
            this.heapBefore = heapBefore;
            this.clickHouse = clickHouse;
            this.clickHouseStart = clickHouse.seconds();
        }

        public JobClient job() {
            return job;
        }

        /** Waits for the end of the job, sampling heap and checkpoints every 200 ms. */
        public Cost await(Duration timeout) throws Exception {
            var result = job.getJobExecutionResult();
            long deadline = System.nanoTime() + timeout.toNanos();
            long peakHeap = 0;
            JsonNode checkpoints = null;
            long nextCheckpointPoll = 0;
            while (!result.isDone()) {
                if (System.nanoTime() > deadline) {
                    job.cancel();
                    throw new IllegalStateException("the job did not finish in " + timeout);
                }
                peakHeap = Math.max(peakHeap, memory.getHeapMemoryUsage().getUsed());
                if (System.nanoTime() > nextCheckpointPoll) {
                    JsonNode seen = checkpoints();
                    if (seen != null) {
                        checkpoints = seen;
                    }
                    nextCheckpointPoll = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                }
                try {
                    result.get(200, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException stillRunning) {
                    // sample again
                }
            }
            result.get();
            Duration wall = Duration.ofNanos(System.nanoTime() - startNanos);
            double cpu = (cpuNanos() - startCpu) / 1e9;
            double clickHouseCpu = clickHouse.seconds() - clickHouseStart;
            double jitCpu = Math.max(0, JitCpu.seconds() - startJit);
            JsonNode summary = checkpoints == null ? null : checkpoints.path("summary");
            JsonNode latest =
                    checkpoints == null ? null : checkpoints.path("latest").path("completed");
            return new Cost(
                    wall,
                    cpu,
                    heapBefore,
                    peakHeap,
                    checkpoints == null ? 0 : checkpoints.path("counts").path("completed").asInt(),
                    summary == null
                            ? -1
                            : summary.path("end_to_end_duration").path("max").asLong(-1),
                    summary == null
                            ? -1
                            : summary.path("end_to_end_duration").path("avg").asLong(-1),
                    latest == null
                            ? -1
                            : latest.path("checkpointed_size")
                                    .asLong(latest.path("state_size").asLong(-1)),
                    clickHouseCpu,
                    jitCpu);
        }

        /** The job's checkpoint statistics, or null while the REST API does not answer. */
        private JsonNode checkpoints() {
            try {
                HttpResponse<String> response =
                        http.send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        "http://127.0.0.1:"
                                                                + restPort
                                                                + "/jobs/"
                                                                + job.getJobID()
                                                                + "/checkpoints"))
                                        .timeout(Duration.ofSeconds(2))
                                        .GET()
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
            } catch (IOException e) {
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    /** CPU time of this JVM so far, every thread. */
    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
