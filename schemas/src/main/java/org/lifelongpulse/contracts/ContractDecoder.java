package org.lifelongpulse.contracts;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificRecord;
import org.lifelongpulse.avro.DeadLetter;

/**
 * Turns the bytes of one Kafka message into either a valid record or a dead letter that says what
 * is wrong and where (topic, partition, offset). It never throws for bad input.
 *
 * <p>Not thread-safe: one instance per thread (or per Flink subtask).
 */
public final class ContractDecoder<T extends SpecificRecord> {

    /** The outcome of decoding one message: exactly one of the two is set. */
    public record Decoded<T>(T value, DeadLetter deadLetter) {

        public boolean isValid() {
            return value != null;
        }
    }

    private final WireFormat<T> format;
    private final Validation validation;

    public ContractDecoder(WireFormat<T> format, Validation validation) {
        this.format = format;
        this.validation = validation;
    }

    public static <T extends SpecificRecord> ContractDecoder<T> of(Class<T> recordClass) {
        return new ContractDecoder<>(WireFormat.of(recordClass), Validation.defaults());
    }

    public Decoded<T> decode(
            String topic, int partition, long offset, byte[] message, Instant now) {
        if (message == null) {
            return dead(
                    topic,
                    partition,
                    offset,
                    "decode",
                    "empty message (null value; a tombstone is not a " + name() + ")",
                    null,
                    now);
        }
        T value;
        try {
            value = format.decode(message);
        } catch (BadHeaderException e) {
            return dead(
                    topic,
                    partition,
                    offset,
                    "decode",
                    "not Avro single-object encoding: expected marker C3 01, got "
                            + headHex(message)
                            + " ("
                            + message.length
                            + " bytes)",
                    message,
                    now);
        } catch (MissingSchemaException e) {
            return dead(
                    topic,
                    partition,
                    offset,
                    "decode",
                    "unknown writer schema fingerprint "
                            + fingerprintHex(message)
                            + ": not a "
                            + name()
                            + " schema this reader knows (neither compiled, nor in"
                            + " schemas/avro/history, nor registered on "
                            + Topic.SCHEMAS.topicName()
                            + ")",
                    message,
                    now);
        } catch (java.io.IOException
                | AvroRuntimeException
                | IllegalArgumentException
                | IndexOutOfBoundsException
                | NegativeArraySizeException e) {
            return dead(
                    topic,
                    partition,
                    offset,
                    "decode",
                    "the Avro body does not decode as " + name() + ": " + e,
                    message,
                    now);
        }
        List<String> problems = validation.problems(value, now);
        if (!problems.isEmpty()) {
            return dead(
                    topic,
                    partition,
                    offset,
                    "validate",
                    "invalid " + name() + ": " + String.join("; ", problems),
                    message,
                    now);
        }
        return new Decoded<>(value, null);
    }

    private String name() {
        return format.schema().getName();
    }

    private Decoded<T> dead(
            String topic,
            int partition,
            long offset,
            String stage,
            String reason,
            byte[] raw,
            Instant now) {
        DeadLetter letter =
                DeadLetter.newBuilder()
                        .setSourceTopic(topic)
                        .setSourcePartition(partition)
                        .setSourceOffset(offset)
                        .setStage(stage)
                        .setReason(reason)
                        .setRaw(ByteBuffer.wrap(raw == null ? new byte[0] : raw))
                        .setFailedAt(now)
                        .build();
        return new Decoded<>(null, letter);
    }

    private static String headHex(byte[] message) {
        return HexFormat.ofDelimiter(" ")
                .withUpperCase()
                .formatHex(message, 0, Math.min(2, message.length));
    }

    private static String fingerprintHex(byte[] message) {
        return message.length < 10
                ? "(truncated)"
                : "0x" + HexFormat.of().formatHex(message, 2, 10);
    }
}
