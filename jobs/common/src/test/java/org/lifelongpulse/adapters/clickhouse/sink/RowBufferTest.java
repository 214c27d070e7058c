package org.lifelongpulse.adapters.clickhouse.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What the buffer sends for append tables and for ReplacingMergeTree keys. */
class RowBufferTest {

    record Row(String key, long version, String value) {}

    private static final ClickHouseTable<Row> APPEND =
            new ClickHouseTable<>(
                    "db.append",
                    List.of("key", "version", "value"),
                    r -> new Object[] {r.key(), r.version(), r.value()});
    private static final ClickHouseTable<Row> REPLACING = APPEND.replacing(Row::key, Row::version);

    @Test
    void anAppendTableKeepsEveryRowInArrivalOrder() {
        RowBuffer<Row> buffer = new RowBuffer<>(APPEND, 4);
        buffer.add(new Row("a", 1, "x"));
        buffer.add(new Row("a", 1, "x"));
        buffer.add(new Row("b", 1, "y"));
        assertThat(buffer.rows())
                .extracting(r -> r[0] + ":" + r[2])
                .containsExactly("a:x", "a:x", "b:y");
        assertThat(buffer.takeSuperseded()).isZero();
    }

    @Test
    void aReplacingTableSendsTheHighestVersionOfEachKeyAtItsFirstPosition() {
        RowBuffer<Row> buffer = new RowBuffer<>(REPLACING, 4);
        buffer.add(new Row("a", 1, "a1"));
        buffer.add(new Row("b", 5, "b5"));
        buffer.add(new Row("a", 3, "a3"));
        buffer.add(new Row("b", 4, "b4")); // older than what is buffered: dropped
        buffer.add(new Row("a", 3, "a3'")); // same version: the later one, as ClickHouse would
        assertThat(buffer.rows()).extracting(r -> (String) r[2]).containsExactly("a3'", "b5");
        assertThat(buffer.size()).isEqualTo(2);
        assertThat(buffer.takeSuperseded()).isEqualTo(3);
        assertThat(buffer.takeSuperseded()).isZero();
    }

    @Test
    void afterClearAKeyStartsAfresh() {
        RowBuffer<Row> buffer = new RowBuffer<>(REPLACING, 4);
        buffer.add(new Row("a", 7, "a7"));
        buffer.clear();
        assertThat(buffer.isEmpty()).isTrue();
        // a lower version after a flush is sent: the table, not the buffer, decides then
        buffer.add(new Row("a", 2, "a2"));
        assertThat(buffer.rows()).extracting(r -> (String) r[2]).containsExactly("a2");
    }
}
