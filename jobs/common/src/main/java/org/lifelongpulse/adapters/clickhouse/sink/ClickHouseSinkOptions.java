package org.lifelongpulse.adapters.clickhouse.sink;

import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.lifelongpulse.jobs.JobSecrets;

/** The ClickHouse sink's options, typed and documented; parsed once into {@link Settings}. */
public final class ClickHouseSinkOptions {

    public static final ConfigOption<String> URL =
            ConfigOptions.key("clickhouse.url")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "ClickHouse HTTP(S) base URL, e.g. http://127.0.0.1:8123 or"
                                + " https://ch.example:8443. Falls back to $PULSE_CLICKHOUSE_URL.");

    public static final ConfigOption<String> USER =
            ConfigOptions.key("clickhouse.user")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Writer account. Falls back to $PULSE_CH_WRITER_USER, then"
                                    + " pulse_writer.");

    /** Writer password: required, from $PULSE_CH_WRITER_PASSWORD or this option. */
    public static final ConfigOption<String> PASSWORD = JobSecrets.WRITER_PASSWORD;

    public static final ConfigOption<Integer> BATCH_ROWS =
            ConfigOptions.key("clickhouse.sink.batch-rows")
                    .intType()
                    .defaultValue(100_000)
                    .withDescription(
                            "Rows buffered per table before an insert. ClickHouse"
                                    + " prefers few large inserts (thousands of rows, about one per"
                                    + " second per table) to many small ones.");

    public static final ConfigOption<Duration> FLUSH_INTERVAL =
            ConfigOptions.key("clickhouse.sink.flush-interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(1))
                    .withDescription(
                            "Longest time a row waits in the buffer. Every checkpoint"
                                    + " and the end of input also flush.");

    public static final ConfigOption<Integer> MAX_ATTEMPTS =
            ConfigOptions.key("clickhouse.sink.retry.max-attempts")
                    .intType()
                    .defaultValue(12)
                    .withDescription(
                            "Attempts per batch for transient errors (connection"
                                    + " refused, timeouts, too many parts) before the job fails and"
                                    + " restarts from its last checkpoint.");

    public static final ConfigOption<Duration> INITIAL_BACKOFF =
            ConfigOptions.key("clickhouse.sink.retry.initial-backoff")
                    .durationType()
                    .defaultValue(Duration.ofMillis(200))
                    .withDescription(
                            "Backoff before the first retry; doubles per attempt, with"
                                    + " full jitter.");

    public static final ConfigOption<Duration> MAX_BACKOFF =
            ConfigOptions.key("clickhouse.sink.retry.max-backoff")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(30))
                    .withDescription("Upper bound of one backoff.");

    public static final ConfigOption<String> DEAD_LETTER_TABLE =
            ConfigOptions.key("clickhouse.sink.dead-letter-table")
                    .stringType()
                    .defaultValue("pulse.dead_letters")
                    .withDescription(
                            "Where rows the server rejects as invalid go, with the"
                                    + " server's message.");

    /** How rows travel to ClickHouse. */
    public enum InsertFormat {
        /**
         * ClickHouse's RowBinary, encoded straight into the request body; a writer falls back to
         * {@link #VALUES} by itself for a table with a column type it does not encode, or when the
         * server does not accept the format.
         */
        ROW_BINARY,
        /** The JDBC driver's text {@code INSERT … VALUES}. */
        VALUES
    }

    public static final ConfigOption<InsertFormat> INSERT_FORMAT =
            ConfigOptions.key("clickhouse.sink.insert-format")
                    .enumType(InsertFormat.class)
                    .defaultValue(InsertFormat.ROW_BINARY)
                    .withDescription(
                            "ROW_BINARY: rows in ClickHouse's binary row format, falling back to"
                                    + " VALUES by itself where the server or a column type needs"
                                    + " it. VALUES: the JDBC driver's text inserts.");

    private ClickHouseSinkOptions() {}

    /** The parsed options. */
    public record Settings(
            String url,
            String user,
            String password,
            int batchRows,
            Duration flushInterval,
            int maxAttempts,
            Duration initialBackoff,
            Duration maxBackoff,
            String deadLetterTable,
            String job,
            InsertFormat insertFormat)
            implements Serializable {

        /** Settings writing RowBinary where it can ({@link InsertFormat#ROW_BINARY}). */
        public Settings(
                String url,
                String user,
                String password,
                int batchRows,
                Duration flushInterval,
                int maxAttempts,
                Duration initialBackoff,
                Duration maxBackoff,
                String deadLetterTable,
                String job) {
            this(
                    url,
                    user,
                    password,
                    batchRows,
                    flushInterval,
                    maxAttempts,
                    initialBackoff,
                    maxBackoff,
                    deadLetterTable,
                    job,
                    InsertFormat.ROW_BINARY);
        }

        public Settings {
            if (insertFormat == null) {
                insertFormat = InsertFormat.ROW_BINARY;
            }
            if (url == null || url.isBlank()) {
                throw new IllegalArgumentException(
                        "no ClickHouse URL: set " + URL.key() + " or PULSE_CLICKHOUSE_URL");
            }
            if (batchRows < 1 || maxAttempts < 1) {
                throw new IllegalArgumentException("batch rows and attempts must be positive");
            }
        }

        /** The JDBC URL for the driver: {@code jdbc:clickhouse:http(s)://host:port}. */
        public String jdbcUrl() {
            return url.startsWith("jdbc:") ? url : "jdbc:clickhouse:" + url;
        }

        /** The HTTP(S) endpoint for the client: {@code http(s)://host:port}, no JDBC prefix. */
        public String httpUrl() {
            int scheme = url.indexOf("http");
            return url.startsWith("jdbc:") && scheme > 0 ? url.substring(scheme) : url;
        }

        @Override
        public String toString() {
            return "Settings[url="
                    + url
                    + ", user="
                    + user
                    + ", password=(hidden), batchRows="
                    + batchRows
                    + ", flushInterval="
                    + flushInterval
                    + ", maxAttempts="
                    + maxAttempts
                    + ", insertFormat="
                    + insertFormat
                    + "]";
        }

        public Settings withBatchRows(int rows) {
            return new Settings(
                    url,
                    user,
                    password,
                    rows,
                    flushInterval,
                    maxAttempts,
                    initialBackoff,
                    maxBackoff,
                    deadLetterTable,
                    job,
                    insertFormat);
        }

        public Settings withFlushInterval(Duration interval) {
            return new Settings(
                    url,
                    user,
                    password,
                    batchRows,
                    interval,
                    maxAttempts,
                    initialBackoff,
                    maxBackoff,
                    deadLetterTable,
                    job,
                    insertFormat);
        }

        public Settings withRetries(int attempts, Duration initial, Duration max) {
            return new Settings(
                    url,
                    user,
                    password,
                    batchRows,
                    flushInterval,
                    attempts,
                    initial,
                    max,
                    deadLetterTable,
                    job,
                    insertFormat);
        }

        /** The same settings with rows sent as {@code format}. */
        public Settings withInsertFormat(InsertFormat format) {
            return new Settings(
                    url,
                    user,
                    password,
                    batchRows,
                    flushInterval,
                    maxAttempts,
                    initialBackoff,
                    maxBackoff,
                    deadLetterTable,
                    job,
                    format);
        }
    }

    /** Reads the options, with the environment as the fallback for endpoint and account. */
    public static Settings settings(ReadableConfig config, String job) {
        return new Settings(
                config.getOptional(URL).orElse(System.getenv("PULSE_CLICKHOUSE_URL")),
                config.getOptional(USER).orElse(envOr("PULSE_CH_WRITER_USER", "pulse_writer")),
                JobSecrets.writerPassword(config),
                config.get(BATCH_ROWS),
                config.get(FLUSH_INTERVAL),
                config.get(MAX_ATTEMPTS),
                config.get(INITIAL_BACKOFF),
                config.get(MAX_BACKOFF),
                config.get(DEAD_LETTER_TABLE),
                job,
                config.get(INSERT_FORMAT));
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
