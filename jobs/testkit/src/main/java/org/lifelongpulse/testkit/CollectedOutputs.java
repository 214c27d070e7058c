package org.lifelongpulse.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.lifelongpulse.adapters.Destinations;
import org.lifelongpulse.adapters.clickhouse.sink.ClickHouseTable;

/**
 * Destinations that keep what a job writes, per ClickHouse table ({@code pulse.…}) or Kafka topic,
 * in this JVM: the job's sinks class still says which stream goes where, only the last operator
 * (same uid as in production) collects instead of inserting or publishing. For jobs on a
 * MiniCluster in the same JVM; each instance has its own collections.
 */
public final class CollectedOutputs implements Destinations {

    private static final Map<String, List<Object>> COLLECTED = new ConcurrentHashMap<>();

    private final String run = UUID.randomUUID().toString();

    @Override
    public <T> void table(DataStream<T> rows, ClickHouseTable<T> table, String uid) {
        collect(rows, table.table(), uid, "collect " + table.table());
    }

    @Override
    public <T> void topic(
            DataStream<T> records, String topic, KafkaSinkFactory<T> kafka, String uid) {
        collect(records, topic, uid, "collect Kafka " + topic);
    }

    private <T> void collect(DataStream<T> stream, String name, String uid, String label) {
        stream.sinkTo(new CollectingSink<>(run + "/" + name)).uid("sink-" + uid).name(label);
    }

    /** What was written to a table or topic, in no particular order; empty if nothing was. */
    @SuppressWarnings("unchecked")
    public <T> List<T> of(String tableOrTopic) {
        List<Object> seen = COLLECTED.get(run + "/" + tableOrTopic);
        if (seen == null) {
            return List.of();
        }
        synchronized (seen) {
            return (List<T>) List.copyOf(seen);
        }
    }

    /** Forgets this instance's collections. */
    public void clear() {
        COLLECTED.keySet().removeIf(k -> k.startsWith(run + "/"));
    }

    /** Adds every element to the collection of its key. */
    private static final class CollectingSink<T> implements Sink<T> {
        private static final long serialVersionUID = 1L;
        private final String key;

        CollectingSink(String key) {
            this.key = key;
        }

        @Override
        public SinkWriter<T> createWriter(WriterInitContext context) {
            List<Object> into =
                    COLLECTED.computeIfAbsent(
                            key, k -> java.util.Collections.synchronizedList(new ArrayList<>()));
            return new SinkWriter<>() {
                @Override
                public void write(T element, Context ctx) {
                    into.add(element);
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }
}
