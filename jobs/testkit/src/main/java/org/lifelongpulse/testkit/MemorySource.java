package org.lifelongpulse.testkit;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.RecordEmitter;
import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.Collector;
import org.apache.flink.util.UserCodeClassLoader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.lifelongpulse.testkit.MemoryTopics.Message;

/**
 * A bounded source over {@link MemoryTopics}: one split per partition, assigned to the readers as
 * the Kafka source assigns partitions, each message handed to the job's Kafka deserializer as a
 * {@link ConsumerRecord} and emitted with the broker timestamp through the split's own output (so
 * that the job's watermark strategy runs per partition, as on Kafka).
 */
final class MemorySource<T>
        implements Source<T, MemorySource.Split, Collection<MemorySource.Split>>,
                ResultTypeQueryable<T> {

    private static final long serialVersionUID = 1L;

    private final Map<String, List<Message>> logs;
    private final KafkaRecordDeserializationSchema<T> deserializer;

    MemorySource(
            Map<String, List<Message>> logs, KafkaRecordDeserializationSchema<T> deserializer) {
        this.logs = new HashMap<>(logs);
        this.deserializer = deserializer;
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.BOUNDED;
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return deserializer.getProducedType();
    }

    @Override
    public SourceReader<T, Split> createReader(SourceReaderContext context) throws Exception {
        deserializer.open(
                new DeserializationSchema.InitializationContext() {
                    @Override
                    public MetricGroup getMetricGroup() {
                        return context.metricGroup().addGroup("deserializer");
                    }

                    @Override
                    public UserCodeClassLoader getUserCodeClassLoader() {
                        return context.getUserCodeClassLoader();
                    }
                });
        return new Reader<>(
                () -> new PartitionReader(logs),
                new Emitter<>(deserializer),
                context.getConfiguration(),
                context);
    }

    @Override
    public SplitEnumerator<Split, Collection<Split>> createEnumerator(
            SplitEnumeratorContext<Split> context) {
        List<Split> splits = new ArrayList<>();
        new TreeMap<>(logs)
                .forEach(
                        (id, log) -> {
                            if (!log.isEmpty()) {
                                splits.add(
                                        new Split(log.get(0).topic(), log.get(0).partition(), 0));
                            }
                        });
        return new Enumerator(context, splits);
    }

    @Override
    public SplitEnumerator<Split, Collection<Split>> restoreEnumerator(
            SplitEnumeratorContext<Split> context, Collection<Split> checkpoint) {
        return new Enumerator(context, new ArrayList<>(checkpoint));
    }

    @Override
    public SimpleVersionedSerializer<Split> getSplitSerializer() {
        return new SplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<Collection<Split>> getEnumeratorCheckpointSerializer() {
        return new PendingSerializer();
    }

    /** One partition of a topic, read from the message at index {@code next}. */
    record Split(String topic, int partition, int next) implements SourceSplit {
        @Override
        public String splitId() {
            return topic + "#" + partition;
        }
    }

    /** Where a reader stands in a split. */
    static final class Position {
        final Split split;
        int next;

        Position(Split split) {
            this.split = split;
            this.next = split.next();
        }
    }

    /** The partition's owner as the Kafka source picks it: by topic hash, then partition. */
    static int owner(Split split, int readers) {
        int start = ((split.topic().hashCode() * 31) & 0x7FFFFFFF) % readers;
        return (start + split.partition()) % readers;
    }

    private static final class Enumerator implements SplitEnumerator<Split, Collection<Split>> {
        private final SplitEnumeratorContext<Split> context;
        private final List<Split> pending;

        Enumerator(SplitEnumeratorContext<Split> context, List<Split> pending) {
            this.context = context;
            this.pending = pending;
        }

        @Override
        public void start() {}

        @Override
        public void handleSplitRequest(int subtask, String host) {}

        @Override
        public void addSplitsBack(List<Split> splits, int subtask) {
            pending.addAll(splits);
            if (context.registeredReaders().containsKey(subtask)) {
                addReader(subtask);
            }
        }

        @Override
        public void addReader(int subtask) {
            int readers = context.currentParallelism();
            List<Split> mine = pending.stream().filter(s -> owner(s, readers) == subtask).toList();
            pending.removeAll(mine);
            for (Split split : mine) {
                context.assignSplit(split, subtask);
            }
            context.signalNoMoreSplits(subtask);
        }

        @Override
        public Collection<Split> snapshotState(long checkpointId) {
            return new ArrayList<>(pending);
        }

        @Override
        public void close() {}
    }

    private static final class Reader<T>
            extends SingleThreadMultiplexSourceReaderBase<Message, T, Split, Position> {

        Reader(
                java.util.function.Supplier<SplitReader<Message, Split>> splitReader,
                RecordEmitter<Message, T, Position> emitter,
                Configuration config,
                SourceReaderContext context) {
            super(splitReader, emitter, config, context);
        }

        @Override
        protected void onSplitFinished(Map<String, Position> finished) {}

        @Override
        protected Position initializedState(Split split) {
            return new Position(split);
        }

        @Override
        protected Split toSplitType(String id, Position position) {
            return new Split(position.split.topic(), position.split.partition(), position.next);
        }
    }

    /** Hands each split's remaining messages over in batches of a few, then finishes it. */
    private static final class PartitionReader implements SplitReader<Message, Split> {
        private static final int BATCH = 4;
        private final Map<String, List<Message>> logs;
        private final Queue<Position> splits = new ArrayDeque<>();

        PartitionReader(Map<String, List<Message>> logs) {
            this.logs = logs;
        }

        @Override
        public RecordsWithSplitIds<Message> fetch() {
            RecordsBySplits.Builder<Message> batch = new RecordsBySplits.Builder<>();
            Position position = splits.poll();
            if (position == null) {
                return batch.build();
            }
            List<Message> log = logs.get(position.split.splitId());
            int end = Math.min(log.size(), position.next + BATCH);
            batch.addAll(position.split.splitId(), log.subList(position.next, end));
            position.next = end;
            if (end == log.size()) {
                batch.addFinishedSplit(position.split.splitId());
            } else {
                splits.add(position); // round robin over this reader's partitions
            }
            return batch.build();
        }

        @Override
        public void handleSplitsChanges(SplitsChange<Split> change) {
            if (change instanceof SplitsAddition<Split> addition) {
                addition.splits().forEach(s -> splits.add(new Position(s)));
            }
        }

        @Override
        public void wakeUp() {}

        @Override
        public void close() {}
    }

    /** Each message to the job's deserializer, as the Kafka source's emitter does. */
    private static final class Emitter<T> implements RecordEmitter<Message, T, Position> {
        private final KafkaRecordDeserializationSchema<T> deserializer;

        Emitter(KafkaRecordDeserializationSchema<T> deserializer) {
            this.deserializer = deserializer;
        }

        @Override
        public void emitRecord(Message m, SourceOutput<T> output, Position position)
                throws IOException {
            ConsumerRecord<byte[], byte[]> record =
                    new ConsumerRecord<>(
                            m.topic(),
                            m.partition(),
                            m.offset(),
                            m.timestamp(),
                            TimestampType.CREATE_TIME,
                            -1,
                            m.value().length,
                            null,
                            m.value(),
                            new RecordHeaders(),
                            java.util.Optional.empty());
            deserializer.deserialize(
                    record,
                    new Collector<>() {
                        @Override
                        public void collect(T value) {
                            output.collect(value, m.timestamp());
                        }

                        @Override
                        public void close() {}
                    });
            position.next = (int) m.offset() + 1;
        }
    }

    private static final class SplitSerializer implements SimpleVersionedSerializer<Split> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(Split split) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(64);
            write(split, out);
            return out.getCopyOfBuffer();
        }

        @Override
        public Split deserialize(int version, byte[] bytes) throws IOException {
            return read(new DataInputDeserializer(bytes));
        }

        static void write(Split split, DataOutputSerializer out) throws IOException {
            out.writeUTF(split.topic());
            out.writeInt(split.partition());
            out.writeInt(split.next());
        }

        static Split read(DataInputDeserializer in) throws IOException {
            return new Split(in.readUTF(), in.readInt(), in.readInt());
        }
    }

    private static final class PendingSerializer
            implements SimpleVersionedSerializer<Collection<Split>> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(Collection<Split> splits) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(256);
            out.writeInt(splits.size());
            for (Split split : splits) {
                SplitSerializer.write(split, out);
            }
            return out.getCopyOfBuffer();
        }

        @Override
        public Collection<Split> deserialize(int version, byte[] bytes) throws IOException {
            DataInputDeserializer in = new DataInputDeserializer(bytes);
            int n = in.readInt();
            List<Split> splits = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                splits.add(SplitSerializer.read(in));
            }
            return splits;
        }
    }
}
