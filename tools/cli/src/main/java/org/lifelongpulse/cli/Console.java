package org.lifelongpulse.cli;

/** Progress and errors go to stderr, so that stdout carries only data (JSON lines, TSV). */
final class Console {

    private static volatile java.io.PrintWriter err = new java.io.PrintWriter(System.err, true);

    private Console() {}

    /** Where progress and errors go; the command line's own error writer. */
    static void use(java.io.PrintWriter writer) {
        err = writer;
    }

    static void progress(String line) {
        err.println("pulse: " + line);
        err.flush();
    }

    static void error(String line) {
        err.println("pulse: error: " + line);
        err.flush();
    }

    /** Failures whose message says everything: bad input, no stack, a server's refusal. */
    static boolean isExpected(Throwable e) {
        return e instanceof IllegalArgumentException
                || e instanceof IllegalStateException
                || e instanceof org.lifelongpulse.stack.StackException
                || e instanceof org.lifelongpulse.adapters.clickhouse.ClickHouseException;
    }

    /** A one-line account of an exception and its causes, without the stack trace. */
    static String describe(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (text.indexOf(message) < 0) {
                if (!text.isEmpty()) {
                    text.append("\n  caused by: ");
                }
                text.append(message);
            }
        }
        return text.toString();
    }
}
