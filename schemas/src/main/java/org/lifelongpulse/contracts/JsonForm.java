package org.lifelongpulse.contracts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * The JSON form of the contracts, one record per line, with the Avro field names. Timestamps are
 * ISO-8601 with an offset or epoch milliseconds on input, and ISO-8601 in Asia/Shanghai on output;
 * enums are their symbols; optional fields may be omitted (they are omitted on output when null);
 * bytes are base64. What {@link #toJson} prints, {@link #fromJson} reads back.
 */
public final class JsonForm {

    /** The programme's time zone: day boundaries and printed timestamps use it. */
    public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
    private static final DateTimeFormatter SECONDS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX");
    private static final DateTimeFormatter MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX");

    private JsonForm() {}

    /** Parses one JSON line into a record of {@code recordClass}. */
    public static <T extends SpecificRecord> T fromJson(String line, Class<T> recordClass)
            throws JsonFormException {
        JsonNode node;
        try {
            node = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new JsonFormException("invalid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new JsonFormException(
                    "expected a JSON object, got "
                            + (node == null
                                    ? "nothing"
                                    : node.getNodeType().toString().toLowerCase()));
        }
        Schema schema = Contracts.schemaOf(recordClass);
        @SuppressWarnings("unchecked")
        T record = (T) SpecificData.get().newRecord(null, schema);
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (schema.getField(name) == null) {
                throw new JsonFormException(
                        "unknown field '"
                                + name
                                + "' (a "
                                + schema.getName()
                                + " has: "
                                + fieldNames(schema)
                                + ")");
            }
        }
        for (Schema.Field field : schema.getFields()) {
            JsonNode value = node.get(field.name());
            if (value == null) {
                if (!field.hasDefaultValue()) {
                    throw new JsonFormException("missing required field '" + field.name() + "'");
                }
                record.put(field.pos(), SpecificData.get().getDefaultValue(field));
            } else {
                record.put(field.pos(), read(field.name(), field.schema(), value));
            }
        }
        return record;
    }

    /** Prints a record as one JSON line. */
    public static String toJson(SpecificRecord record) {
        try {
            return MAPPER.writeValueAsString(toNode(record));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a record always prints as JSON", e);
        }
    }

    public static ObjectNode toNode(SpecificRecord record) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        for (Schema.Field field : record.getSchema().getFields()) {
            Object value = record.get(field.pos());
            if (value != null) {
                node.set(field.name(), write(field.schema(), value));
            }
        }
        return node;
    }

    private static Object read(String path, Schema schema, JsonNode value)
            throws JsonFormException {
        switch (schema.getType()) {
            case UNION -> {
                if (value.isNull()) {
                    if (schema.getTypes().stream().anyMatch(s -> s.getType() == Schema.Type.NULL)) {
                        return null;
                    }
                    throw new JsonFormException("field '" + path + "' may not be null");
                }
                Schema nonNull =
                        schema.getTypes().stream()
                                .filter(s -> s.getType() != Schema.Type.NULL)
                                .findFirst()
                                .orElseThrow();
                return read(path, nonNull, value);
            }
            case STRING -> {
                if (!value.isTextual()) {
                    throw wrongType(path, "a string", value);
                }
                return value.textValue();
            }
            case LONG -> {
                if (schema.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
                    return readInstant(path, value);
                }
                if (!value.isIntegralNumber() || !value.canConvertToLong()) {
                    throw wrongType(path, "a whole number", value);
                }
                return value.longValue();
            }
            case INT -> {
                if (!value.isIntegralNumber() || !value.canConvertToInt()) {
                    throw wrongType(path, "a whole number within ±2^31", value);
                }
                return value.intValue();
            }
            case DOUBLE, FLOAT -> {
                if (!value.isNumber()) {
                    throw wrongType(path, "a number", value);
                }
                return schema.getType() == Schema.Type.DOUBLE
                        ? value.doubleValue()
                        : (Object) value.floatValue();
            }
            case BOOLEAN -> {
                if (!value.isBoolean()) {
                    throw wrongType(path, "true or false", value);
                }
                return value.booleanValue();
            }
            case ENUM -> {
                if (!value.isTextual()) {
                    throw wrongType(path, "one of " + schema.getEnumSymbols(), value);
                }
                if (!schema.getEnumSymbols().contains(value.textValue())) {
                    throw new JsonFormException(
                            "field '"
                                    + path
                                    + "': unknown symbol '"
                                    + value.textValue()
                                    + "'; expected one of "
                                    + String.join(", ", schema.getEnumSymbols()));
                }
                return SpecificData.get().createEnum(value.textValue(), schema);
            }
            case BYTES -> {
                if (!value.isTextual()) {
                    throw wrongType(path, "a base64 string", value);
                }
                try {
                    return ByteBuffer.wrap(Base64.getDecoder().decode(value.textValue()));
                } catch (IllegalArgumentException e) {
                    throw new JsonFormException(
                            "field '" + path + "': not base64: " + e.getMessage());
                }
            }
            case ARRAY -> {
                if (!value.isArray()) {
                    throw wrongType(path, "an array", value);
                }
                List<Object> items = new ArrayList<>();
                for (int i = 0; i < value.size(); i++) {
                    items.add(read(path + "[" + i + "]", schema.getElementType(), value.get(i)));
                }
                return items;
            }
            case MAP -> {
                if (!value.isObject()) {
                    throw wrongType(path, "an object", value);
                }
                Map<String, Object> map = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    map.put(
                            e.getKey(),
                            read(path + "." + e.getKey(), schema.getValueType(), e.getValue()));
                }
                return map;
            }
            default ->
                    throw new JsonFormException(
                            "field '"
                                    + path
                                    + "' has type "
                                    + schema.getType()
                                    + ", which the JSON form does not support");
        }
    }

    private static Instant readInstant(String path, JsonNode value) throws JsonFormException {
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return Instant.ofEpochMilli(value.longValue());
        }
        if (value.isTextual()) {
            try {
                return OffsetDateTime.parse(value.textValue(), ISO).toInstant();
            } catch (DateTimeParseException e) {
                throw new JsonFormException(
                        "field '"
                                + path
                                + "': '"
                                + value.textValue()
                                + "' is not an ISO-8601 timestamp with an offset"
                                + " (e.g. 2020-11-01T09:30:00+08:00)");
            }
        }
        throw wrongType(path, "an ISO-8601 timestamp or epoch milliseconds", value);
    }

    private static JsonNode write(Schema schema, Object value) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (schema.getType() == Schema.Type.UNION) {
            Schema nonNull =
                    schema.getTypes().stream()
                            .filter(s -> s.getType() != Schema.Type.NULL)
                            .findFirst()
                            .orElseThrow();
            return write(nonNull, value);
        }
        return switch (schema.getType()) {
            case STRING, ENUM -> f.textNode(value.toString());
            case LONG ->
                    value instanceof Instant instant
                            ? f.textNode(formatInstant(instant))
                            : f.numberNode((Long) value);
            case INT -> f.numberNode((Integer) value);
            case DOUBLE -> f.numberNode((Double) value);
            case FLOAT -> f.numberNode((Float) value);
            case BOOLEAN -> f.booleanNode((Boolean) value);
            case BYTES -> {
                ByteBuffer buffer = ((ByteBuffer) value).duplicate();
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                yield f.textNode(Base64.getEncoder().encodeToString(bytes));
            }
            case ARRAY -> {
                ArrayNode array = f.arrayNode();
                for (Object item : (List<?>) value) {
                    array.add(write(schema.getElementType(), item));
                }
                yield array;
            }
            case MAP -> {
                ObjectNode map = f.objectNode();
                ((Map<?, ?>) value)
                        .forEach((k, v) -> map.set(k.toString(), write(schema.getValueType(), v)));
                yield map;
            }
            default -> throw new IllegalStateException("unsupported type " + schema.getType());
        };
    }

    /** Seconds when whole, milliseconds otherwise: the precision of timestamp-millis. */
    public static String formatInstant(Instant instant) {
        return (instant.getNano() == 0 ? SECONDS : MILLIS).format(instant.atZone(ZONE));
    }

    private static JsonFormException wrongType(String path, String expected, JsonNode value) {
        String got = value.isTextual() ? "\"" + value.textValue() + "\"" : value.toString();
        return new JsonFormException(
                "field '"
                        + path
                        + "': expected "
                        + expected
                        + ", got "
                        + (got.length() > 40 ? got.substring(0, 40) + "…" : got));
    }

    private static String fieldNames(Schema schema) {
        return String.join(", ", schema.getFields().stream().map(Schema.Field::name).toList());
    }
}
