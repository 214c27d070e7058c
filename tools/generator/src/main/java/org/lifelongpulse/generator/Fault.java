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
    /**
     * Valid, arriving right after a newer event on its partition has moved the partition's clock
     * past the end of its minute, but within the allowed lateness: counted, and its minute fires
     * again wherever the job's watermark had already closed it.
     */
    LATE_WITHIN,
    /**
     * Valid, arriving when its partition's clock stands exactly at the last millisecond that still
     * admits it (the newest event on the partition is B + L after its minute's last millisecond):
     * counted.
     */
    AT_LATENESS_EDGE,
    /** As {@link #AT_LATENESS_EDGE}, one millisecond later: dropped as late. */
    PAST_LATENESS_EDGE,
    /** Bytes that are not Avro single-object encoding. */
    GARBAGE,
    /** Well-encoded Avro with values the contract forbids (negative, empty id). */
    INVALID;

    /** Whether the jobs drop the event as too late for its window (it goes to late events). */
    public boolean droppedAsLate() {
        return this == TOO_LATE || this == PAST_LATENESS_EDGE;
    }

    /** Whether the event arrives behind its partition's clock, past its minute's end. */
    public boolean behindTheClock() {
        return this == LATE_WITHIN || this == AT_LATENESS_EDGE || this == PAST_LATENESS_EDGE;
    }

    public boolean malformed() {
        return this == GARBAGE || this == INVALID;
    }
}
