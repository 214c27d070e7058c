package org.lifelongpulse.adapters.clickhouse.sink;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * A Flink Sink V2 that writes a stream into one ClickHouse table, as RowBinary through the
 * ClickHouse Java client or as text through its JDBC driver ({@link RowInserter}): batched, flushed
 * at every checkpoint, retried with backoff, invalid rows dead-lettered, failing the job rather
 * than dropping rows. Exactly-once results come from the tables: they are ReplacingMergeTree with
 * deterministic keys and versions, so a replay after a restart replaces.
 *
 * <p>Why not {@code JdbcSink} or {@code AsyncSinkBase}: see {@code README.md}, "ClickHouse sink".
 */
public final class ClickHouseSink<T> implements Sink<T> {

    private static final long serialVersionUID = 1L;

    private final ClickHouseTable<T> table;
    private final ClickHouseSinkOptions.Settings settings;

    public ClickHouseSink(ClickHouseTable<T> table, ClickHouseSinkOptions.Settings settings) {
        this.table = table;
        this.settings = settings;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        return new ClickHouseSinkWriter<>(table, settings, context);
    }
}
