package org.lifelongpulse.adapters.clickhouse.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lifelongpulse.adapters.clickhouse.sink.ClickHouseSinkOptions.InsertFormat;
import org.lifelongpulse.cli.schema.StackSchema;
import org.lifelongpulse.ops.clickhouse.ClickHouseHttp;
import org.lifelongpulse.ops.clickhouse.Migration;
import org.lifelongpulse.stack.ClickHouseAccounts;
import org.lifelongpulse.stack.Endpoints;
import org.lifelongpulse.stack.LocalStack;
import org.lifelongpulse.stack.testing.LocalStackExtension;
import org.lifelongpulse.testutils.Await;
import org.lifelongpulse.testutils.Flink;

/** The ClickHouse sink against a real server: nothing lost, nothing added. */
@ExtendWith(LocalStackExtension.class)
class ClickHouseSinkITCase {

    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension static final MiniClusterExtension FLINK = Flink.miniCluster(METRICS);

    private static final AtomicInteger INJECTED_FAILURES = new AtomicInteger();

    @Test
    void nRowsInGiveExactlyNRowsOut(Endpoints endpoints) throws Exception {
        String table = prepare(endpoints, "it_sink_plain");
        long n = 20_000;
        StreamExecutionEnvironment env = environment(300);
        env.fromSequence(1, n)
                .uid("numbers")
                .name("numbers")
                .sinkTo(
                        new ClickHouseSink<>(
                                rows(table, id -> "XUHUI"),
                                settings(endpoints).withBatchRows(1_500)))
                .uid("clickhouse")
                .name("ClickHouse " + table);
        JobClient job = env.executeAsync("sink: n rows");
        job.getJobExecutionResult().get(3, TimeUnit.MINUTES);

        assertExactly(endpoints, table, n);
        // a subtask that got no split writes nothing and stays undecided (-1)
        assertThat(gauges(job.getJobID(), "rowBinary"))
                .as("no subtask fell back to text")
                .hasSize(Flink.PARALLELISM)
                .contains(1)
                .doesNotContain(0);
    }

    @Test
    void aClickHouseOutageLongerThanAFlushIntervalLosesNothing(
            Endpoints endpoints, LocalStack stack) throws Exception {
        String table = prepare(endpoints, "it_sink_outage");
        long n = 24_000; // 24 s of input at 1,000 rows/s: the outage falls well inside it
        StreamExecutionEnvironment env = environment(500);
        paced(env, n, 1_000)
                .sinkTo(new ClickHouseSink<>(rows(table, id -> "XUHUI"), settings(endpoints)))
                .uid("clickhouse")
                .name("ClickHouse " + table);
        JobClient job = env.executeAsync("sink: outage");
        try {
            Await.until(
                    "the first rows are in ClickHouse",
                    Duration.ofSeconds(60),
                    () -> count(endpoints, "SELECT count() FROM " + table) > 0);
            stack.stopClickHouse();
            Await.until(
                    "the sink has retried twice",
                    Duration.ofSeconds(60),
                    () -> counter(job.getJobID(), "insertRetries") >= 2);
        } finally {
            stack.startClickHouse();
        }
        job.getJobExecutionResult().get(3, TimeUnit.MINUTES);

        assertThat(counter(job.getJobID(), "insertRetries")).isGreaterThanOrEqualTo(2);
        assertExactly(endpoints, table, n);
    }

    @Test
    void aFailureAfterACheckpointAndTheRestartLoseAndDuplicateNothing(Endpoints endpoints)
            throws Exception {
        String table = prepare(endpoints, "it_sink_restart");
        long n = 12_000;
        INJECTED_FAILURES.set(0);
        StreamExecutionEnvironment env = environment(200);
        paced(env, n, 3_000)
                .map(new FailOnceAfterACheckpoint())
                .uid("fail-once")
                .name("fail once")
                .sinkTo(new ClickHouseSink<>(rows(table, id -> "XUHUI"), settings(endpoints)))
                .uid("clickhouse")
                .name("ClickHouse " + table);
        env.execute("sink: restart");

        assertThat(INJECTED_FAILURES.get()).as("the job failed and restarted").isPositive();
        assertExactly(endpoints, table, n);
    }

