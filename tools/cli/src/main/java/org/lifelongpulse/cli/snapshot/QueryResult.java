package org.lifelongpulse.cli.snapshot;

import java.util.ArrayList;
import java.util.List;
import org.lifelongpulse.ops.clickhouse.ClickHouseHttp;

/**
 * A panel query's result as ClickHouse's {@code TabSeparatedWithNamesAndTypes} gives it: column
 * names, ClickHouse type names ({@code String}, {@code UInt64}, {@code DateTime}...) and rows of
 * unescaped text.
 */
public record QueryResult(List<String> names, List<String> types, List<List<String>> rows) {

    public QueryResult {
        names = List.copyOf(names);
        types = List.copyOf(types);
        rows = rows.stream().map(List::copyOf).toList();
    }

    /** Reads a {@code TabSeparatedWithNamesAndTypes} response. */
    public static QueryResult fromTabSeparated(String response) {
        String[] lines = response.split("\n");
        List<List<String>> rows = new ArrayList<>();
        for (int i = 2; i < lines.length; i++) {
            if (!lines[i].isEmpty()) {
                List<String> row = new ArrayList<>();
                for (String field : lines[i].split("\t", -1)) {
                    row.add(ClickHouseHttp.unescape(field));
                }
                rows.add(row);
            }
        }
        return new QueryResult(
                List.of(lines[0].split("\t", -1)),
                lines.length > 1 ? List.of(lines[1].split("\t", -1)) : List.of(),
                rows);
    }

    /** Whether column {@code c} holds text rather than numbers or times. */
    boolean isText(int c) {
        return types.get(c).equals("String");
    }
}
