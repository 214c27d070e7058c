package org.lifelongpulse.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The environment of a test context carries the guards and what the configuration says. */
class TopologyRunTest {

    @RegisterExtension static final MiniClusterExtension FLINK = TopologyRun.miniCluster();

    @Test
    void guardsParallelismAndCheckpointsComeFromTheConfiguration() {
        Configuration config = new Configuration();
        config.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofSeconds(3));
        StreamExecutionEnvironment env = TopologyRun.environment(config);
        assertThat(env.getParallelism()).isEqualTo(2);
        assertThat(env.getCheckpointInterval()).isEqualTo(3_000);
        assertThat(env.getConfiguration().get(PipelineOptions.AUTO_GENERATE_UIDS)).isFalse();
        assertThat(env.getConfiguration().get(PipelineOptions.GENERIC_TYPES)).isFalse();
    }
}
