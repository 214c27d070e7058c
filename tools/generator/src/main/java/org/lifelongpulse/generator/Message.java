package org.lifelongpulse.generator;

import org.apache.avro.specific.SpecificRecord;
import org.lifelongpulse.contracts.Topic;

/**
 * One message of the world in send order: a record (valid, or with invalid values) or raw garbage
 * bytes, with the fault it carries and when it arrives in simulated time.
 *
 * @param topic topic the message goes to
 * @param key message key ({@link Topic#keyOf} for records)
 * @param record the record, or null for garbage
 * @param garbage raw bytes of a garbage message, else null
 * @param fault what is special about it
 * @param eventMillis the record's event time, or the arrival time for garbage
 * @param arrivalMillis simulated arrival time; messages are sent in this order
 */
public record Message(
        Topic topic,
        String key,
        SpecificRecord record,
        byte[] garbage,
        Fault fault,
        long eventMillis,
        long arrivalMillis) {

    static Message of(
            Topic topic, SpecificRecord record, Fault fault, long eventMillis, long arrivalMillis) {
        return new Message(
                topic, topic.keyOf(record), record, null, fault, eventMillis, arrivalMillis);
    }

    public boolean malformed() {
        return fault.malformed();
    }
}
