package org.lifelongpulse.adapters.clickhouse.sink;

import java.io.IOException;
import java.util.concurrent.ScheduledFuture;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buffers rows and inserts them in batches: when {@code batch-rows} are buffered, when the oldest
 * buffered row has waited {@code flush-interval}, at every checkpoint and at the end of input.
 * Flink calls {@link #flush} before a checkpoint barrier passes, so a completed checkpoint never
 * covers rows still in the buffer: after a failure the job replays them from its sources.
 */
final class ClickHouseSinkWriter<T> implements SinkWriter<T> {

    private static final Logger LOG = LoggerFactory.getLogger(ClickHouseSinkWriter.class);

    private final ClickHouseTable<T> table;
    private final ClickHouseSinkOptions.Settings settings;
    private final ProcessingTimeService time;
    private final RowInserter inserter;
    private final RowBuffer<T> buffer;

    private final Counter rowsWritten;
    private final Counter batchesWritten;
    private final Counter retries;
    private final Counter failures;
    private final Counter rowsDeadLettered;
    private final Counter rowsSuperseded;
    private final Counter recordsSend;
    private final Histogram flushLatencyMs;

    private ScheduledFuture<?> scheduledFlush;

    ClickHouseSinkWriter(
            ClickHouseTable<T> table,
            ClickHouseSinkOptions.Settings settings,
            WriterInitContext context) {
        this.table = table;
        this.settings = settings;
        this.time = context.getProcessingTimeService();
        this.buffer = new RowBuffer<>(table, Math.min(settings.batchRows(), 65_536));
        SinkWriterMetricGroup metrics = context.metricGroup();
        this.rowsWritten = metrics.counter("rowsWritten");
        this.batchesWritten = metrics.counter("batchesWritten");
        this.retries = metrics.counter("insertRetries");
        this.failures = metrics.counter("insertFailures");
        this.rowsDeadLettered = metrics.counter("rowsDeadLettered");
        this.rowsSuperseded = metrics.counter("rowsSuperseded");
        this.recordsSend = metrics.getNumRecordsSendCounter();
        this.flushLatencyMs =
                metrics.histogram("flushLatencyMs", new DescriptiveStatisticsHistogram(500));
        this.inserter = new RowInserter(settings, table, retries::inc);
        metrics.<Integer, Gauge<Integer>>gauge(
                "rowBinary", () -> inserter.undecided() ? -1 : inserter.writesRowBinary() ? 1 : 0);
    }

    @Override
    public void write(T element, Context context) throws IOException, InterruptedException {
        buffer.add(element);
        if (buffer.size() >= settings.batchRows()) {
            flushBuffer();
        } else if (scheduledFlush == null) {
            long due = time.getCurrentProcessingTime() + settings.flushInterval().toMillis();
            scheduledFlush =
                    time.registerTimer(
                            due,
                            timestamp -> {
                                scheduledFlush = null;
                                flushBuffer();
                            });
        }
    }

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        flushBuffer();
    }

    private void flushBuffer() throws IOException, InterruptedException {
        if (scheduledFlush != null) {
            scheduledFlush.cancel(false);
            scheduledFlush = null;
        }
        if (buffer.isEmpty()) {
            return;
        }
        long started = System.nanoTime();
        RowInserter.Outcome outcome;
        try {
            outcome = inserter.insert(buffer.rows());
        } catch (IOException e) {
            failures.inc();
            throw e;
        }
        buffer.clear();
        rowsSuperseded.inc(buffer.takeSuperseded());
        rowsWritten.inc(outcome.written());
        recordsSend.inc(outcome.written());
        rowsDeadLettered.inc(outcome.deadLettered());
        batchesWritten.inc();
        flushLatencyMs.update((System.nanoTime() - started) / 1_000_000L);
    }

    /**
     * Releases the connection. Never flushes (the buffer of a failing task must not be written
     * half-way) and never throws: an exception here would kill the TaskManager.
     */
    @Override
    public void close() {
        try {
            if (scheduledFlush != null) {
                scheduledFlush.cancel(false);
            }
            if (!buffer.isEmpty()) {
                LOG.info(
                        "closing with {} unflushed rows for {}; the job replays them from its"
                                + " last checkpoint",
                        buffer.size(),
                        table.table());
            }
            inserter.close();
        } catch (RuntimeException e) {
            LOG.warn("error while closing the ClickHouse writer for {}", table.table(), e);
        }
    }
}
