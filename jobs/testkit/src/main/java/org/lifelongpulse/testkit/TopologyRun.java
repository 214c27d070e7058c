package org.lifelongpulse.testkit;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.lifelongpulse.jobs.JobEnvironment;

/**
 * The MiniCluster and environment of a topology test: one TaskManager with two slots, every job at
 * parallelism 2, the production guards (no Kryo, no generated uids) through {@link JobEnvironment}.
 */
public final class TopologyRun {

    public static final int PARALLELISM = 2;

    private TopologyRun() {}

    /** Register with {@code @RegisterExtension static final}. */
    public static MiniClusterExtension miniCluster() {
        return new MiniClusterExtension(
                new MiniClusterResourceConfiguration.Builder()
                        .setNumberTaskManagers(1)
                        .setNumberSlotsPerTaskManager(PARALLELISM)
                        .build());
    }

    /** The environment of {@code config} (job options included) at parallelism 2. */
    public static StreamExecutionEnvironment environment(Configuration config) {
        Configuration run = new Configuration(config);
        run.set(CoreOptions.DEFAULT_PARALLELISM, PARALLELISM);
        return JobEnvironment.of(run);
    }
}
