package org.lifelongpulse.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.junit.jupiter.api.Test;
import org.lifelongpulse.stack.ProductionFlinkConfig;

/** The production setup is deploy/flink/config.yaml less what a MiniCluster cannot take. */
class FlinkSetupTest {

    private final Configuration production = FlinkSetup.PRODUCTION.configuration();

    @Test
    void itKeepsTheStateBackendAndCheckpointingOfTheFile() {
        assertThat(production.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
        assertThat(production.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isTrue();
        assertThat(production.get(CheckpointingOptions.CHECKPOINTING_INTERVAL))
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(production.get(CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS))
                .isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void itLeavesOutHostsProcessesAndTheReporter() {
        for (String key : production.keySet()) {
            assertThat(ProductionFlinkConfig.HOST_KEYS).doesNotContain(key);
            assertThat(key).doesNotStartWith("env.").doesNotStartWith("metrics.");
            assertThat(key).isNotEqualTo("parallelism.default");
        }
        assertThat(production.keySet())
                .doesNotContain("taskmanager.memory.process.size", "rest.port");
    }

    @Test
    void rocksDbGetsTheManagedMemoryOfAProductionTaskManager() {
        // taskmanager.memory.process.size 4096m: JVM overhead 10 % (409.6m, within 192m..1g),
        // metaspace 256m, so 3430.4m of Flink memory, of which managed is 0.4: 1372.16m
        long mebibytes = production.get(TaskManagerOptions.MANAGED_MEMORY_SIZE).getBytes() >> 20;
        assertThat(mebibytes).isBetween(1371L, 1373L);
    }

    @Test
    void theHeapSetupAddsNothing() {
        assertThat(FlinkSetup.HEAP.configuration().keySet()).isEmpty();
    }
}