    @Test
    void aRowRowBinaryCannotCarryIsDeadLetteredAndTheJobGoesOn(Endpoints endpoints)
            throws Exception {
        rejectsAreDeadLettered(endpoints, "it_sink_rejects", InsertFormat.ROW_BINARY);
    }

    @Test
    void aRowTheServerRejectsInTextIsDeadLetteredByBisectionAndTheJobGoesOn(Endpoints endpoints)
            throws Exception {
        rejectsAreDeadLettered(endpoints, "it_sink_rejects_text", InsertFormat.VALUES);
    }

    private void rejectsAreDeadLettered(Endpoints endpoints, String name, InsertFormat format)
            throws Exception {
        String table = prepare(endpoints, name);
        long n = 5_000;
        StreamExecutionEnvironment env = environment(300);
        env.fromSequence(1, n)
                .uid("numbers")
                .name("numbers")
                .sinkTo(
                        new ClickHouseSink<>(
                                rows(table, id -> id % 500 == 7 ? "ATLANTIS" : "XUHUI"),
                                settings(endpoints).withBatchRows(700).withInsertFormat(format)))
                .uid("clickhouse")
                .name("ClickHouse " + table);
        JobClient job = env.executeAsync("sink: rejects");
        job.getJobExecutionResult().get(3, TimeUnit.MINUTES);

        List<Long> bad =
                java.util.stream.LongStream.rangeClosed(1, n)
                        .filter(id -> id % 500 == 7)
                        .boxed()
                        .toList();
        ClickHouseHttp admin = admin(endpoints);
        assertThat(count(endpoints, "SELECT count() FROM " + table + " FINAL"))
                .isEqualTo(n - bad.size());
        assertThat(count(endpoints, "SELECT count() FROM " + table + " FINAL WHERE id % 500 = 7"))
                .isZero();
        List<List<String>> letters =
                admin.rows(
                        "SELECT reason, raw, stage FROM"
                                + " pulse.dead_letters FINAL WHERE source_topic = '"
                                + table
                                + "'");
        assertThat(letters).hasSize(bad.size());
        assertThat(letters)
                .allSatisfy(
                        row -> {
                            assertThat(row.get(0)).contains("Unknown element 'ATLANTIS'");
                            assertThat(row.get(2)).isEqualTo("sink");
                        });
        assertThat(letters.stream().map(r -> r.get(1)).toList())
                .allSatisfy(raw -> assertThat(raw).contains("ATLANTIS"));
        for (long id : bad) {
            assertThat(letters).anySatisfy(r -> assertThat(r.get(1)).startsWith("[" + id + ","));
        }
        assertThat(counter(job.getJobID(), "rowsDeadLettered")).isEqualTo(bad.size());
        assertThat(counter(job.getJobID(), "rowsWritten")).isGreaterThanOrEqualTo(n - bad.size());
        boolean binary = format == InsertFormat.ROW_BINARY;
        assertThat(gauges(job.getJobID(), "rowBinary"))
                .contains(binary ? 1 : 0)
                .doesNotContain(binary ? 0 : 1);
    }

