package org.lifelongpulse.adapters.clickhouse.sink;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.lifelongpulse.contracts.ClickHouseDdl;

/**
 * The common tables' names and columns, as the sinks insert them, equal what the migrations of
 * schemas/clickhouse create (applied in order): same columns, same order, computed columns left
 * out.
 */
class CommonTablesTest {

    @Test
    void everyCommonTableMatchesTheMigrations() {
        for (ClickHouseTable<?> table :
                CommonTables.all(ClickHouseSinkOptions.DEAD_LETTER_TABLE.defaultValue(), "a-job")) {
            ClickHouseDdl.Table created =
                    ClickHouseDdl.table(table.table())
                            .orElseThrow(
                                    () ->
                                            new AssertionError(
                                                    table.table() + " is created by no migration"));
            assertThat(table.columns())
                    .as(table.table() + ": insert columns vs migrations")
                    .containsExactlyElementsOf(created.insertableColumns());
        }
    }

    @Test
    void theDeadLetterTableIsTheConfiguredOne() {
        assertThat(CommonTables.deadLetters("ops.rejected_rows", "a-job").table())
                .isEqualTo("ops.rejected_rows");
        assertThat(CommonTables.deadLetters("ops.rejected_rows", "a-job").insertSql())
                .startsWith("INSERT INTO ops.rejected_rows (source_topic, source_partition,");
    }
}
