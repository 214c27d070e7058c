package org.lifelongpulse.adapters.clickhouse.sink;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows waiting for the next insert. For a table with a {@link ClickHouseTable.Replacing} key, a
 * row replaces the buffered row of its key when its version is at least as high: ReplacingMergeTree
 * would keep only that one anyway, so the older never needs to travel.
 */
final class RowBuffer<T> {

    private final ClickHouseTable<T> table;
    private final List<Object[]> rows;

    /** Key → {slot in rows, version}; only for replacing tables. */
    private final Map<Object, long[]> slots = new HashMap<>();

    private long superseded;

    RowBuffer(ClickHouseTable<T> table, int expectedRows) {
        this.table = table;
        this.rows = new ArrayList<>(expectedRows);
    }

    void add(T element) {
        Object[] row = table.mapper().toRow(element);
        ClickHouseTable.Replacing<T> replacing = table.replacing();
        if (replacing == null) {
            rows.add(row);
            return;
        }
        Object key = replacing.key().apply(element);
        long version = replacing.version().applyAsLong(element);
        long[] slot = slots.get(key);
        if (slot == null) {
            slots.put(key, new long[] {rows.size(), version});
            rows.add(row);
            return;
        }
        superseded++;
        if (version >= slot[1]) {
            rows.set((int) slot[0], row);
            slot[1] = version;
        }
    }

    List<Object[]> rows() {
        return rows;
    }

    int size() {
        return rows.size();
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    /** Rows dropped since the last call because a newer version of their key came. */
    long takeSuperseded() {
        long n = superseded;
        superseded = 0;
        return n;
    }

    void clear() {
        rows.clear();
        slots.clear();
    }
}
