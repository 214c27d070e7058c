package org.lifelongpulse.contracts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * The Kafka wire format of every topic: Avro single-object encoding (the two marker bytes {@code C3
 * 01}, the writer schema's 8-byte CRC-64-AVRO fingerprint, then the Avro body). A reader finds the
 * writer schema by its fingerprint and resolves it to its own schema, so producers may add optional
 * fields without breaking consumers.
 *
 * <p>Not thread-safe (Avro's encoders and decoders reuse buffers): one instance per thread.
 */
public final class WireFormat<T extends SpecificRecord> {

    private final Schema schema;
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;

    private WireFormat(Class<T> recordClass, List<Schema> extraHistory) {
        SpecificData model = SpecificData.getForClass(recordClass);
        this.schema = model.getSchema(recordClass);
        this.encoder = new BinaryMessageEncoder<>(model, schema);
        this.decoder =
                new BinaryMessageDecoder<>(model, schema, Contracts.schemaStore(extraHistory));
    }

    public static <T extends SpecificRecord> WireFormat<T> of(Class<T> recordClass) {
        return new WireFormat<>(recordClass, List.of());
    }

    /** A format that also resolves messages written with the given older schemas. */
    public static <T extends SpecificRecord> WireFormat<T> withHistory(
            Class<T> recordClass, List<Schema> olderSchemas) {
        return new WireFormat<>(recordClass, olderSchemas);
    }

    public Schema schema() {
        return schema;
    }

    public byte[] encode(T record) {
        try {
            ByteBuffer buffer = encoder.encode(record);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("could not encode " + schema.getName(), e);
        }
    }

    /**
     * Decodes one message. Throws Avro's {@code BadHeaderException}, {@code MissingSchemaException}
     * or an {@code IOException}/{@code AvroRuntimeException} for bad bytes; {@link ContractDecoder}
     * turns those into dead letters.
     */
    public T decode(byte[] message) throws IOException {
        return decoder.decode(message);
    }
}
