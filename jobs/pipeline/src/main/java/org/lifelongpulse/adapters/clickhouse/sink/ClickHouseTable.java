package org.lifelongpulse.adapters.clickhouse.sink;

import java.io.Serializable;
import java.util.List;

/**
 * Where and how a stream of {@code T} lands in ClickHouse: a fully qualified table, its columns in
 * insert order, and the mapping of one element to one row of values.
 *
 * <p>Values are {@code String}, {@code Long}/{@code Integer}, {@code Double}, {@code BigDecimal},
 * {@code Boolean}, {@code java.time.Instant} (bound as epoch seconds for {@code DateTime}) or
 * null for a {@code Nullable} column.
 */
public record ClickHouseTable<T>(String table, List<String> columns, RowMapper<T> mapper)
        implements Serializable {

    /** Maps one element to the values of one row, in {@link #columns()} order. */
    @FunctionalInterface
    public interface RowMapper<T> extends Serializable {
        Object[] toRow(T element);
    }

    public ClickHouseTable {
        if (!table.contains(".")) {
            throw new IllegalArgumentException("qualify the table with its database: " + table);
        }
        columns = List.copyOf(columns);
    }

    /** {@code INSERT INTO db.table (c1, c2) VALUES (?, ?)}. */
    public String insertSql() {
        return "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                + String.join(", ", java.util.Collections.nCopies(columns.size(), "?")) + ")";
    }
}
