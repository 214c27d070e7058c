package org.lifelongpulse.adapters.clickhouse.sink;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.client.api.query.QueryResponse;
import com.clickhouse.data.ClickHouseFormat;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Inserts batches of rows, one INSERT per batch, retrying transient errors with backoff, isolating
 * rejected rows by bisection and sending them to the dead-letter table with the server's message.
 * Gives up by throwing, so that the job restarts from its last checkpoint rather than losing rows.
 *
 * <p>Rows travel as RowBinary ({@code INSERT INTO t (cols) FORMAT RowBinary} through the ClickHouse
 * Java client, encoded straight into the request body) when the server and the table's column types
 * allow it, decided once per table at the first insert; otherwise as the JDBC driver's text {@code
 * INSERT … VALUES}. A row RowBinary cannot carry (an unknown enum name, a number out of range, a
 * null outside Nullable) is found before the request and dead-lettered like a row the server
 * rejects.
 */
final class RowInserter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RowInserter.class);

    /** What happened to one batch. */
    record Outcome(int written, int deadLettered, int retries) {}

    /** A batch that failed for a reason worth retrying. */
    private static final class TransientFailure extends Exception {
        TransientFailure(Throwable cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** How one table's rows travel; decided at its first insert. */
    private enum Path {
        UNDECIDED,
        ROW_BINARY,
        VALUES
    }

    /** A table written to: the rows' table or the dead-letter table. */
    private static final class Target {
        final String table;
        final List<String> columns;
        final String insertSql;
        Path path;
        RowBinaryTable rowBinary;

        Target(ClickHouseTable<?> table, Path path) {
            this.table = table.table();
            this.columns = table.columns();
            this.insertSql = table.insertSql();
            this.path = path;
        }
    }

    private final ClickHouseSinkOptions.Settings settings;
    private final Target data;

    /** The configured dead-letter table, with the columns of {@link CommonTables}. */
    private final Target letters;

    private final String table;
    private final Backoff backoff;
    private final Runnable onRetry;
    private final RowBinaryOutput output = new RowBinaryOutput();
    private Connection connection;
    private Client client;
    private int deadLettered;

    /** {@code onRetry} runs before each retry, for the retry metric. */
    RowInserter(
            ClickHouseSinkOptions.Settings settings, ClickHouseTable<?> table, Runnable onRetry) {
        this.settings = settings;
        this.onRetry = onRetry;
        Path first =
                settings.insertFormat() == ClickHouseSinkOptions.InsertFormat.VALUES
                        ? Path.VALUES
                        : Path.UNDECIDED;
        this.data = new Target(table, first);
        this.letters =
                new Target(
                        CommonTables.deadLetters(settings.deadLetterTable(), settings.job()),
                        first);
        this.table = table.table();
        this.backoff = new Backoff(settings.initialBackoff(), settings.maxBackoff());
    }

    /** True once this table's rows are sent as RowBinary (false before the first insert). */
    boolean writesRowBinary() {
        return data.path == Path.ROW_BINARY;
    }

    /** True before the first insert has chosen how this table's rows travel. */
    boolean undecided() {
        return data.path == Path.UNDECIDED;
    }

    /** Writes every row or throws; rows the server rejects go to the dead letters. */
    Outcome insert(List<Object[]> rows) throws IOException, InterruptedException {
        deadLettered = 0;
        long started = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            try {
                insertIsolatingRejects(writable(rows));
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

    /**
     * The rows to send: all of them for a text insert; for RowBinary those it can carry, after
     * dead-lettering the others with the reason.
     */
    private List<Object[]> writable(List<Object[]> batch) throws TransientFailure, IOException {
        decide(data);
        if (data.path != Path.ROW_BINARY) {
            return batch;
        }
        List<Object[]> good = null;
        for (int i = 0; i < batch.size(); i++) {
            String problem = data.rowBinary.problem(batch.get(i));
            if (problem != null && good == null) {
                good = new ArrayList<>(batch.subList(0, i));
            }
            if (problem != null) {
                deadLetter(
                        batch.get(i), problem + " (found by the sink before a RowBinary insert)");
            } else if (good != null) {
                good.add(batch.get(i));
            }
        }
        return good == null ? batch : good;
    }

    private void insertIsolatingRejects(List<Object[]> rows) throws TransientFailure, IOException {
        if (rows.isEmpty()) {
            return;
        }
        try {
            send(data, rows);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while inserting into " + table);
        } catch (Exception e) {
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

    /**
     * Chooses how {@code target}'s rows travel, once: RowBinary when every column's type has a
     * RowBinary writer ({@code DESCRIBE TABLE} through the writer's own account), else text.
     */
    private void decide(Target target) throws TransientFailure {
        if (target.path != Path.UNDECIDED) {
            return;
        }
        String describe;
        try (QueryResponse response =
                client().query("DESCRIBE TABLE " + target.table + " FORMAT TabSeparated").get()) {
            describe = new String(response.getInputStream().readAllBytes(), UTF_8);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientFailure(e);
        } catch (Exception e) {
            if (InsertError.classify(unwrapped(e)) == InsertError.TRANSIENT) {
                throw new TransientFailure(unwrapped(e));
            }
            LOG.warn(
                    "cannot read the columns of {} ({}); writing it as text VALUES",
                    target.table,
                    unwrapped(e).getMessage());
            target.path = Path.VALUES;
            return;
        }
        Optional<RowBinaryTable> binary = RowBinaryTable.of(target.columns, describe);
        if (binary.isPresent()) {
            target.rowBinary = binary.get();
            target.path = Path.ROW_BINARY;
            LOG.info("writing {} as RowBinary", target.table);
        } else {
            target.path = Path.VALUES;
            LOG.info(
                    "writing {} as text VALUES: no RowBinary writer for column {}",
                    target.table,
                    RowBinaryTable.uncovered(target.columns, describe));
        }
    }

    /** One INSERT of {@code batch} into {@code target}, the way its rows travel. */
    private void send(Target target, List<Object[]> batch) throws Exception {
        if (target.path == Path.ROW_BINARY) {
            try {
                sendRowBinary(target, batch);
                return;
            } catch (Exception e) {
                if (!InsertError.isUnsupportedFormat(e)) {
                    throw e;
                }
                LOG.warn(
                        "the server does not accept RowBinary inserts into {} ({}); writing text"
                                + " VALUES from now on",
                        target.table,
                        e.getMessage());
                target.path = Path.VALUES;
            }
        }
        executeBatch(target.insertSql, batch);
    }

    private void sendRowBinary(Target target, List<Object[]> batch) throws Exception {
        try {
            client().insert(
                            target.table,
                            target.rowBinary.columns(),
                            body -> {
                                output.start(body);
                                target.rowBinary.write(batch, output);
                                output.finish();
                            },
                            ClickHouseFormat.RowBinary,
                            new InsertSettings())
                    .get()
                    .close();
        } catch (ExecutionException e) {
            throw unwrapped(e) instanceof Exception cause ? cause : e;
        }
    }

    private static Throwable unwrapped(Throwable e) {
        return e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
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
            decide(letters);
            String problem = letters.rowBinary == null ? null : letters.rowBinary.problem(letter);
            if (problem != null) {
                throw new IOException(
                        "cannot write a dead letter into "
                                + settings.deadLetterTable()
                                + ": "
                                + problem);
            }
            send(letters, List.<Object[]>of(letter));
            deadLettered++;
        } catch (IOException | TransientFailure e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while dead-lettering a row of " + table);
        } catch (Exception e) {
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

    /**
     * The ClickHouse Java client for RowBinary inserts, with the JDBC connection's endpoint and
     * account. It retries nothing itself: attempts and backoff are this class's. Responses come
     * uncompressed: 18.16's compressed answers read as empty through this client.
     */
    private Client client() {
        if (client == null) {
            client =
                    new Client.Builder()
                            .addEndpoint(settings.httpUrl())
                            .setUsername(settings.user())
                            .setPassword(settings.password())
                            .compressServerResponse(false)
                            .setMaxRetries(0)
                            .build();
        }
        return client;
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
        if (client != null) {
            try {
                client.close();
            } catch (RuntimeException e) {
                LOG.debug("closing the ClickHouse client", e);
            }
            client = null;
        }
    }
}
