package org.lifelongpulse.cli.web;

/**
 * A request the dashboards server refuses with 400: an unknown parameter, variable value or time.
 * The message says what was wrong and is shown to the person as it is.
 */
public final class BadRequest extends RuntimeException {

    public BadRequest(String message) {
        super(message);
    }
}
