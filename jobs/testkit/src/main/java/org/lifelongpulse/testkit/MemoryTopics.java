package org.lifelongpulse.testkit;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.lifelongpulse.adapters.kafka.RawRecord;
import org.lifelongpulse.adapters.kafka.RawRecordDeserializer;
import org.lifelongpulse.adapters.kafka.TopicSources;
import org.lifelongpulse.contracts.WireFormat;

/**
 * Kafka topics in memory, for a job's topology in a unit test: messages are appended to a topic's
 * partition as a producer would (the next offset of the partition, a broker timestamp, the bytes),
 * and the job reads them through {@link TopicSources} exactly where it would read Kafka, with its
 * own deserializer, one source split per partition (so per-partition watermarks and lateness run as
 * in production). Sources are bounded: they end with the messages, as a job with {@code
 * kafka.bounded: true} ends at the offsets that were latest.
 *
 * <p>Group ids and starting offsets are not modelled: every source reads its partitions from their
 * first message.
 */
public final class MemoryTopics implements TopicSources {

    /** One message as the broker keeps it. */
    public record Message(String topic, int partition, long offset, long timestamp, byte[] value)
            implements Serializable {}

    private final Map<String, List<Message>> partitions = new HashMap<>();

    /** Appends {@code record} in the contract's wire format; returns its offset. */
    @SuppressWarnings("unchecked")
    public <T extends SpecificRecord> long send(
            String topic, int partition, T record, long timestamp) {
        WireFormat<T> format = WireFormat.of((Class<T>) record.getClass());
        return send(topic, partition, format.encode(record), timestamp);
    }

    /** Appends raw bytes (a message no contract can decode, say); returns its offset. */
    public long send(String topic, int partition, byte[] value, long timestamp) {
        List<Message> log =
                partitions.computeIfAbsent(topic + "#" + partition, p -> new ArrayList<>());
        long offset = log.size();
        log.add(new Message(topic, partition, offset, timestamp, value.clone()));
        return offset;
    }

    /** Every message of {@code topics}, by split id (topic#partition), in offset order. */
    Map<String, List<Message>> logs(String... topics) {
        Map<String, List<Message>> selected = new HashMap<>();
        for (String topic : topics) {
            partitions.forEach(
                    (split, log) -> {
                        if (split.startsWith(topic + "#")) {
                            selected.put(split, List.copyOf(log));
                        }
                    });
        }
        return selected;
    }

    @Override
    public <T> Source<T, ?, ?> events(
            String groupId, KafkaRecordDeserializationSchema<T> deserializer, String... topics) {
        return new MemorySource<>(logs(topics), deserializer);
    }

    @Override
    public Source<RawRecord, ?, ?> reference(String... topics) {
        return new MemorySource<>(logs(topics), new RawRecordDeserializer());
    }
}
