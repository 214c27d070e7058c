package org.lifelongpulse.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The reading of the DDL, on hand-written scripts and on the packaged migrations. */
class ClickHouseDdlTest {

    private static final String V1 =
            """
            -- a comment; with a semicolon
            CREATE DATABASE IF NOT EXISTS db;

            CREATE TABLE IF NOT EXISTS db.events
            (
                id        String,
                kind      Enum8('UNKNOWN' = 0, 'A,B' = 1, 'C)' = 2),
                -- a commented line inside
                tags      Array(Tuple(String, UInt8)),
                is_a      UInt8 ALIAS kind IN ('A,B'),
                day       Date MATERIALIZED toDate(at),
                at        DateTime('Asia/Shanghai'),
                INDEX by_kind kind TYPE set(3) GRANULARITY 1
            )
            ENGINE = ReplacingMergeTree(at)
            ORDER BY (id, kind);
            CREATE TABLE db.gone (x UInt8) ENGINE = Memory;
            """;

    private static final String V2 =
            """
            ALTER TABLE db.events ADD COLUMN IF NOT EXISTS source String AFTER id,
                ADD COLUMN version UInt64, ADD COLUMN first Int8 FIRST;
            ALTER TABLE db.events RENAME COLUMN tags TO labels, DROP COLUMN day;
            ALTER TABLE db.events ADD COLUMN IF NOT EXISTS version UInt64;
            DROP TABLE IF EXISTS db.gone;
            """;

    @Test
    void createThenAlterInOrder() {
        Map<String, ClickHouseDdl.Table> tables = ClickHouseDdl.tables(List.of(V1, V2));
        assertThat(tables).containsOnlyKeys("db.events");
        ClickHouseDdl.Table events = tables.get("db.events");
        assertThat(events.columns())
                .extracting(ClickHouseDdl.Column::name)
                .containsExactly(
                        "first", "id", "source", "kind", "labels", "is_a", "at", "version");
        assertThat(events.insertableColumns())
                .containsExactly("first", "id", "source", "kind", "labels", "at", "version");
    }

    @Test
    void createAloneKeepsTheDefinedOrder() {
        ClickHouseDdl.Table events = ClickHouseDdl.tables(List.of(V1)).get("db.events");
        assertThat(events.insertableColumns()).containsExactly("id", "kind", "tags", "at");
        assertThat(ClickHouseDdl.tables(List.of(V1))).containsKey("db.gone");
    }

    @Test
    void thePackagedMigrationsAreReadInVersionOrder() {
        List<ClickHouseDdl.Script> scripts = ClickHouseDdl.migrations();
        assertThat(scripts)
                .extracting(ClickHouseDdl.Script::version)
                .isSorted()
                .startsWith(1, 2, 3);
        // hand-copied from V004__duplicate_events.sql
        assertThat(ClickHouseDdl.table("pulse.duplicate_events").orElseThrow().insertableColumns())
                .containsExactly(
                        "job",
                        "source_topic",
                        "source_partition",
                        "source_offset",
                        "event_id",
                        "event_time",
                        "seen_at",
                        "ingested_version");
        // is_online is an ALIAS of channel in V001
        assertThat(ClickHouseDdl.table("pulse.learning_events").orElseThrow().columns())
                .contains(new ClickHouseDdl.Column("is_online", false));
    }
}
