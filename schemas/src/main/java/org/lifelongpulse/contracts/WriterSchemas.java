package org.lifelongpulse.contracts;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.SchemaParseException;
import org.lifelongpulse.avro.WriterSchema;

/**
 * The entries of the schema topic {@link Topic#SCHEMAS}: a writer schema keyed by its fingerprint,
 * so that a reader built before a producer upgraded can resolve the producer's messages (an added
 * optional field is skipped, an added enum symbol reads as the enum's default {@code UNKNOWN}).
 *
 * <p>Fingerprints are written as 16 lower-case hex digits in the byte order of the single-object
 * header (the 8 bytes after {@code C3 01}), the same digits a dead letter's reason shows.
 */
public final class WriterSchemas {

    private static final int HEADER = 2;
    private static final int FINGERPRINT_BYTES = 8;
    private static final int MAX_PARSE_ATTEMPTS = 64;

    private WriterSchemas() {}

    /** The CRC-64-AVRO fingerprint of {@code schema}, as the key of its entry. */
    public static String fingerprint(Schema schema) {
        return hex(SchemaNormalization.parsingFingerprint64(schema));
    }

    /** The key of a fingerprint as Avro's {@code SchemaStore} sees it (a {@code long}). */
    public static String hex(long fingerprint) {
        byte[] bytes =
                ByteBuffer.allocate(FINGERPRINT_BYTES)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .putLong(fingerprint)
                        .array();
        return HexFormat.of().formatHex(bytes);
    }

    /** The fingerprint in a message's header, or null when the message is too short for one. */
    public static String fingerprintOf(byte[] message) {
        return message == null || message.length < HEADER + FINGERPRINT_BYTES
                ? null
                : HexFormat.of().formatHex(message, HEADER, HEADER + FINGERPRINT_BYTES);
    }

    /** The entry that registers {@code schema}. */
    public static WriterSchema entryOf(Schema schema) {
        return WriterSchema.newBuilder()
                .setFingerprint(fingerprint(schema))
                .setFullName(schema.getFullName())
                .setSchemaJson(schema.toString())
                .build();
    }

    /**
     * The schema an entry holds. Throws {@link IllegalArgumentException} when the JSON does not
     * parse, or when it is not the schema its key and full name say it is (a reader must never
     * resolve a fingerprint to a different schema).
     */
    public static Schema schemaOf(WriterSchema entry) {
        Schema schema;
        try {
            schema = new Schema.Parser().parse(entry.getSchemaJson());
        } catch (SchemaParseException e) {
            throw new IllegalArgumentException(
                    "schema entry " + entry.getFingerprint() + " does not parse: " + e.getMessage(),
                    e);
        }
        String actual = fingerprint(schema);
        if (!actual.equals(entry.getFingerprint())
                || !schema.getFullName().equals(entry.getFullName())) {
            throw new IllegalArgumentException(
                    "schema entry "
                            + entry.getFingerprint()
                            + " ("
                            + entry.getFullName()
                            + ") holds a schema of "
                            + schema.getFullName()
                            + " with fingerprint "
                            + actual);
        }
        return schema;
    }

    /**
     * Parses a writer schema from JSON (an {@code .avsc} file). Named types the file uses but does
     * not define (e.g. {@code org.lifelongpulse.avro.District}) are taken from the current
     * contracts; types it defines itself (e.g. an enum with an added symbol) are its own.
     */
    public static Schema parse(String json) {
        Map<String, Schema> known = new HashMap<>(contractTypes());
        SchemaParseException last = null;
        for (int attempt = 0; attempt < MAX_PARSE_ATTEMPTS; attempt++) {
            try {
                return new Schema.Parser().addTypes(known).parse(json);
            } catch (SchemaParseException e) {
                last = e;
                String message = String.valueOf(e.getMessage());
                String redefined =
                        message.startsWith("Can't redefine: ") ? message.substring(16) : null;
                if (redefined == null || known.remove(redefined.strip()) == null) {
                    throw e;
                }
            }
        }
        throw last;
    }

    /**
     * Why a reader with schema {@code reader} could not read what {@code writer} wrote; empty when
     * it can (Avro's schema resolution rules).
     */
    public static List<String> incompatibilities(Schema writer, Schema reader) {
        List<String> problems = new ArrayList<>();
        SchemaCompatibility.checkReaderWriterCompatibility(reader, writer)
                .getResult()
                .getIncompatibilities()
                .forEach(i -> problems.add(i.getLocation() + ": " + i.getMessage()));
        return problems;
    }

    /** The contract a writer schema is a version of, by full name. */
    public static java.util.Optional<Topic> contractOf(Schema writer) {
        return java.util.Arrays.stream(Topic.values())
                .filter(t -> t.schema().getFullName().equals(writer.getFullName()))
                .findFirst();
    }

    private static Map<String, Schema> contractTypes() {
        Map<String, Schema> types = new HashMap<>();
        for (Topic topic : Topic.values()) {
            collect(topic.schema(), types);
        }
        return types;
    }

    private static void collect(Schema schema, Map<String, Schema> types) {
        switch (schema.getType()) {
            case RECORD -> {
                if (types.putIfAbsent(schema.getFullName(), schema) == null) {
                    schema.getFields().forEach(f -> collect(f.schema(), types));
                }
            }
            case ENUM, FIXED -> types.putIfAbsent(schema.getFullName(), schema);
            case UNION -> schema.getTypes().forEach(s -> collect(s, types));
            case ARRAY -> collect(schema.getElementType(), types);
            case MAP -> collect(schema.getValueType(), types);
            default -> {}
        }
    }
}
