package org.lifelongpulse.dashboards;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A ClickHouse result in {@code TabSeparatedWithNamesAndTypes}: column names, their types (the
 * second header row), then the rows. Fields are kept as ClickHouse printed them.
 */
record QueryResult(List<String> names, List<String> types, List<List<String>> rows) {

    static QueryResult parse(String body) {
        String[] lines = body.split("\n");
        if (lines.length < 2) {
            throw new IllegalArgumentException("not TabSeparatedWithNamesAndTypes: " + body);
        }
        List<List<String>> rows = new ArrayList<>();
        for (int i = 2; i < lines.length; i++) {
            if (!lines[i].isEmpty()) {
                rows.add(Arrays.asList(lines[i].split("\t", -1)));
            }
        }
        return new QueryResult(
                Arrays.asList(lines[0].split("\t", -1)),
                Arrays.asList(lines[1].split("\t", -1)),
                rows);
    }

    List<String> column(String name) {
        int index = names.indexOf(name);
        if (index < 0) {
            throw new IllegalArgumentException("no column " + name + " in " + names);
        }
        return column(index);
    }

    List<String> column(int index) {
        return rows.stream().map(r -> r.get(index)).toList();
    }
}
