package org.lifelongpulse.jobs;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

/** Where the jobs find Kafka, and whether they stop at the end of what is there. */
public final class KafkaOptions {

    public static final ConfigOption<String> BOOTSTRAP =
            ConfigOptions.key("kafka.bootstrap")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Kafka bootstrap servers. Falls back to $PULSE_KAFKA_BOOTSTRAP.");

    public static final ConfigOption<Boolean> BOUNDED =
            ConfigOptions.key("kafka.bounded")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Stop at the offsets that were latest when the job started"
                                    + " (replays, tests, benchmarks) instead of running forever.");

    public static final ConfigOption<String> TOPIC_PREFIX =
            ConfigOptions.key("kafka.topic-prefix")
                    .stringType()
                    .defaultValue("")
                    .withDescription(
                            "Prefix of every topic the job reads and writes (dead letters"
                                + " included), e.g. `staging.` for staging.learning.activity.v1;"
                                + " empty for the contract's names.");

    public static final ConfigOption<java.time.Duration> SCHEMA_LOOKUP_TIMEOUT =
            ConfigOptions.key("kafka.schemas.lookup-timeout")
                    .durationType()
                    .defaultValue(java.time.Duration.ofSeconds(10))
                    .withDescription(
                            "How long a decoder waits for the schema topic (pulse.schemas.v1)"
                                    + " when a message's writer schema is unknown, before"
                                    + " dead-lettering the message.");

    public static final ConfigOption<java.time.Duration> SCHEMA_LOOKUP_RETRY =
            ConfigOptions.key("kafka.schemas.retry-interval")
                    .durationType()
                    .defaultValue(java.time.Duration.ofSeconds(10))
                    .withDescription(
                            "After a lookup on the schema topic did not find a fingerprint, how"
                                    + " long a decoder dead-letters unknown fingerprints without"
                                    + " reading the topic again.");

    private KafkaOptions() {}

    /** The name of a contract topic in this deployment. */
    public static String topic(ReadableConfig config, org.lifelongpulse.contracts.Topic topic) {
        return topic.topicName(config.get(TOPIC_PREFIX));
    }

    public static String bootstrap(ReadableConfig config) {
        String bootstrap =
                config.getOptional(BOOTSTRAP).orElse(System.getenv("PULSE_KAFKA_BOOTSTRAP"));
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException(
                    "no Kafka: set " + BOOTSTRAP.key() + " or PULSE_KAFKA_BOOTSTRAP");
        }
        return bootstrap;
    }
}
