package org.lifelongpulse.cli.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.lifelongpulse.adapters.clickhouse.sink.ClickHouseSink;
import org.lifelongpulse.adapters.clickhouse.sink.ClickHouseSinkOptions;
import org.lifelongpulse.adapters.clickhouse.sink.ClickHouseTable;
import org.lifelongpulse.jobs.JobEnvironment;
import org.lifelongpulse.ops.clickhouse.ClickHouseHttp;
import org.lifelongpulse.ops.clickhouse.Migration;

/**
 * Rows per second through the ClickHouse sink (a Flink job on a local MiniCluster) against B3, a
 * plain JDBC batch insert of the same rows in the same run, and their ratio.
 */
public final class SinkBenchmark {

    /** One measured run. */
    public record Run(String name, long rows, Duration elapsed) {
        public double rowsPerSecond() {
            return rows / (elapsed.toNanos() / 1e9);
        }
    }

    /**
     * The outcome: the baseline and the sink at parallelism 1 and 2. The sink's time is the whole
     * Flink job's, start-up included, so the ratio is a lower bound for the sink itself.
     */
    public record Result(Run plainJdbc, Run sinkP1, Run sinkP2) {
        /** Whole job against the plain insert. */
        public double ratioP1() {
            return sinkP1.rowsPerSecond() / plainJdbc.rowsPerSecond();
        }

        public double ratioP2() {
            return sinkP2.rowsPerSecond() / plainJdbc.rowsPerSecond();
        }
    }

    private static final String TABLE = "bench_sink_rows";
    private static final List<String> COLUMNS = List.of("id", "district", "visits", "version");
    private static final String[] DISTRICTS = {"HUANGPU", "XUHUI", "CHANGNING", "JINGAN"};

    private final String url;
    private final ClickHouseHttp admin;
    private final String writerUser;
    private final String writerPassword;
    private final Consumer<String> progress;

    public SinkBenchmark(
            String url,
            ClickHouseHttp admin,
            String writerUser,
            String writerPassword,
            Consumer<String> progress) {
        this.url = url;
        this.admin = admin;
        this.writerUser = writerUser;
        this.writerPassword = writerPassword;
        this.progress = progress;
    }

    public Result run(long rows, int batchRows) throws Exception {
        progress.accept("warming up (JIT, connections) with " + Math.min(rows, 200_000) + " rows");
        plainJdbc(Math.min(rows, 200_000), batchRows);
        sink(Math.min(rows, 200_000), batchRows, 1);

        Run plain = plainJdbc(rows, batchRows);
        progress.accept(
                String.format("B3 plain JDBC batch insert: %,.0f rows/s", plain.rowsPerSecond()));
        Run p1 = sink(rows, batchRows, 1);
        progress.accept(String.format("sink, parallelism 1: %,.0f rows/s", p1.rowsPerSecond()));
        Run p2 = sink(rows, batchRows, 2);
        progress.accept(String.format("sink, parallelism 2: %,.0f rows/s", p2.rowsPerSecond()));
        return new Result(plain, p1, p2);
    }

    static Object[] row(long id) {
        return new Object[] {id, DISTRICTS[(int) (id % DISTRICTS.length)], (int) (id % 97), 1L};
    }

    private Run plainJdbc(long rows, int batchRows) throws SQLException {
        recreateTable();
        Properties props = new Properties();
        props.put("user", writerUser);
        props.put("password", writerPassword);
        String sql =
                new ClickHouseTable<Long>("pulse." + TABLE, COLUMNS, SinkBenchmark::row)
                        .insertSql();
        long start = System.nanoTime();
        try (Connection connection = DriverManager.getConnection("jdbc:clickhouse:" + url, props);
                PreparedStatement insert = connection.prepareStatement(sql)) {
            int inBatch = 0;
            for (long id = 1; id <= rows; id++) {
                Object[] row = row(id);
                insert.setLong(1, (Long) row[0]);
                insert.setString(2, (String) row[1]);
                insert.setLong(3, (Integer) row[2]);
                insert.setLong(4, (Long) row[3]);
                insert.addBatch();
                if (++inBatch == batchRows) {
                    insert.executeBatch();
                    inBatch = 0;
                }
            }
            if (inBatch > 0) {
                insert.executeBatch();
            }
        }
        Run run = new Run("plain JDBC", rows, Duration.ofNanos(System.nanoTime() - start));
        verify(rows);
        return run;
    }

    private Run sink(long rows, int batchRows, int parallelism) throws Exception {
        recreateTable();
        StreamExecutionEnvironment env =
                JobEnvironment.local(
                        JobEnvironment.parallelism(
                                new Configuration(), parallelism, Duration.ofSeconds(10)));
        var settings =
                new ClickHouseSinkOptions.Settings(
                        url,
                        writerUser,
                        writerPassword,
                        batchRows,
                        Duration.ofSeconds(1),
                        12,
                        Duration.ofMillis(200),
                        Duration.ofSeconds(30),
                        "pulse.dead_letters",
                        "bench");
        env.fromSequence(1, rows)
                .uid("ids")
                .name("ids")
                .sinkTo(
                        new ClickHouseSink<>(
                                new ClickHouseTable<>(
                                        "pulse." + TABLE, COLUMNS, SinkBenchmark::row),
                                settings))
                .uid("clickhouse")
                .name("ClickHouse " + TABLE);
        long start = System.nanoTime();
        env.execute("sink benchmark p" + parallelism);
        Run run =
                new Run("sink p" + parallelism, rows, Duration.ofNanos(System.nanoTime() - start));
        verify(rows);
        return run;
    }

    private void recreateTable() {
        String ddl =
                Migration.substitute(
                        Migration.resource("bench/sink_table.sql"), Map.of("TABLE", TABLE));
        Migration.split(ddl).forEach(admin::execute);
    }

    /** A benchmark that loses rows measures nothing: check the count every time. */
    private void verify(long rows) {
        long written =
                Long.parseLong(admin.scalar("SELECT count() FROM pulse." + TABLE + " FINAL"));
        if (written != rows) {
            throw new IllegalStateException(
                    "the benchmark table holds " + written + " rows, not " + rows);
        }
    }
}
