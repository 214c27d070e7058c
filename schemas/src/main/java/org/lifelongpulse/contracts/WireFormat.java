package org.lifelongpulse.contracts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.SchemaStore;
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

    private static final SchemaStore NO_LOOKUP = fingerprint -> null;

    private final Schema schema;
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;

    private WireFormat(Class<T> recordClass, List<Schema> extraHistory, SchemaStore lookup) {
        SpecificData model = SpecificData.getForClass(recordClass);
        this.schema = model.getSchema(recordClass);
        this.encoder = new BinaryMessageEncoder<>(model, schema);
        SchemaStore.Cache known = Contracts.schemaStore(extraHistory);
        // Avro's decoder keeps every schema it resolved, so the lookup runs once per fingerprint
        this.decoder =
                new BinaryMessageDecoder<>(
                        model,
                        schema,
                        fingerprint -> {
                            Schema found = known.findByFingerprint(fingerprint);
                            return found != null ? found : lookup.findByFingerprint(fingerprint);
                        });
    }

    public static <T extends SpecificRecord> WireFormat<T> of(Class<T> recordClass) {
        return new WireFormat<>(recordClass, List.of(), NO_LOOKUP);
    }

    /** A format that also resolves messages written with the given older schemas. */
    public static <T extends SpecificRecord> WireFormat<T> withHistory(
            Class<T> recordClass, List<Schema> olderSchemas) {
        return new WireFormat<>(recordClass, olderSchemas, NO_LOOKUP);
    }

    /**
     * A format that asks {@code lookup} for a writer schema it does not know (neither compiled nor
     * in the history), e.g. the schema topic {@link Topic#SCHEMAS}, before giving up on a message.
     * The lookup runs at most once per fingerprint it finds; it must return only schemas of this
     * format's record (by full name), or null.
     */
    public static <T extends SpecificRecord> WireFormat<T> withLookup(
            Class<T> recordClass, SchemaStore lookup) {
        return new WireFormat<>(recordClass, List.of(), lookup);
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

    /**
     * Decodes one message from a stream of its own. For a {@code SchemaStore} that decodes while
     * Avro is decoding another message on the same thread: {@link #decode} reads through a stream
     * that Avro keeps one of per thread, and a nested {@link #decode} would overwrite the bytes the
     * outer one is still reading.
     */
    public T decodeNested(byte[] message) throws IOException {
        return decoder.decode(new java.io.ByteArrayInputStream(message));
    }
}
