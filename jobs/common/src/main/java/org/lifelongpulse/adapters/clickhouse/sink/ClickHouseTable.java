package org.lifelongpulse.adapters.clickhouse.sink;

import java.io.Serializable;
import java.util.List;

/**
 * Where and how a stream of {@code T} lands in ClickHouse: a fully qualified table, its columns in
 * insert order, and the mapping of one element to one row of values.
 *
 * <p>Values are {@code String}, {@code Long}/{@code Integer}, {@code Double}, {@code BigDecimal},
 * {@code Boolean}, {@code java.time.Instant} (bound as epoch seconds for {@code DateTime}), a
 * {@code List} for an {@code Array} column, or null for a {@code Nullable} column.
 */
public record ClickHouseTable<T>(
        String table, List<String> columns, RowMapper<T> mapper, Replacing<T> replacing)
        implements Serializable {

    /** Maps one element to the values of one row, in {@link #columns()} order. */
    @FunctionalInterface
    public interface RowMapper<T> extends Serializable {
        Object[] toRow(T element);
    }

    /** The ORDER BY key of an element's row in a ReplacingMergeTree table. */
    @FunctionalInterface
    public interface KeyOf<T> extends Serializable {
        Object apply(T element);
    }

    /** The version column's value of an element's row. */
    @FunctionalInterface
    public interface VersionOf<T> extends Serializable {
        long applyAsLong(T element);
    }

    /**
     * A ReplacingMergeTree table's key and version: of the rows of one key buffered for the same
     * insert, only the one with the highest version is sent (the last of equal versions).
     */
    public record Replacing<T>(KeyOf<T> key, VersionOf<T> version) implements Serializable {}

    public ClickHouseTable {
        if (!table.contains(".")) {
            throw new IllegalArgumentException("qualify the table with its database: " + table);
        }
        columns = List.copyOf(columns);
    }

    /** A table every element adds a row to. */
    public ClickHouseTable(String table, List<String> columns, RowMapper<T> mapper) {
        this(table, columns, mapper, null);
    }

    /** The same table, sending only the latest version of each key per insert. */
    public ClickHouseTable<T> replacing(KeyOf<T> key, VersionOf<T> version) {
        return new ClickHouseTable<>(table, columns, mapper, new Replacing<>(key, version));
    }

    /** {@code INSERT INTO db.table (c1, c2) VALUES (?, ?)}. */
    public String insertSql() {
        return "INSERT INTO "
                + table
                + " ("
                + String.join(", ", columns)
                + ") VALUES ("
                + String.join(", ", java.util.Collections.nCopies(columns.size(), "?"))
                + ")";
    }
}
