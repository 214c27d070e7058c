package org.lifelongpulse.testutils;

import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.lifelongpulse.jobs.JobEnvironment;
import org.lifelongpulse.jobs.KafkaOptions;

/** The one MiniCluster shape of the integration tests: one TaskManager, two slots. */
public final class Flink {

    public static final int PARALLELISM = 2;

    private Flink() {}

    /**
     * A job's configuration for the integration tests: parallelism 2, a checkpoint every second,
     * Kafka at {@code bootstrap} under the world's topic prefix; the job environment is {@code
     * JobEnvironment.of} it.
     */
    public static Configuration jobConfiguration(
            String bootstrap, String topicPrefix, boolean bounded) {
        Configuration config =
                JobEnvironment.parallelism(new Configuration(), PARALLELISM, Duration.ofSeconds(1));
        config.set(KafkaOptions.BOOTSTRAP, bootstrap);
        config.set(KafkaOptions.BOUNDED, bounded);
        config.set(KafkaOptions.TOPIC_PREFIX, topicPrefix);
        return config;
    }

    /**
     * The {@code flink run} arguments of a job on the local cluster for a world: the stack's Kafka
     * and ClickHouse (writer account; its password and the hash key travel as the environment of
     * {@code flink run}, see {@code LocalFlinkCluster.submit}), the world's topic prefix, a
     * consumer group of its own and a short sink flush.
     *
     * @param job {@code participation} or {@code fund-risk}, the prefix of its group-id option
     */
    public static java.util.List<String> clusterJobArgs(
            org.lifelongpulse.stack.Endpoints endpoints,
            String topicPrefix,
            String job,
            String groupPrefix) {
        return java.util.List.of(
                "--kafka.bootstrap",
                endpoints.kafkaBootstrap(),
                "--kafka.topic-prefix",
                topicPrefix,
                "--clickhouse.url",
                endpoints.clickHouseUrl(),
                "--clickhouse.user",
                endpoints.accounts().writer().user(),
                "--clickhouse.sink.flush-interval",
                "500ms",
                "--" + job + ".kafka.group-id",
                groupPrefix + java.util.UUID.randomUUID());
    }

    public static MiniClusterExtension miniCluster(InMemoryReporter reporter) {
        Configuration conf = new Configuration();
        if (reporter != null) {
            reporter.addToConfiguration(conf);
        }
        return new MiniClusterExtension(
                new MiniClusterResourceConfiguration.Builder()
                        .setNumberTaskManagers(1)
                        .setNumberSlotsPerTaskManager(PARALLELISM)
                        .setConfiguration(conf)
                        .build());
    }
}
