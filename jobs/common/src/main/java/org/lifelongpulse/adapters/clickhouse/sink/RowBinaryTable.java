package org.lifelongpulse.adapters.clickhouse.sink;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A table's rows in RowBinary: one {@link RowBinaryColumn} per inserted column, in insert order,
 * from the column types the server reports ({@code DESCRIBE TABLE}).
 */
final class RowBinaryTable {

    private final List<String> columns;
    private final List<RowBinaryColumn> writers;

    private RowBinaryTable(List<String> columns, List<RowBinaryColumn> writers) {
        this.columns = columns;
        this.writers = writers;
    }

    /**
     * The RowBinary form of the {@code columns} of a table described by {@code describe} (the
     * server's {@code DESCRIBE TABLE … FORMAT TabSeparated}), or empty when a column is missing
     * there or has a type not covered by {@link RowBinaryColumn}.
     */
    static Optional<RowBinaryTable> of(List<String> columns, String describe) {
        return RowBinaryColumn.forColumns(columns, typesOf(describe))
                .map(writers -> new RowBinaryTable(List.copyOf(columns), writers));
    }

    /** The first type of {@code columns} that has no RowBinary writer here, for the log. */
    static String uncovered(List<String> columns, String describe) {
        Map<String, String> types = typesOf(describe);
        for (String column : columns) {
            String type = types.get(column);
            if (type == null || RowBinaryColumn.of(type).isEmpty()) {
                return column + " " + (type == null ? "(not in the table)" : type);
            }
        }
        return "(none)";
    }

    /** Column name → type from DESCRIBE's TabSeparated rows (name, type, default kind, …). */
    static Map<String, String> typesOf(String describe) {
        Map<String, String> types = new LinkedHashMap<>();
        for (String line : describe.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            String[] fields = line.split("\t", -1);
            if (fields.length >= 2) {
                types.put(unescape(fields[0]), unescape(fields[1]));
            }
        }
        return types;
    }

    /** TabSeparated's backslash escapes. */
    private static String unescape(String field) {
        if (field.indexOf('\\') < 0) {
            return field;
        }
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 1 < field.length()) {
                char next = field.charAt(++i);
                out.append(
                        switch (next) {
                            case 't' -> '\t';
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case '0' -> '\0';
                            default -> next;
                        });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Why {@code row} cannot be written, naming the column, or null when it can. */
    String problem(Object[] row) {
        if (row.length != writers.size()) {
            return "the row has " + row.length + " values for " + writers.size() + " columns";
        }
        for (int i = 0; i < row.length; i++) {
            String problem = writers.get(i).problem(row[i]);
            if (problem != null) {
                return "column " + columns.get(i) + ": " + problem;
            }
        }
        return null;
    }

    /** Writes rows that have no {@link #problem}. */
    void write(List<Object[]> rows, RowBinaryOutput out) throws IOException {
        int n = writers.size();
        RowBinaryColumn[] byIndex = writers.toArray(new RowBinaryColumn[0]);
        for (Object[] row : rows) {
            for (int i = 0; i < n; i++) {
                byIndex[i].write(row[i], out);
            }
        }
    }

    List<String> columns() {
        return columns;
    }
}
