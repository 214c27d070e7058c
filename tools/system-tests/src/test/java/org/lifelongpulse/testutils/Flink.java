package org.lifelongpulse.testutils;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/** The one MiniCluster shape of the integration tests: one TaskManager, two slots. */
public final class Flink {

    public static final int PARALLELISM = 2;

    private Flink() {}

    public static MiniClusterExtension miniCluster(InMemoryReporter reporter) {
        Configuration conf = new Configuration();
        if (reporter != null) {
            reporter.addToConfiguration(conf);
        }
        return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                .setNumberTaskManagers(1)
                .setNumberSlotsPerTaskManager(PARALLELISM)
                .setConfiguration(conf)
                .build());
    }
}
