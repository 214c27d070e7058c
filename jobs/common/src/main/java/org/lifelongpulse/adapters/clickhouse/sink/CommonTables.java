package org.lifelongpulse.adapters.clickhouse.sink;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.lifelongpulse.admission.DroppedEvent;
import org.lifelongpulse.admission.DuplicateEvent;
import org.lifelongpulse.admission.LateEvent;
import org.lifelongpulse.avro.DeadLetter;

/**
 * The tables both jobs write: dead letters, late events, dropped duplicates and drops. Their column
 * lists are compared with the migrations by {@code CommonTablesTest}.
 */
public final class CommonTables {

    /**
     * The dead-letter table's columns, in insert order: a decoder's letter here, a row the server
     * rejected in {@link RowInserter}.
     */
    public static final List<String> DEAD_LETTER_COLUMNS =
            List.of(
                    "source_topic",
                    "source_partition",
                    "source_offset",
                    "stage",
                    "reason",
                    "raw",
                    "raw_encoding",
                    "failed_at",
                    "job",
                    "ingested_version");

    private CommonTables() {}

    /**
     * @param table the dead-letter table, {@code clickhouse.sink.dead-letter-table} ({@link
     *     ClickHouseSinkOptions.Settings#deadLetterTable()})
     * @param job the job writing, for the {@code job} column
     */
    public static ClickHouseTable<DeadLetter> deadLetters(String table, String job) {
        return new ClickHouseTable<>(
                table,
                DEAD_LETTER_COLUMNS,
                d ->
                        new Object[] {
                            d.getSourceTopic(),
                            d.getSourcePartition(),
                            d.getSourceOffset(),
                            d.getStage(),
                            d.getReason(),
                            base64(d.getRaw()),
                            "BASE64",
                            d.getFailedAt(),
                            job,
                            1L
                        });
    }

    public static ClickHouseTable<LateEvent> lateEvents() {
        return new ClickHouseTable<>(
                "pulse.late_events",
                List.of(
                        "job",
                        "source_topic",
                        "event_id",
                        "event_time",
                        "event_time_epoch_ms",
                        "watermark_at",
                        "lateness_ms",
                        "arrived_at",
                        "ingested_version"),
                e ->
                        new Object[] {
                            e.job(),
                            e.sourceTopic(),
                            e.eventId(),
                            Instant.ofEpochMilli(e.eventTime()),
                            e.eventTime(),
                            Instant.ofEpochMilli(e.watermark()),
                            e.latenessMs(),
                            Instant.ofEpochMilli(e.arrivedAt()),
                            1L
                        });
    }

    public static ClickHouseTable<DroppedEvent> droppedEvents() {
        return new ClickHouseTable<>(
                "pulse.dropped_events",
                List.of(
                        "job",
                        "operator",
                        "item",
                        "event_time",
                        "event_time_epoch_ms",
                        "watermark_at",
                        "observed_at",
                        "ingested_version"),
                e ->
                        new Object[] {
                            e.job(),
                            e.operator(),
                            e.item(),
                            Instant.ofEpochMilli(e.eventTime()),
                            Math.max(0, e.eventTime()),
                            Instant.ofEpochMilli(Math.max(0, e.watermark())),
                            Instant.ofEpochMilli(e.observedAt()),
                            1L
                        });
    }

    public static ClickHouseTable<DuplicateEvent> duplicates() {
        return new ClickHouseTable<>(
                "pulse.duplicate_events",
                List.of(
                        "job",
                        "source_topic",
                        "source_partition",
                        "source_offset",
                        "event_id",
                        "event_time",
                        "seen_at",
                        "ingested_version"),
                d ->
                        new Object[] {
                            d.job(),
                            d.sourceTopic(),
                            d.sourcePartition(),
                            d.sourceOffset(),
                            d.eventId(),
                            Instant.ofEpochMilli(d.eventTime()),
                            Instant.ofEpochMilli(d.seenAt()),
                            1L
                        });
    }

    /** The tables of this class as a job writes them, for the comparison with the migrations. */
    public static List<ClickHouseTable<?>> all(String deadLetterTable, String job) {
        return List.of(
                deadLetters(deadLetterTable, job), lateEvents(), droppedEvents(), duplicates());
    }

    private static String base64(ByteBuffer raw) {
        ByteBuffer copy = raw.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
