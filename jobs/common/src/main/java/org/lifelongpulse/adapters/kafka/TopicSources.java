package org.lifelongpulse.adapters.kafka;

import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;

/**
 * Where a job reads its topics: Kafka in production ({@link KafkaSources#topics}), topics in memory
 * in tests. Either way each message enters the job as Kafka hands it over (topic, partition,
 * offset, bytes) and the job's own deserializer decodes it, one source split per partition, so that
 * decoding, dead letters and per-partition watermarks run as in production.
 */
public interface TopicSources {

    /**
     * The events of {@code topics}, decoded by {@code deserializer}, from the committed offsets of
     * {@code groupId} (the earliest offset on first start).
     */
    <T> Source<T, ?, ?> events(
            String groupId, KafkaRecordDeserializationSchema<T> deserializer, String... topics);

    /**
     * Reference data (compacted topics: institutions, routes, rule settings) undecoded, always from
     * the earliest offset: a committed group offset would skip what a fresh start needs.
     */
    Source<RawRecord, ?, ?> reference(String... topics);

    /**
     * Where decoders look up writer schemas they were not built with: the schema topic on Kafka,
     * none for topics in memory (whose producers use the compiled schemas).
     */
    default SchemaTopic schemas() {
        return SchemaTopic.none();
    }
}
