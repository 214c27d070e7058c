package org.lifelongpulse.testutils;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.configuration.Configuration;
import org.lifelongpulse.adapters.clickhouse.sink.ClickHouseSinkOptions;
import org.lifelongpulse.cli.schema.StackSchema;
import org.lifelongpulse.ops.clickhouse.ClickHouseHttp;
import org.lifelongpulse.stack.ClickHouseAccounts;
import org.lifelongpulse.stack.Endpoints;

/** The test ClickHouse: schema, clean tables, reads, and the jobs' sink settings. */
public record Warehouse(Endpoints endpoints, ClickHouseHttp admin) {

    public static Warehouse of(Endpoints endpoints) {
        ClickHouseAccounts.Account admin = endpoints.accounts().admin();
        return new Warehouse(
                endpoints,
                new ClickHouseHttp(endpoints.clickHouseUrl(), admin.user(), admin.password()));
    }

    /** Applies the migrations and empties the given tables. */
    public Warehouse withEmptyTables(String... tables) {
        ClickHouseAccounts accounts = endpoints.accounts();
        StackSchema.migrator(endpoints, line -> {}).apply();
        for (String table : tables) {
            admin.execute("TRUNCATE TABLE pulse." + table);
        }
        return this;
    }

    /** The rows of a query, each row's fields joined by '|', as a sorted set. */
    public Set<String> rowSet(String sql) {
        Set<String> rows = new TreeSet<>();
        for (List<String> row : admin.rows(sql)) {
            rows.add(String.join("|", row));
        }
        return rows;
    }

    /**
     * Asserts two row sets are equal, describing a difference by what is missing and what is extra
     * (a few of each) instead of printing thousands of rows.
     */
    public static void assertSameRows(String what, Set<String> expected, Set<String> actual) {
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(actual);
        Set<String> extra = new TreeSet<>(actual);
        extra.removeAll(expected);
        if (!missing.isEmpty() || !extra.isEmpty()) {
            throw new AssertionError(
                    String.format(
                            "%s: %d expected rows, %d actual; %d missing,"
                                    + " e.g. %s; %d extra, e.g. %s",
                            what,
                            expected.size(),
                            actual.size(),
                            missing.size(),
                            missing.stream().limit(8).toList(),
                            extra.size(),
                            extra.stream().limit(8).toList()));
        }
    }

    public long count(String sql) {
        return Long.parseLong(admin.scalar(sql));
    }

    /**
     * The jobs' ClickHouse options for the writer account, flushing often so tests see rows soon,
     * set on {@code config}.
     */
    public Configuration sinkOptions(Configuration config) {
        ClickHouseAccounts.Account writer = endpoints.accounts().writer();
        config.set(ClickHouseSinkOptions.URL, endpoints.clickHouseUrl());
        config.set(ClickHouseSinkOptions.USER, writer.user());
        config.set(ClickHouseSinkOptions.PASSWORD, writer.password());
        config.set(ClickHouseSinkOptions.BATCH_ROWS, 20_000);
        config.set(ClickHouseSinkOptions.FLUSH_INTERVAL, Duration.ofMillis(500));
        config.set(ClickHouseSinkOptions.MAX_ATTEMPTS, 20);
        config.set(ClickHouseSinkOptions.INITIAL_BACKOFF, Duration.ofMillis(100));
        config.set(ClickHouseSinkOptions.MAX_BACKOFF, Duration.ofSeconds(2));
        return config;
    }
}
