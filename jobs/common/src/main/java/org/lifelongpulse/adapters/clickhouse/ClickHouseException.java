package org.lifelongpulse.adapters.clickhouse;

/** ClickHouse refused a request or could not be reached; carries the server's own message. */
public class ClickHouseException extends RuntimeException {

    private final int status;

    public ClickHouseException(String message, int status) {
        super(tidy(message));
        this.status = status;
    }

    public ClickHouseException(String message, Throwable cause) {
        super(message, cause);
        this.status = -1;
    }

    /** Drops the C++ exception boilerplate older servers append to their messages. */
    private static String tidy(String message) {
        return message.replace(", e.what() = DB::Exception", "")
                .replace("e.displayText() = DB::Exception: ", "");
    }

    /** HTTP status, or -1 when the server was not reached. */
    public int status() {
        return status;
    }

    /** True when the server was not reached or answered that it is overloaded. */
    public boolean isTransient() {
        return status == -1 || status == 503 || status == 502 || status == 504;
    }
}
