package org.lifelongpulse.adapters.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.SchemaStore;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.lifelongpulse.avro.WriterSchema;
import org.lifelongpulse.contracts.WireFormat;
import org.lifelongpulse.contracts.WriterSchemas;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writer schemas of one record type registered on the schema topic, read on a miss: when Avro's
 * decoder meets a fingerprint it does not know, this store reads the whole (compacted, small) topic
 * from the beginning to its end offsets, keeps every schema of its record type, and answers. Avro's
 * decoder then keeps the resolved schema, so a hit costs one read per fingerprint and decoder,
 * never one per message. A lookup waits at most the timeout for the broker; after a lookup that did
 * not find the fingerprint, further lookups wait the retry interval (those messages are
 * dead-lettered meanwhile, and can be replayed once the schema is registered).
 *
 * <p>Not thread-safe: one per decoder, like the decoder itself.
 */
public final class SchemaTopicStore implements SchemaStore {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaTopicStore.class);

    private final String bootstrap;
    private final String topic;
    private final String fullName;
    private final Duration timeout;
    private final long retryNanos;
    private final Map<Long, Schema> schemas = new HashMap<>();
    private final WireFormat<WriterSchema> entries = WireFormat.of(WriterSchema.class);
    private long nextLookupNanos;
    private boolean lookedUp;
    private int reads;

    SchemaTopicStore(
            String bootstrap, String topic, String fullName, Duration timeout, Duration retry) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.fullName = fullName;
        this.timeout = timeout;
        this.retryNanos = retry.toNanos();
    }

    @Override
    public Schema findByFingerprint(long fingerprint) {
        Schema known = schemas.get(fingerprint);
        if (known != null) {
            return known;
        }
        long now = System.nanoTime();
        if (lookedUp && now - nextLookupNanos < 0) {
            return null;
        }
        read();
        Schema found = schemas.get(fingerprint);
        if (found == null) {
            lookedUp = true;
            nextLookupNanos = System.nanoTime() + retryNanos;
            LOG.warn(
                    "writer schema {} of {} is not registered on {}; next lookup in {} ms",
                    WriterSchemas.hex(fingerprint),
                    fullName,
                    topic,
                    retryNanos / 1_000_000);
        }
        return found;
    }

    /** How often this store has read the topic (for tests: once per unknown fingerprint). */
    public int reads() {
        return reads;
    }

    private void read() {
        reads++;
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "pulse-schema-lookup-" + UUID.randomUUID());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // a missing schema topic is the operator's to create (compacted), never a side effect
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
            if (infos == null || infos.isEmpty()) {
                LOG.warn("schema topic {} does not exist on {}", topic, bootstrap);
                return;
            }
            List<TopicPartition> partitions =
                    infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
            while (!atEnd(consumer, ends)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    LOG.warn("schema topic {} not read to its end within {}", topic, timeout);
                    return;
                }
                for (ConsumerRecord<String, byte[]> record :
                        consumer.poll(Duration.ofNanos(Math.min(left, 200_000_000L)))) {
                    keep(record);
                }
            }
        } catch (RuntimeException e) {
            // an unreachable broker or a timeout: the message is dead-lettered, the job goes on
            LOG.warn("could not read schema topic {} on {}: {}", topic, bootstrap, e.toString());
        }
    }

    private static boolean atEnd(
            KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (consumer.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void keep(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        try {
            // called from inside Avro's decode of a message on this thread: not entries.decode
            WriterSchema entry = entries.decodeNested(record.value());
            if (!fullName.equals(entry.getFullName())) {
                return;
            }
            Schema schema = WriterSchemas.schemaOf(entry);
            schemas.put(SchemaNormalization.parsingFingerprint64(schema), schema);
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warn(
                    "skipping entry {}/{}@{} of schema topic: {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    e.toString());
        }
    }
}
