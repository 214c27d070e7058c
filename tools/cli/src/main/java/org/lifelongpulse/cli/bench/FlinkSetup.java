package org.lifelongpulse.cli.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.lifelongpulse.stack.ProductionFlinkConfig;

/**
 * The Flink configuration a measured job runs with, on the benchmark's MiniCluster.
 *
 * <ul>
 *   <li>{@link #HEAP}: the benchmarks' own: heap state, checkpoints to files every 5 s (2 s for
 *       fund-risk) or {@code --checkpoint-interval}.
 *   <li>{@link #PRODUCTION}: {@code deploy/flink/config.yaml} as the local cluster runs it ({@link
 *       ProductionFlinkConfig}): RocksDB with incremental checkpoints every 30 s, its checkpointing
 *       and restart settings, and the managed memory (RocksDB's) of a production TaskManager. Left
 *       out: what belongs to a host or to separate processes (ports, paths, JVM options, process
 *       sizes, the Prometheus reporter) and {@code parallelism.default}, which {@code
 *       --parallelism} sets.
 * </ul>
 */
public enum FlinkSetup {
    HEAP("heap state, checkpoints to files"),
    PRODUCTION("deploy/flink/config.yaml: RocksDB, incremental checkpoints");

    /** Keys of the production file a MiniCluster inside the benchmark's JVM cannot take. */
    static final List<String> NOT_FOR_A_MINICLUSTER_PREFIXES =
            List.of(
                    "env.", // JVM options of separate processes
                    "metrics.", // the reporter's port would clash with a running cluster's
                    "jobmanager.memory.",
                    "taskmanager.memory.", // replaced by the managed memory they give, below
                    "parallelism.default");

    private final String description;

    FlinkSetup(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** A new configuration holding this setup's Flink settings (none for {@link #HEAP}). */
    public Configuration configuration() {
        return this == HEAP
                ? new Configuration()
                : production(ProductionFlinkConfig.packaged().entries());
    }

    /**
     * The production entries a MiniCluster takes, plus {@code taskmanager.memory.managed.size}: the
     * managed memory that the file's TaskManager process size gives, so that RocksDB has the memory
     * it has in production rather than the MiniCluster's 128 MB default.
     */
    static Configuration production(Map<String, String> entries) {
        Map<String, String> taken = new LinkedHashMap<>();
        entries.forEach(
                (key, value) -> {
                    boolean excluded =
                            ProductionFlinkConfig.HOST_KEYS.contains(key)
                                    || NOT_FOR_A_MINICLUSTER_PREFIXES.stream()
                                            .anyMatch(key::startsWith);
                    if (!excluded) {
                        taken.put(key, value);
                    }
                });
        Configuration config = Configuration.fromMap(taken);
        MemorySize managed =
                TaskExecutorProcessUtils.processSpecFromConfig(Configuration.fromMap(entries))
                        .getManagedMemorySize();
        config.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, managed);
        return config;
    }
}
