package org.lifelongpulse.adapters.kafka;

import java.util.Properties;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.lifelongpulse.admission.Decoded;
import org.lifelongpulse.jobs.KafkaOptions;

/** Kafka sources that hand messages over undecoded, for {@link DecodeFunction}. */
public final class KafkaSources {

    private KafkaSources() {}

    /**
     * The production topics: the Kafka of {@code kafka.bootstrap}, bounded when {@code
     * kafka.bounded} says so. Topic names are the caller's (with the prefix applied).
     */
    public static TopicSources topics(ReadableConfig config) {
        String bootstrap = KafkaOptions.bootstrap(config);
        boolean bounded = config.get(KafkaOptions.BOUNDED);
        return new TopicSources() {
            @Override
            public <T> Source<T, ?, ?> events(
                    String groupId,
                    KafkaRecordDeserializationSchema<T> deserializer,
                    String... topics) {
                return build(deserializer, bootstrap, groupId, bounded, topics);
            }

            @Override
            public Source<RawRecord, ?, ?> reference(String... topics) {
                return KafkaSources.reference(bootstrap, bounded, topics);
            }

            @Override
            public SchemaTopic schemas() {
                return SchemaTopic.of(config);
            }
        };
    }

    /**
     * A source of raw messages from the earliest committed offset of {@code groupId} (or the
     * earliest offset on first start). Bounded sources stop at the offsets that were latest when
     * the job started. Reads committed data only.
     */
    public static KafkaSource<RawRecord> raw(
            String bootstrap, String groupId, boolean bounded, String... topics) {
        return build(new RawRecordDeserializer(), bootstrap, groupId, bounded, topics);
    }

    /** A source of decoded events (and dead letters), for per-partition watermarks. */
    public static <O extends org.lifelongpulse.admission.Admissible>
            KafkaSource<Decoded<O>> decoded(
                    String bootstrap,
                    String groupId,
                    boolean bounded,
                    ContractDeserializer<?, O> deserializer,
                    String... topics) {
        return build(deserializer, bootstrap, groupId, bounded, topics);
    }

    /**
     * Reference data (compacted topics: institutions, routes, rule settings), always from the
     * earliest offset: a committed group offset would skip what a fresh start needs. After a
     * restore the checkpoint's offsets and the broadcast state win as usual.
     */
    public static KafkaSource<RawRecord> reference(
            String bootstrap, boolean bounded, String... topics) {
        Properties props = new Properties();
        props.put("isolation.level", "read_committed");
        KafkaSourceBuilder<RawRecord> builder =
                KafkaSource.<RawRecord>builder()
                        .setBootstrapServers(bootstrap)
                        .setTopics(topics)
                        .setStartingOffsets(OffsetsInitializer.earliest())
                        .setDeserializer(new RawRecordDeserializer())
                        .setProperties(props);
        if (bounded) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder.build();
    }

    private static <T> KafkaSource<T> build(
            KafkaRecordDeserializationSchema<T> deserializer,
            String bootstrap,
            String groupId,
            boolean bounded,
            String... topics) {
        Properties props = new Properties();
        props.put("isolation.level", "read_committed");
        KafkaSourceBuilder<T> builder =
                KafkaSource.<T>builder()
                        .setBootstrapServers(bootstrap)
                        .setGroupId(groupId)
                        .setTopics(topics)
                        .setStartingOffsets(
                                OffsetsInitializer.committedOffsets(
                                        org.apache.kafka.clients.consumer.OffsetResetStrategy
                                                .EARLIEST))
                        .setDeserializer(deserializer)
                        .setProperties(props);
        if (bounded) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder.build();
    }
}
