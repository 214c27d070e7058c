package org.lifelongpulse.ops.kafka;

import java.util.concurrent.Future;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.lifelongpulse.avro.WriterSchema;
import org.lifelongpulse.contracts.Topic;
import org.lifelongpulse.contracts.WireFormat;
import org.lifelongpulse.contracts.WriterSchemas;

/**
 * Writes contract records to their topics in the wire format, keyed as the design says, and
 * registers each record type's writer schema on the schema topic {@link Topic#SCHEMAS} before its
 * first record, so that readers built with an older contract can resolve it. {@link
 * ProducerProperties}: idempotent and acks=all, so a retried send is not written twice. Not
 * thread-safe.
 */
public final class ContractProducer implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final java.util.Map<Class<?>, WireFormat<?>> formats = new java.util.HashMap<>();
    private final java.util.Set<String> registered = new java.util.HashSet<>();

    public ContractProducer(String bootstrap) {
        producer =
                new KafkaProducer<>(
                        ProducerProperties.of(bootstrap),
                        new StringSerializer(),
                        new ByteArraySerializer());
    }

    public <T extends SpecificRecord> Future<RecordMetadata> send(Topic topic, T record) {
        if (topic != Topic.SCHEMAS) {
            registerOnce(Topic.SCHEMAS.topicName(), record.getSchema());
        }
        return sendRaw(topic.topicName(), topic.keyOf(record), encode(record));
    }

    /**
     * Registers a writer schema on a schema topic ({@link Topic#SCHEMAS} under a deployment's
     * prefix), keyed by its fingerprint; registering it again rewrites the same entry.
     */
    public Future<RecordMetadata> register(String schemaTopic, Schema schema) {
        WriterSchema entry = WriterSchemas.entryOf(schema);
        registered.add(schemaTopic + "/" + entry.getFingerprint());
        return sendRaw(schemaTopic, entry.getFingerprint(), encode(entry));
    }

    private void registerOnce(String schemaTopic, Schema schema) {
        if (!registered.contains(schemaTopic + "/" + WriterSchemas.fingerprint(schema))) {
            register(schemaTopic, schema);
        }
    }

    /** Sends bytes as they are: for replaying raw messages and for tests of bad input. */
    public Future<RecordMetadata> sendRaw(String topic, String key, byte[] value) {
        return producer.send(new ProducerRecord<>(topic, key, value));
    }

    @SuppressWarnings("unchecked")
    public <T extends SpecificRecord> byte[] encode(T record) {
        WireFormat<T> format =
                (WireFormat<T>)
                        formats.computeIfAbsent(
                                record.getClass(), c -> WireFormat.of((Class<T>) c));
        return format.encode(record);
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
