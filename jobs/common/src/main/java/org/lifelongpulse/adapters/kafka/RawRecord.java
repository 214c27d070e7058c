package org.lifelongpulse.adapters.kafka;

/**
 * A Kafka message as received, before decoding: where it came from and its bytes. Decoding happens
 * in a Flink operator afterwards, so that bad bytes become dead letters there instead of exceptions
 * inside the source. A Flink POJO: public fields and a no-argument constructor.
 */
public class RawRecord {

    public String topic;
    public int partition;
    public long offset;

    /** The broker's record timestamp (append or create time), epoch millis. */
    public long timestamp;

    public byte[] value;

    public RawRecord() {}

    public RawRecord(String topic, int partition, long offset, long timestamp, byte[] value) {
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.timestamp = timestamp;
        this.value = value;
    }

    /** Where the message came from, as error messages print it. */
    public String position() {
        return topic + "/" + partition + "@" + offset;
    }
}
