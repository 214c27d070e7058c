package org.lifelongpulse.contracts;

/** A JSON line that is not a valid record of its contract; the message names the field. */
public class JsonFormException extends Exception {

    public JsonFormException(String message) {
        super(message);
    }
}
