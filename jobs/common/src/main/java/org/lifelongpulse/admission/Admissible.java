package org.lifelongpulse.admission;

/** An event that can be admitted once: it has an id, an event time and a Kafka position. */
public interface Admissible {

    /** The producer's unique id; resends carry the same id. */
    String eventId();

    /** {@link EventIdHash#of} the id, computed once when the message was decoded. */
    long eventIdHash();

    /** Event time, epoch milliseconds. */
    long eventTime();

    String sourceTopic();

    int sourcePartition();

    long sourceOffset();
}
