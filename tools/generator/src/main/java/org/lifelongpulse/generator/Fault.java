package org.lifelongpulse.generator;

/** How a message deviates from a clean, in-order stream. */
public enum Fault {
    /** Valid and on time. */
    NONE,
    /** An exact resend (same id and payload) of an earlier message, a few seconds later. */
    DUPLICATE,
    /** Valid, arriving at most B/2 of event time behind the stream's maximum. */
    OUT_OF_ORDER,
    /** Valid, arriving at least 30 minutes of event time behind every partition's maximum. */
    TOO_LATE,
    /** Bytes that are not Avro single-object encoding. */
    GARBAGE,
    /** Well-encoded Avro with values the contract forbids (negative, empty id). */
    INVALID;

    public boolean malformed() {
        return this == GARBAGE || this == INVALID;
    }
}
