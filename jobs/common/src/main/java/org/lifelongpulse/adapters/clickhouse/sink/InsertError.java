package org.lifelongpulse.adapters.clickhouse.sink;

import com.clickhouse.client.api.ServerException;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a failed insert means for the rows in it. */
enum InsertError {
    /** Worth retrying as is: the server was unreachable, overloaded or timed out. */
    TRANSIENT,
    /** Retrying cannot help and the rows are not to blame: wrong table, account or rights. */
    FATAL,
    /** The server refused the data itself: some row in the batch is invalid. */
    REJECTED_DATA;

    /** ClickHouse error codes of temporary conditions. */
    private static final Set<Integer> TRANSIENT_CODES =
            Set.of(
                    159, // TIMEOUT_EXCEEDED
                    202, // TOO_MANY_SIMULTANEOUS_QUERIES
                    209, // SOCKET_TIMEOUT
                    210, // NETWORK_ERROR
                    241, // MEMORY_LIMIT_EXCEEDED
                    242, // TABLE_IS_READ_ONLY (replica lost its keeper session)
                    252, // TOO_MANY_PARTS
                    285, // TOO_FEW_LIVE_REPLICAS
                    319, // UNKNOWN_STATUS_OF_INSERT
                    425, // SYSTEM_ERROR
                    999); // KEEPER_EXCEPTION

    /** ClickHouse error codes that no retry or bisection can fix. */
    private static final Set<Integer> FATAL_CODES =
            Set.of(
                    16, // NO_SUCH_COLUMN_IN_TABLE
                    60, // UNKNOWN_TABLE
                    81, // UNKNOWN_DATABASE
                    164, // READONLY
                    192, // UNKNOWN_USER
                    193, // WRONG_PASSWORD
                    194, // REQUIRED_PASSWORD
                    291, // DATABASE_ACCESS_DENIED
                    497, // ACCESS_DENIED
                    516); // AUTHENTICATION_FAILED

    /** ClickHouse's UNKNOWN_FORMAT; FORMAT_IS_NOT_SUITABLE_FOR_INPUT is known by its message. */
    private static final int UNKNOWN_FORMAT = 73;

    private static final Pattern CODE = Pattern.compile("Code: (\\d+)");

    /** What a failed insert means: JDBC's SQLException or the client's own exceptions. */
    static InsertError classify(Throwable e) {
        ServerException server = server(e);
        if (server == null) {
            // No answer from the server: connection refused or reset, DNS, TLS, a client timeout.
            return TRANSIENT;
        }
        int code = code(server);
        if (TRANSIENT_CODES.contains(code) || server.getTransportProtocolCode() == 503) {
            return TRANSIENT;
        }
        return FATAL_CODES.contains(code) ? FATAL : REJECTED_DATA;
    }

    /** True when the server does not know the insert's format or cannot read it as input. */
    static boolean isUnsupportedFormat(Throwable e) {
        ServerException server = server(e);
        if (server == null) {
            return false;
        }
        String message = String.valueOf(server.getMessage());
        return code(server) == UNKNOWN_FORMAT
                || message.contains("Unknown format")
                || message.contains("not suitable for input");
    }

    private static ServerException server(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ServerException server) {
                return server;
            }
        }
        return null;
    }

    /**
     * The server's error code. Servers that send no {@code X-ClickHouse-Exception-Code} header
     * (18.16) leave the client's code at 0: the message then starts with {@code Code: n}.
     */
    static int code(ServerException server) {
        if (server.getCode() != 0 || server.getMessage() == null) {
            return server.getCode();
        }
        Matcher m = CODE.matcher(server.getMessage());
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }
}
