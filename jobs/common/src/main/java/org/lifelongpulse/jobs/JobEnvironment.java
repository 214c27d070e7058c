package org.lifelongpulse.jobs;

import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The one way a job's environment is made, in production, on the command line, in benchmarks and in
 * tests: the guards ({@code pipeline.generic-types: false}, so that no record falls back to Kryo;
 * {@code pipeline.auto-generate-uids: false}, so that every operator's state keeps its name across
 * versions) plus whatever the configuration says of parallelism, checkpoints and restarts, read as
 * Flink's own options. Nothing here is a code default for those: a deployment sets them in {@code
 * config.yaml}, a tool or a test in the configuration it passes.
 */
public final class JobEnvironment {

    private JobEnvironment() {}

    /**
     * The environment of the calling context (the cluster under {@code flink run}, the MiniCluster
     * of a test's extension), with the guards and {@code config} applied.
     */
    public static StreamExecutionEnvironment of(Configuration config) {
        Configuration guarded = guarded(config);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(guarded);
        // a test context environment keeps its own parallelism unless the configuration says
        guarded.getOptional(CoreOptions.DEFAULT_PARALLELISM).ifPresent(env::setParallelism);
        return env;
    }

    /** A local environment on a MiniCluster of its own (command line, benchmarks). */
    public static StreamExecutionEnvironment local(Configuration config) {
        Configuration guarded = guarded(config);
        return StreamExecutionEnvironment.createLocalEnvironment(
                guarded.get(CoreOptions.DEFAULT_PARALLELISM), guarded);
    }

    /** A copy of {@code config} with the guards set. */
    public static Configuration guarded(Configuration config) {
        Configuration guarded = new Configuration(config);
        guarded.set(PipelineOptions.GENERIC_TYPES, false);
        guarded.set(PipelineOptions.AUTO_GENERATE_UIDS, false);
        return guarded;
    }

    /** Parallelism and checkpoint interval, the two settings every caller gives. */
    public static Configuration parallelism(
            Configuration config, int parallelism, Duration checkpointInterval) {
        config.set(CoreOptions.DEFAULT_PARALLELISM, parallelism);
        config.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, checkpointInterval);
        return config;
    }

    /**
     * Checkpoints to files under {@code dir}: the default in-memory storage refuses a task's state
     * above 5 MB, which the fund-risk job's held transactions pass on a replay.
     */
    public static Configuration checkpointsIn(Configuration config, Path dir) {
        config.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        config.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                dir.toAbsolutePath().toUri().toString());
        return config;
    }

    /** At most {@code attempts} restarts, {@code delay} apart; then the job fails. */
    public static Configuration restarts(Configuration config, int attempts, Duration delay) {
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, attempts);
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, delay);
        return config;
    }
}
