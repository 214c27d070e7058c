package org.lifelongpulse.adapters.clickhouse.sink;

import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Inserts batches of rows through the ClickHouse JDBC driver (one multi-row INSERT per batch),
 * retrying transient errors with backoff, isolating rejected rows by bisection and sending them to
 * the dead-letter table with the server's message. Gives up by throwing, so that the job restarts
 * from its last checkpoint rather than losing rows.
 */
final class RowInserter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RowInserter.class);

    /** What happened to one batch. */
    record Outcome(int written, int deadLettered, int retries) {}

    /** A batch that failed for a reason worth retrying. */
    private static final class TransientFailure extends Exception {
        TransientFailure(SQLException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private final ClickHouseSinkOptions.Settings settings;
    private final String insertSql;

    /** Into the configured dead-letter table, with the columns of {@link CommonTables}. */
    private final String deadLetterInsert;

    private final String table;
    private final Backoff backoff;
    private final Runnable onRetry;
    private Connection connection;
    private int deadLettered;

    /** {@code onRetry} runs before each retry, for the retry metric. */
    RowInserter(
            ClickHouseSinkOptions.Settings settings, ClickHouseTable<?> table, Runnable onRetry) {
        this.settings = settings;
        this.onRetry = onRetry;
        this.insertSql = table.insertSql();
        this.deadLetterInsert =
                CommonTables.deadLetters(settings.deadLetterTable(), settings.job()).insertSql();
        this.table = table.table();
        this.backoff = new Backoff(settings.initialBackoff(), settings.maxBackoff());
    }

    /** Writes every row or throws; rows the server rejects go to the dead letters. */
    Outcome insert(List<Object[]> rows) throws IOException, InterruptedException {
        deadLettered = 0;
        long started = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            try {
                insertIsolatingRejects(rows);
                return new Outcome(rows.size() - deadLettered, deadLettered, attempt - 1);
            } catch (TransientFailure e) {
                closeConnection();
                if (attempt >= settings.maxAttempts()) {
                    throw new IOException(
                            String.format(
                                    "ClickHouse insert into %s failed %d times over %d s; giving up"
                                            + " so the job restarts from its last checkpoint. Last"
                                            + " error: %s",
                                    table,
                                    attempt,
                                    (System.nanoTime() - started) / 1_000_000_000L,
                                    e.getMessage()),
                            e);
                }
                var wait = backoff.before(attempt);
                LOG.warn(
                        "insert of {} rows into {} failed (attempt {}/{}), retrying in {} ms: {}",
                        rows.size(),
                        table,
                        attempt,
                        settings.maxAttempts(),
                        wait.toMillis(),
                        e.getMessage());
                deadLettered = 0;
                onRetry.run();
                Thread.sleep(wait.toMillis());
            }
        }
    }

    private void insertIsolatingRejects(List<Object[]> rows) throws TransientFailure, IOException {
        try {
            executeBatch(insertSql, rows);
        } catch (SQLException e) {
            switch (InsertError.classify(e)) {
                case TRANSIENT -> throw new TransientFailure(e);
                case FATAL ->
                        throw new IOException(
                                "ClickHouse refused inserts into "
                                        + table
                                        + " for a reason no retry can fix: "
                                        + e.getMessage(),
                                e);
                case REJECTED_DATA -> {
                    if (rows.size() == 1) {
                        deadLetter(rows.get(0), e.getMessage());
                    } else {
                        // Only part of the batch is to blame: find it by halves. Rows written
                        // twice on the way are replaced by the tables' ReplacingMergeTree keys.
                        int half = rows.size() / 2;
                        insertIsolatingRejects(rows.subList(0, half));
                        insertIsolatingRejects(rows.subList(half, rows.size()));
                    }
                }
                default -> throw new IllegalStateException();
            }
        }
    }

    private void deadLetter(Object[] row, String serverMessage)
            throws TransientFailure, IOException {
        String raw = Rows.toJson(row);
        LOG.warn(
                "ClickHouse rejected a row for {}; it goes to {}: {}",
                table,
                settings.deadLetterTable(),
                serverMessage);
        // in CommonTables.DEAD_LETTER_COLUMNS order
        Object[] letter = {
            table,
            -1,
            -1L,
            "sink",
            trimmed(serverMessage),
            raw,
            "BYTES",
            Instant.now(),
            settings.job(),
            System.currentTimeMillis()
        };
        try {
            executeBatch(deadLetterInsert, List.<Object[]>of(letter));
            deadLettered++;
        } catch (SQLException e) {
            if (InsertError.classify(e) == InsertError.TRANSIENT) {
                throw new TransientFailure(e);
            }
            throw new IOException(
                    "could not dead-letter a rejected row of "
                            + table
                            + " into "
                            + settings.deadLetterTable()
                            + ": "
                            + e.getMessage(),
                    e);
        }
    }

    private void executeBatch(String sql, List<Object[]> rows) throws SQLException {
        try (PreparedStatement statement = connection().prepareStatement(sql)) {
            // Values are bound, never spliced: JDBC escapes ({d '...'}) in them must stay text,
            // and the driver's escape pass is a set of regexes over the whole batch's SQL.
            statement.setEscapeProcessing(false);
            for (Object[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    bind(statement, i + 1, row[i]);
                }
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    private static void bind(PreparedStatement statement, int index, Object value)
            throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.NULL);
        } else if (value instanceof String s) {
            statement.setString(index, s);
        } else if (value instanceof Long
                || value instanceof Integer
                || value instanceof Short
                || value instanceof Byte) {
            statement.setLong(index, ((Number) value).longValue());
        } else if (value instanceof Double || value instanceof Float) {
            statement.setDouble(index, ((Number) value).doubleValue());
        } else if (value instanceof BigDecimal d) {
            statement.setBigDecimal(index, d);
        } else if (value instanceof Boolean b) {
            statement.setInt(index, b ? 1 : 0);
        } else if (value instanceof java.util.List<?> list) {
            statement.setObject(index, list); // an Array column
        } else if (value instanceof Instant instant) {
            // java.sql.Timestamp is bound as DateTime64 functions that ClickHouse 18.16 lacks.
            statement.setLong(index, instant.getEpochSecond());
        } else {
            statement.setString(index, value.toString());
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            Properties props = new Properties();
            props.put("user", settings.user());
            props.put("password", settings.password());
            connection = DriverManager.getConnection(settings.jdbcUrl(), props);
        }
        return connection;
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException | RuntimeException e) {
                LOG.debug("closing a failed connection", e);
            }
            connection = null;
        }
    }

    private static String trimmed(String message) {
        String tidy =
                message == null
                        ? "(no message)"
                        : message.replace(", e.what() = DB::Exception", "")
                                .replace("e.displayText() = DB::Exception: ", "");
        return tidy.length() > 2000 ? tidy.substring(0, 2000) + "…" : tidy;
    }

    @Override
    public void close() {
        closeConnection();
    }
}
