package org.lifelongpulse.adapters;

import java.io.Serializable;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.lifelongpulse.adapters.clickhouse.sink.ClickHouseSink;
import org.lifelongpulse.adapters.clickhouse.sink.ClickHouseSinkOptions;
import org.lifelongpulse.adapters.clickhouse.sink.ClickHouseTable;

/**
 * Where a job's streams end: ClickHouse tables and Kafka topics in production ({@link
 * #production}), collections in tests. A job's sinks class says which stream goes to which table or
 * topic once, for both; only the last operator differs.
 */
public interface Destinations {

    /** Writes {@code rows} to {@code table}; the sink's uid is {@code "sink-" + uid}. */
    <T> void table(DataStream<T> rows, ClickHouseTable<T> table, String uid);

    /**
     * Publishes {@code records} on {@code topic} with the Kafka sink {@code kafka} makes for a
     * bootstrap address; the sink's uid is {@code "sink-" + uid}.
     */
    <T> void topic(DataStream<T> records, String topic, KafkaSinkFactory<T> kafka, String uid);

    /** A Kafka sink for a bootstrap address. */
    @FunctionalInterface
    interface KafkaSinkFactory<T> extends Serializable {
        Sink<T> create(String bootstrap);
    }

    /** The production destinations: the ClickHouse sink, and Kafka at {@code bootstrap}. */
    static Destinations production(ClickHouseSinkOptions.Settings clickHouse, String bootstrap) {
        return new Destinations() {
            @Override
            public <T> void table(DataStream<T> rows, ClickHouseTable<T> table, String uid) {
                rows.sinkTo(new ClickHouseSink<>(table, clickHouse))
                        .uid("sink-" + uid)
                        .name("ClickHouse " + table.table());
            }

            @Override
            public <T> void topic(
                    DataStream<T> records, String topic, KafkaSinkFactory<T> kafka, String uid) {
                records.sinkTo(kafka.create(bootstrap)).uid("sink-" + uid).name("Kafka " + topic);
            }
        };
    }
}
