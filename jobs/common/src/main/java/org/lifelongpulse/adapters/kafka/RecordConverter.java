package org.lifelongpulse.adapters.kafka;

import java.io.Serializable;

/**
 * Turns a decoded contract record, with the position of the message it came from, into the job's
 * own event type (for instance replacing a person's id with its keyed hash).
 */
public interface RecordConverter<T, O> extends Serializable {

    /** Called once per subtask before the first conversion: create keys, digests, caches. */
    default void open() {}

    O convert(T record, RawRecord raw);

    /** Keeps the decoded record as it is. */
    static <T> RecordConverter<T, T> identity() {
        return (record, raw) -> record;
    }
}
