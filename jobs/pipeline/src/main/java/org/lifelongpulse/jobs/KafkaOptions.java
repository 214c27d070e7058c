package org.lifelongpulse.jobs;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

/** Where the jobs find Kafka, and whether they stop at the end of what is there. */
public final class KafkaOptions {

    public static final ConfigOption<String> BOOTSTRAP = ConfigOptions.key("kafka.bootstrap")
            .stringType().noDefaultValue()
            .withDescription("Kafka bootstrap servers. Falls back to $PULSE_KAFKA_BOOTSTRAP.");

    public static final ConfigOption<Boolean> BOUNDED = ConfigOptions.key("kafka.bounded")
            .booleanType().defaultValue(false)
            .withDescription("Stop at the offsets that were latest when the job started"
                    + " (replays, tests, benchmarks) instead of running forever.");

    private KafkaOptions() {}

    public static String bootstrap(ReadableConfig config) {
        String bootstrap = config.getOptional(BOOTSTRAP)
                .orElse(System.getenv("PULSE_KAFKA_BOOTSTRAP"));
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException("no Kafka: set " + BOOTSTRAP.key()
                    + " or PULSE_KAFKA_BOOTSTRAP");
        }
        return bootstrap;
    }
}
