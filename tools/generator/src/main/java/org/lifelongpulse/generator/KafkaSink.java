package org.lifelongpulse.generator;

import java.io.IOException;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.lifelongpulse.avro.WriterSchema;
import org.lifelongpulse.contracts.Topic;
import org.lifelongpulse.contracts.WireFormat;
import org.lifelongpulse.contracts.WriterSchemas;
import org.lifelongpulse.ops.kafka.KafkaTopics;
import org.lifelongpulse.ops.kafka.ProducerProperties;

/**
 * Sends a world to Kafka: records in the wire format keyed by {@link Topic#keyOf}, garbage as raw
 * bytes; before a topic's first record, its writer schema is registered on the schema topic {@link
 * Topic#SCHEMAS} (keyed by fingerprint, so that readers built with an older contract resolve it).
 * Every institution version also goes to the history topic {@link Topic#INSTITUTION_VERSIONS} (one
 * key per version, so that compaction keeps the licence history). Creates missing topics with
 * {@link KafkaTopics} (compacted reference topics with one partition, event topics with the world's
 * partition counts). {@link ProducerProperties}: idempotent, acks=all; a failed send fails the
 * flush.
 */
public final class KafkaSink implements EventSink {

    private final KafkaProducer<String, byte[]> producer;
    private final String prefix;
    private final Map<Topic, WireFormat<SpecificRecord>> formats = new EnumMap<>(Topic.class);
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final WireFormat<WriterSchema> entryFormat = WireFormat.of(WriterSchema.class);

    /**
     * @param prefix prepended to every topic name (empty in production; tests isolate with it)
     */
    public KafkaSink(String bootstrap, String prefix, WorldParameters parameters) {
        this.prefix = prefix;
        KafkaTopics.ensure(bootstrap, prefix, partitions(parameters), (short) 1);
        producer =
                new KafkaProducer<>(
                        ProducerProperties.of(bootstrap),
                        new StringSerializer(),
                        new ByteArraySerializer());
    }

    /** The same as {@link Topic#topicName(String)}. */
    public static String topicName(String prefix, Topic topic) {
        return topic.topicName(prefix);
    }

    /** The topics a world is sent to, with the world's partition counts. */
    private static Map<Topic, Integer> partitions(WorldParameters parameters) {
        Map<Topic, Integer> partitions = new EnumMap<>(Topic.class);
        partitions.put(Topic.INSTITUTIONS, 1);
        partitions.put(Topic.INSTITUTION_VERSIONS, 1);
        partitions.put(Topic.WALK_ROUTES, 1);
        partitions.put(Topic.LEARNING_RESOURCES, 1);
        partitions.put(Topic.LEARNING_ACTIVITY, parameters.activityPartitions());
        partitions.put(Topic.FUND_TRANSACTIONS, parameters.fundPartitions());
        partitions.put(Topic.SCHEMAS, 1);
        return partitions;
    }

    @Override
    public void send(Message message) throws IOException {
        rethrow();
        byte[] value =
                message.garbage() != null
                        ? message.garbage()
                        : format(message.topic()).encode(message.record());
        send(message.topic(), message.key(), value);
        if (message.topic() == Topic.INSTITUTIONS && !message.malformed()) {
            Topic history = Topic.INSTITUTION_VERSIONS;
            send(history, history.keyOf(message.record()), value);
        }
    }

    private void send(Topic topic, String key, byte[] value) {
        producer.send(
                new ProducerRecord<>(topic.topicName(prefix), key, value),
                (metadata, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
    }

    @SuppressWarnings("unchecked")
    private WireFormat<SpecificRecord> format(Topic topic) {
        return formats.computeIfAbsent(
                topic,
                t -> {
                    WireFormat<SpecificRecord> format =
                            WireFormat.of((Class<SpecificRecord>) t.recordClass());
                    register(format.schema());
                    return format;
                });
    }

    /** Registers a writer schema on the schema topic, as {@code ./pulse schema register} does. */
    private void register(org.apache.avro.Schema schema) {
        WriterSchema entry = WriterSchemas.entryOf(schema);
        send(Topic.SCHEMAS, entry.getFingerprint(), entryFormat.encode(entry));
    }

    @Override
    public void flush() throws IOException {
        producer.flush();
        rethrow();
    }

    private void rethrow() throws IOException {
        Exception e = failure.get();
        if (e != null) {
            throw new IOException("Kafka refused a message: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        producer.close();
        rethrow();
    }
}
