package org.lifelongpulse.adapters.kafka;

import java.io.Serializable;
import java.time.Duration;
import org.apache.avro.Schema;
import org.apache.avro.message.SchemaStore;
import org.apache.flink.configuration.ReadableConfig;
import org.lifelongpulse.contracts.Topic;
import org.lifelongpulse.jobs.KafkaOptions;

/**
 * Where a job's decoders look up a writer schema they were not built with: the compacted schema
 * topic {@link Topic#SCHEMAS} under the deployment's prefix. Serializable, so that it travels with
 * the job's deserializers; every decoder opens its own {@link SchemaTopicStore} (decoders are one
 * per thread).
 */
public final class SchemaTopic implements Serializable {

    private static final long serialVersionUID = 1L;

    private static final SchemaTopic NONE =
            new SchemaTopic(null, null, Duration.ZERO, Duration.ZERO);

    private final String bootstrap;
    private final String topic;
    private final long timeoutMillis;
    private final long retryMillis;

    private SchemaTopic(String bootstrap, String topic, Duration timeout, Duration retry) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.timeoutMillis = timeout.toMillis();
        this.retryMillis = retry.toMillis();
    }

    /** No lookup: only the compiled schemas and {@code schemas/avro/history} (topics in memory). */
    public static SchemaTopic none() {
        return NONE;
    }

    /**
     * The schema topic {@code topic} on {@code bootstrap}; a lookup waits at most {@code timeout}
     * for the broker, and after a lookup that did not find a fingerprint the next one waits {@code
     * retry}, so that a stream of messages with an unknown fingerprint does not read the topic once
     * per message.
     */
    public static SchemaTopic of(String bootstrap, String topic, Duration timeout, Duration retry) {
        return new SchemaTopic(bootstrap, topic, timeout, retry);
    }

    /**
     * The deployment's schema topic, from {@code kafka.bootstrap} and the {@code kafka.schemas.*}
     * options.
     */
    public static SchemaTopic of(ReadableConfig config) {
        return of(
                KafkaOptions.bootstrap(config),
                KafkaOptions.topic(config, Topic.SCHEMAS),
                config.get(KafkaOptions.SCHEMA_LOOKUP_TIMEOUT),
                config.get(KafkaOptions.SCHEMA_LOOKUP_RETRY));
    }

    /** A store of the writer schemas of {@code reader}'s record (by full name) on this topic. */
    public SchemaStore storeFor(Schema reader) {
        if (bootstrap == null) {
            return fingerprint -> null;
        }
        return new SchemaTopicStore(
                bootstrap,
                topic,
                reader.getFullName(),
                Duration.ofMillis(timeoutMillis),
                Duration.ofMillis(retryMillis));
    }
}