    /**
     * Every table of the migrations, its rows written once as RowBinary and once as text VALUES
     * into twins of it, reads back as the values rendered here by hand: empty and unicode strings,
     * nulls, the extremes of each integer type, timestamps at second boundaries.
     */
    @Test
    void everyTableReadsBackWhatWasWrittenAsRowBinaryAndAsText(Endpoints endpoints)
            throws Exception {
        StackSchema.migrator(endpoints, line -> {}).apply();
        ClickHouseHttp admin = admin(endpoints);
        List<String> tables =
                admin
                        .rows(
                                "SELECT name FROM system.tables WHERE database = 'pulse' AND"
                                        + " engine LIKE '%MergeTree' AND name NOT LIKE 'it\\_%'"
                                        + " AND name NOT LIKE 'rt\\_%' ORDER BY name")
                        .stream()
                        .map(r -> r.get(0))
                        .toList();
        assertThat(tables).contains("learning_events", "institution_ledger", "dead_letters");
        for (String name : tables) {
            List<List<String>> described = admin.rows("DESCRIBE TABLE pulse." + name);
            List<String> columns = new ArrayList<>();
            List<String> types = new ArrayList<>();
            for (List<String> column : described) {
                if (column.get(2).isEmpty() || column.get(2).equals("DEFAULT")) {
                    columns.add(column.get(0));
                    types.add(column.get(1));
                }
            }
            List<Object[]> rows = new ArrayList<>();
            List<String> expected = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                Object[] row = new Object[columns.size()];
                StringBuilder line = new StringBuilder();
                for (int c = 0; c < columns.size(); c++) {
                    row[c] = EdgeValues.value(types.get(c), r, name);
                    line.append(c == 0 ? "" : "\t").append(EdgeValues.tsv(types.get(c), row[c]));
                }
                rows.add(row);
                expected.add(line.toString());
            }
            for (InsertFormat format : InsertFormat.values()) {
                String twin = "rt_" + (format == InsertFormat.ROW_BINARY ? "rb_" : "tx_") + name;
                Migration.split(
                                Migration.substitute(
                                        Migration.resource("clickhouse-it/twin_table.sql"),
                                        Map.of("TWIN", twin, "TABLE", name)))
                        .forEach(admin::execute);
                ClickHouseTable<Object[]> target =
                        new ClickHouseTable<>("pulse." + twin, columns, row -> row);
                try (RowInserter inserter =
                        new RowInserter(
                                settings(endpoints).withInsertFormat(format), target, () -> {})) {
                    RowInserter.Outcome outcome = inserter.insert(rows);
                    assertThat(outcome.deadLettered()).as(twin).isZero();
                    assertThat(outcome.written()).as(twin).isEqualTo(3);
                    assertThat(inserter.writesRowBinary())
                            .as(twin + " written as RowBinary")
                            .isEqualTo(format == InsertFormat.ROW_BINARY);
                }
                String body =
                        admin.query(
                                "SELECT " + String.join(", ", columns) + " FROM pulse." + twin,
                                "TabSeparated");
                assertThat(body.lines().sorted().toList())
                        .as("%s read back", twin)
                        .isEqualTo(expected.stream().sorted().toList());
                admin.execute("DROP TABLE pulse." + twin);
            }
        }
    }

    @Test
    void aTableWithATypeRowBinaryIsNotWrittenForFallsBackToText(Endpoints endpoints)
            throws Exception {
        StackSchema.migrator(endpoints, line -> {}).apply();
        String ddl =
                Migration.substitute(
                        Migration.resource("clickhouse-it/sink_table_uuid.sql"),
                        Map.of("TABLE", "it_sink_uuid"));
        Migration.split(ddl).forEach(admin(endpoints)::execute);
        ClickHouseTable<Object[]> table =
                new ClickHouseTable<>(
                        "pulse.it_sink_uuid", List.of("id", "ref", "payload", "version"), r -> r);
        try (RowInserter inserter = new RowInserter(settings(endpoints), table, () -> {})) {
            RowInserter.Outcome outcome =
                    inserter.insert(
                            List.of(
                                    new Object[] {
                                        1L, "61f0c404-5cb3-11e7-907b-a6006ad3dba0", "学习", 1L
                                    },
                                    new Object[] {
                                        2L, "00000000-0000-0000-0000-000000000000", "", 1L
                                    }));
            assertThat(outcome.written()).isEqualTo(2);
            assertThat(inserter.writesRowBinary()).isFalse();
        }
        assertThat(
                        admin(endpoints)
                                .query(
                                        "SELECT id, ref, payload FROM pulse.it_sink_uuid FINAL"
                                                + " ORDER BY id",
                                        "TabSeparated"))
                .isEqualTo(
                        "1\t61f0c404-5cb3-11e7-907b-a6006ad3dba0\t学习\n"
                                + "2\t00000000-0000-0000-0000-000000000000\t\n");
    }

    /** Fails each subtask once, after a checkpoint has completed, on its first attempt only. */
    static final class FailOnceAfterACheckpoint extends RichMapFunction<Long, Long>
            implements CheckpointListener {

        private transient boolean checkpointed;
        private transient long afterCheckpoint;

        @Override
        public Long map(Long value) {
            if (checkpointed
                    && getRuntimeContext().getTaskInfo().getAttemptNumber() == 0
                    && ++afterCheckpoint == 500) {
                INJECTED_FAILURES.incrementAndGet();
                throw new IllegalStateException("injected failure after a checkpoint");
            }
            return value;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            checkpointed = true;
        }
    }

    private static StreamExecutionEnvironment environment(long checkpointMillis) {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
        env.setParallelism(Flink.PARALLELISM);
        env.enableCheckpointing(checkpointMillis);
        return env;
    }

    private static DataStream<Long> paced(StreamExecutionEnvironment env, long n, int perSecond) {
        DataGeneratorSource<Long> source =
                new DataGeneratorSource<>(
                        index -> index + 1,
                        n,
                        RateLimiterStrategy.perSecond(perSecond),
                        Types.LONG);
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "paced numbers")
                .uid("paced-numbers");
    }

    /** Which district a test row gets; an unknown one makes ClickHouse reject the row. */
    interface DistrictOf extends java.io.Serializable {
        String of(long id);
    }

    private static ClickHouseTable<Long> rows(String table, DistrictOf district) {
        return new ClickHouseTable<>(
                table,
                List.of("id", "payload", "district", "version"),
                id -> new Object[] {id, "row-" + id, district.of(id), 1L});
    }

    private static ClickHouseSinkOptions.Settings settings(Endpoints endpoints) {
        ClickHouseAccounts.Account writer = endpoints.accounts().writer();
        return new ClickHouseSinkOptions.Settings(
                endpoints.clickHouseUrl(),
                writer.user(),
                writer.password(),
                2_000,
                Duration.ofMillis(200),
                40,
                Duration.ofMillis(100),
                Duration.ofSeconds(2),
                "pulse.dead_letters",
                "sink-it");
    }

    private static String prepare(Endpoints endpoints, String name) {
        ClickHouseAccounts accounts = endpoints.accounts();
        StackSchema.migrator(endpoints, line -> {}).apply();
        String ddl =
                Migration.substitute(
                        Migration.resource("clickhouse-it/sink_table.sql"), Map.of("TABLE", name));
        Migration.split(ddl).forEach(admin(endpoints)::execute);
        return "pulse." + name;
    }

    private static void assertExactly(Endpoints endpoints, String table, long n) {
        ClickHouseHttp admin = admin(endpoints);
        List<String> stats =
                admin.rows(
                                "SELECT count(), uniqExact(id), sum(id), min(id), max(id)"
                                        + " FROM "
                                        + table
                                        + " FINAL")
                        .get(0);
        assertThat(stats)
                .containsExactly(
                        Long.toString(n),
                        Long.toString(n),
                        Long.toString(n * (n + 1) / 2),
                        "1",
                        Long.toString(n));
    }

    private static long count(Endpoints endpoints, String sql) {
        return Long.parseLong(admin(endpoints).scalar(sql));
    }

    private static long counter(JobID job, String name) {
        long total = 0;
        for (Metric metric : METRICS.findMetrics(job, name).values()) {
            if (metric instanceof Counter counter) {
                total += counter.getCount();
            }
        }
        return total;
    }

    private static List<Integer> gauges(JobID job, String name) {
        List<Integer> values = new ArrayList<>();
        for (Metric metric : METRICS.findMetrics(job, name).values()) {
            if (metric instanceof Gauge<?> gauge) {
                values.add(((Number) gauge.getValue()).intValue());
            }
        }
        return values;
    }

    private static ClickHouseHttp admin(Endpoints endpoints) {
        ClickHouseAccounts.Account admin = endpoints.accounts().admin();
        return new ClickHouseHttp(endpoints.clickHouseUrl(), admin.user(), admin.password());
    }
}
