package org.lifelongpulse.adapters.clickhouse.sink;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How one column's values are written in RowBinary, parsed from the type the server reports for it.
 * {@link #problem} says whether a value can be written at all (an unknown enum name, a number out
 * of range, a null outside {@code Nullable}); {@link #write} then cannot fail on it. The Java
 * values accepted are those of {@link ClickHouseTable}.
 *
 * <p>Types covered: String, FixedString, UInt8…UInt64, Int8…Int64, Float32/64, Bool, Enum8/16,
 * Date, DateTime (with or without a time zone), DateTime64, Decimal up to 256 bits, Nullable, Array
 * and LowCardinality (written as its inner type). A table with any other column type is written as
 * text.
 */
abstract class RowBinaryColumn {

    /** Why {@code value} cannot be written into this column, or null when it can. */
    abstract String problem(Object value);

    abstract void write(Object value, RowBinaryOutput out) throws IOException;

    /**
     * The column type as the server spells it, e.g. {@code Nullable(DateTime('Asia/Shanghai'))}.
     */
    final String type;

    RowBinaryColumn(String type) {
        this.type = type;
    }

    /** The writer of a column type, or empty when RowBinary is not written for it here. */
    static Optional<RowBinaryColumn> of(String type) {
        return Optional.ofNullable(parse(type.trim()));
    }

    private static RowBinaryColumn parse(String t) {
        String inner = argument(t, "Nullable");
        if (inner != null) {
            RowBinaryColumn value = parse(inner.trim());
            return value == null ? null : new NullableColumn(t, value);
        }
        inner = argument(t, "LowCardinality");
        if (inner != null) {
            return parse(inner.trim());
        }
        inner = argument(t, "Array");
        if (inner != null) {
            RowBinaryColumn element = parse(inner.trim());
            return element == null ? null : new ArrayColumn(t, element);
        }
        inner = argument(t, "Enum8");
        if (inner != null) {
            return EnumColumn.parse(t, inner, 1);
        }
        inner = argument(t, "Enum16");
        if (inner != null) {
            return EnumColumn.parse(t, inner, 2);
        }
        inner = argument(t, "FixedString");
        if (inner != null) {
            return new FixedStringColumn(t, Integer.parseInt(inner.trim()));
        }
        inner = argument(t, "DateTime64");
        if (inner != null) {
            String precision = inner.split(",")[0].trim();
            return new DateTime64Column(t, Integer.parseInt(precision));
        }
        if (t.equals("DateTime") || argument(t, "DateTime") != null) {
            return new DateTimeColumn(t);
        }
        RowBinaryColumn decimal = DecimalColumn.parse(t);
        if (decimal != null) {
            return decimal;
        }
        return switch (t) {
            case "String" -> new StringColumn(t);
            case "UInt8" -> new IntegerColumn(t, 1, 0, 255);
            case "UInt16" -> new IntegerColumn(t, 2, 0, 65_535);
            case "UInt32" -> new IntegerColumn(t, 4, 0, 4_294_967_295L);
            case "UInt64" -> new UInt64Column(t);
            case "Int8" -> new IntegerColumn(t, 1, Byte.MIN_VALUE, Byte.MAX_VALUE);
            case "Int16" -> new IntegerColumn(t, 2, Short.MIN_VALUE, Short.MAX_VALUE);
            case "Int32" -> new IntegerColumn(t, 4, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case "Int64" -> new IntegerColumn(t, 8, Long.MIN_VALUE, Long.MAX_VALUE);
            case "Bool" -> new IntegerColumn(t, 1, 0, 1);
            case "Float32" -> new FloatColumn(t, 4);
            case "Float64" -> new FloatColumn(t, 8);
            case "Date" -> new DateColumn(t);
            default -> null;
        };
    }

    /** The text between {@code name(} and the final {@code )}, or null when t is not name(…). */
    private static String argument(String t, String name) {
        if (t.startsWith(name + "(") && t.endsWith(")")) {
            return t.substring(name.length() + 1, t.length() - 1);
        }
        return null;
    }

    static String cannot(Object value, String type) {
        return "cannot write a " + value.getClass().getSimpleName() + " into a " + type + " column";
    }

    /** An integral value of a Number or Boolean, or null when the value has none. */
    static BigInteger integral(Object value) {
        if (value instanceof Long || value instanceof Integer) {
            return BigInteger.valueOf(((Number) value).longValue());
        }
        if (value instanceof Short || value instanceof Byte) {
            return BigInteger.valueOf(((Number) value).longValue());
        }
        if (value instanceof Boolean b) {
            return b ? BigInteger.ONE : BigInteger.ZERO;
        }
        if (value instanceof BigInteger i) {
            return i;
        }
        if (value instanceof BigDecimal d) {
            try {
                return d.toBigIntegerExact();
            } catch (ArithmeticException e) {
                return null;
            }
        }
        return null;
    }

    /** Long, Integer, Short, Byte or Boolean: a value {@link #longValue} gives exactly. */
    static boolean isMachineInteger(Object value) {
        return value instanceof Long
                || value instanceof Integer
                || value instanceof Short
                || value instanceof Byte
                || value instanceof Boolean;
    }

    static long longValue(Object value) {
        if (value instanceof Boolean b) {
            return b ? 1 : 0;
        }
        return ((Number) value).longValue();
    }

    private static final class NullableColumn extends RowBinaryColumn {
        private final RowBinaryColumn value;

        NullableColumn(String type, RowBinaryColumn value) {
            super(type);
            this.value = value;
        }

        @Override
        String problem(Object v) {
            return v == null ? null : value.problem(v);
        }

        @Override
        void write(Object v, RowBinaryOutput out) throws IOException {
            if (v == null) {
                out.writeByte(1);
            } else {
                out.writeByte(0);
                value.write(v, out);
            }
        }
    }

    private static final class ArrayColumn extends RowBinaryColumn {
        private final RowBinaryColumn element;

        ArrayColumn(String type, RowBinaryColumn element) {
            super(type);
            this.element = element;
        }

        @Override
        String problem(Object v) {
            if (!(v instanceof List<?> list)) {
                return v == null ? "NULL in a " + type + " column" : cannot(v, type);
            }
            for (Object e : list) {
                String problem = element.problem(e);
                if (problem != null) {
                    return problem;
                }
            }
            return null;
        }

        @Override
        void write(Object v, RowBinaryOutput out) throws IOException {
            List<?> list = (List<?>) v;
            out.writeVarUInt(list.size());
            for (Object e : list) {
                element.write(e, out);
            }
        }
    }

    private static final class StringColumn extends RowBinaryColumn {
        StringColumn(String type) {
            super(type);
        }

        @Override
        String problem(Object v) {
            return v == null ? "NULL in a String column" : null;
        }

        @Override
        void write(Object v, RowBinaryOutput out) throws IOException {
            if (v instanceof byte[] bytes) {
                out.writeVarUInt(bytes.length);
                out.writeBytes(bytes, 0, bytes.length);
            } else {
                out.writeString(v.toString());
            }
        }
    }

    private static final class FixedStringColumn extends RowBinaryColumn {
        private final int width;

        FixedStringColumn(String type, int width) {
            super(type);
            this.width = width;
        }

        @Override
        String problem(Object v) {
            if (v == null) {
                return "NULL in a " + type + " column";
            }
            int length = RowBinaryOutput.utf8Length(v.toString());
            return length > width ? "Too large value for " + type + ": " + length + " bytes" : null;
        }

        @Override
        void write(Object v, RowBinaryOutput out) throws IOException {
            out.writeFixedString(v.toString(), width);
        }
    }

    /** UInt8…UInt32, Int8…Int64 and Bool: little-endian, {@code bytes} wide. */
    private static final class IntegerColumn extends RowBinaryColumn {
        private final int bytes;
        private final long min;
        private final long max;

        IntegerColumn(String type, int bytes, long min, long max) {
            super(type);
            this.bytes = bytes;
            this.min = min;
            this.max = max;
        }

        @Override
        String problem(Object v) {
            if (v == null) {
                return "NULL in a " + type + " column";
            }
            if (isMachineInteger(v)) {
                // the common case, without a BigInteger per value (the check runs on every row)
                long l = longValue(v);
                return l < min || l > max ? "Value " + l + " is out of range of " + type : null;
            }
            BigInteger i = integral(v);
            if (i == null) {
                return cannot(v, type);
            }
            if (i.bitLength() > 63 || i.longValue() < min || i.longValue() > max) {
                return "Value " + i + " is out of range of " + type;
            }
            return null;
        }

        @Override
        void write(Object v, RowBinaryOutput out) throws IOException {
            long value =
                    v instanceof BigInteger || v instanceof BigDecimal
                            ? integral(v).longValue()
                            : longValue(v);
            switch (bytes) {
                case 1 -> out.writeByte((int) value);
                case 2 -> out.writeShort((int) value);
                case 4 -> out.writeInt((int) value);
                default -> out.writeLong(value);
            }
        }
    }

    private static final class UInt64Column extends RowBinaryColumn {
        private static final BigInteger MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

        UInt64Column(String type) {
            super(type);
        }

        @Override
        String problem(Object v) {
            if (v == null) {
                return "NULL in a UInt64 column";
            }
            if (isMachineInteger(v)) {
                long l = longValue(v);
                return l < 0 ? "Value " + l + " is out of range of UInt64" : null;
            }
            BigInteger i = integral(v);
            if (i == null) {
                return cannot(v, type);
            }
            if (i.signum() < 0 || i.compareTo(MAX) > 0) {
                return "Value " + i + " is out of range of UInt64";
            }
            return null;
        }

        @Override
        void write(Object v, RowBinaryOutput out) throws IOException {
            out.writeLong(
                    v instanceof BigInteger || v instanceof BigDecimal
                            ? integral(v).longValue() // the low 64 bits, unsigned
                            : longValue(v));
        }
    }

    private static final class FloatColumn extends RowBinaryColumn {
        private final int bytes;

        FloatColumn(String type, int bytes) {
            super(type);
            this.bytes = bytes;
        }

        @Override
        String problem(Object v) {
            if (v == null) {
                return "NULL in a " + type + " column";
            }
            return v instanceof Number ? null : cannot(v, type);
        }

        @Override
        void write(Object v, RowBinaryOutput out) throws IOException {
            double d = ((Number) v).doubleValue();
            if (bytes == 4) {
                out.writeInt(Float.floatToRawIntBits((float) d));
            } else {
                out.writeLong(Double.doubleToRawLongBits(d));
            }
        }
    }

    /** Enum8/Enum16: the element's number, from its name (or the number itself). */
    private static final class EnumColumn extends RowBinaryColumn {
        private final int bytes;
        private final Map<String, Integer> codes;

        EnumColumn(String type, int bytes, Map<String, Integer> codes) {
            super(type);
            this.bytes = bytes;
            this.codes = codes;
        }

        /** {@code 'A' = 1, 'B\'s' = 2} (names are SQL string literals). */
        static EnumColumn parse(String type, String elements, int bytes) {
            Map<String, Integer> codes = new HashMap<>();
            int i = 0;
            int n = elements.length();
            while (i < n) {
                int quote = elements.indexOf('\'', i);
                if (quote < 0) {
                    break;
                }
                StringBuilder name = new StringBuilder();
                int j = quote + 1;
                for (; j < n && elements.charAt(j) != '\''; j++) {
                    char c = elements.charAt(j);
                    if (c == '\\' && j + 1 < n) {
                        c = elements.charAt(++j);
                    }
                    name.append(c);
                }
                int equals = elements.indexOf('=', j);
                int end = elements.indexOf(',', equals);
                String number = elements.substring(equals + 1, end < 0 ? n : end).trim();
                codes.put(name.toString(), Integer.parseInt(number));
                i = end < 0 ? n : end + 1;
            }
            // a HashMap, not Map.copyOf: its lookup masks the hash where Map.of's divides it, and
            // each enum value is looked up twice per row (the check, then the write)
            return new EnumColumn(type, bytes, java.util.Collections.unmodifiableMap(codes));
        }

        @Override
        String problem(Object v) {
            if (v == null) {
                return "NULL in a " + type + " column";
            }
            if (v instanceof Number || v instanceof Boolean) {
                long code = longValue(v);
                return codes.containsValue((int) code) && code == (int) code
                        ? null
                        : "Unexpected value " + code + " for type " + type;
            }
            if (v instanceof Enum<?> || v instanceof CharSequence) {
                return codes.containsKey(v.toString())
                        ? null
                        : "Unknown element '" + v + "' for type " + type;
            }
            return cannot(v, type);
        }

        @Override
        void write(Object v, RowBinaryOutput out) throws IOException {
            int code =
                    v instanceof Number || v instanceof Boolean
                            ? (int) longValue(v)
                            : codes.get(v.toString());
            if (bytes == 1) {
                out.writeByte(code);
            } else {
                out.writeShort(code);
            }
        }
    }

    /** DateTime: seconds since the epoch as UInt32 (the time zone only affects display). */
    private static final class DateTimeColumn extends RowBinaryColumn {
        DateTimeColumn(String type) {
            super(type);
        }

        @Override
        String problem(Object v) {
            if (v == null) {
                return "NULL in a " + type + " column";
            }
            long seconds;
            if (v instanceof Instant instant) {
                seconds = instant.getEpochSecond();
            } else if (v instanceof Long || v instanceof Integer) {
                seconds = ((Number) v).longValue();
            } else {
                return cannot(v, type);
            }
            return seconds < 0 || seconds > 4_294_967_295L
                    ? "Value " + v + " is out of range of " + type
                    : null;
        }

        @Override
        void write(Object v, RowBinaryOutput out) throws IOException {
            long seconds =
                    v instanceof Instant instant
                            ? instant.getEpochSecond()
                            : ((Number) v).longValue();
            out.writeInt((int) seconds);
        }
    }

    /** DateTime64(P): ticks of 10^-P s since the epoch as Int64 (current releases only). */
    private static final class DateTime64Column extends RowBinaryColumn {
        private final long ticksPerSecond;
        private final long nanosPerTick;

        DateTime64Column(String type, int precision) {
            super(type);
            this.ticksPerSecond = BigInteger.TEN.pow(precision).longValueExact();
            this.nanosPerTick = precision >= 9 ? 1 : BigInteger.TEN.pow(9 - precision).longValue();
        }

        @Override
        String problem(Object v) {
            if (v == null) {
                return "NULL in a " + type + " column";
            }
            if (!(v instanceof Instant instant)) {
                return cannot(v, type);
            }
            try {
                Math.addExact(
                        Math.multiplyExact(instant.getEpochSecond(), ticksPerSecond),
                        instant.getNano() / nanosPerTick);
                return null;
            } catch (ArithmeticException e) {
                return "Value " + v + " is out of range of " + type;
            }
        }

        @Override
        void write(Object v, RowBinaryOutput out) throws IOException {
            Instant instant = (Instant) v;
            out.writeLong(
                    instant.getEpochSecond() * ticksPerSecond + instant.getNano() / nanosPerTick);
        }
    }

    /** Date: days since the epoch as UInt16. */
    private static final class DateColumn extends RowBinaryColumn {
        DateColumn(String type) {
            super(type);
        }

        @Override
        String problem(Object v) {
            if (v == null) {
                return "NULL in a Date column";
            }
            long days;
            if (v instanceof LocalDate date) {
                days = date.toEpochDay();
            } else if (v instanceof Long || v instanceof Integer) {
                days = ((Number) v).longValue();
            } else {
                return cannot(v, type);
            }
            return days < 0 || days > 65_535 ? "Value " + v + " is out of range of Date" : null;
        }

        @Override
        void write(Object v, RowBinaryOutput out) throws IOException {
            long days = v instanceof LocalDate date ? date.toEpochDay() : ((Number) v).longValue();
            out.writeShort((int) days);
        }
    }

    /** Decimal(P, S): the unscaled value as a little-endian integer of 4, 8, 16 or 32 bytes. */
    private static final class DecimalColumn extends RowBinaryColumn {
        private final int precision;
        private final int scale;
        private final int bytes;

        DecimalColumn(String type, int precision, int scale) {
            super(type);
            this.precision = precision;
            this.scale = scale;
            this.bytes = precision <= 9 ? 4 : precision <= 18 ? 8 : precision <= 38 ? 16 : 32;
        }

        static DecimalColumn parse(String t) {
            String args = argument(t, "Decimal");
            if (args != null) {
                String[] ps = args.split(",");
                int scale = ps.length > 1 ? Integer.parseInt(ps[1].trim()) : 0;
                return new DecimalColumn(t, Integer.parseInt(ps[0].trim()), scale);
            }
            for (int[] bits : new int[][] {{32, 9}, {64, 18}, {128, 38}, {256, 76}}) {
                String scale = argument(t, "Decimal" + bits[0]);
                if (scale != null) {
                    return new DecimalColumn(t, bits[1], Integer.parseInt(scale.trim()));
                }
            }
            return null;
        }

        private BigInteger unscaled(Object v) {
            BigDecimal d =
                    v instanceof BigDecimal b
                            ? b
                            : v instanceof Double || v instanceof Float
                                    ? BigDecimal.valueOf(((Number) v).doubleValue())
                                    : new BigDecimal(integral(v));
            return d.setScale(scale).unscaledValue();
        }

        @Override
        String problem(Object v) {
            if (v == null) {
                return "NULL in a " + type + " column";
            }
            boolean inexact = v instanceof BigDecimal || v instanceof Double || v instanceof Float;
            if (!inexact && integral(v) == null) {
                return cannot(v, type);
            }
            try {
                BigInteger unscaled = unscaled(v);
                return unscaled.abs().compareTo(BigInteger.TEN.pow(precision)) >= 0
                        ? "Value " + v + " is out of range of " + type
                        : null;
            } catch (ArithmeticException e) {
                return "Value " + v + " has more than " + scale + " decimals for " + type;
            }
        }

        @Override
        void write(Object v, RowBinaryOutput out) throws IOException {
            BigInteger unscaled = unscaled(v);
            if (bytes == 4) {
                out.writeInt(unscaled.intValue());
            } else if (bytes == 8) {
                out.writeLong(unscaled.longValue());
            } else {
                for (int word = 0; word < bytes / 8; word++) {
                    out.writeLong(unscaled.shiftRight(64 * word).longValue());
                }
            }
        }
    }

    /** The writers of {@code columns} in order, or empty when one of their types is not covered. */
    static Optional<List<RowBinaryColumn>> forColumns(
            List<String> columns, Map<String, String> typeByColumn) {
        List<RowBinaryColumn> writers = new ArrayList<>(columns.size());
        for (String column : columns) {
            String type = typeByColumn.get(column);
            Optional<RowBinaryColumn> writer = type == null ? Optional.empty() : of(type);
            if (writer.isEmpty()) {
                return Optional.empty();
            }
            writers.add(writer.get());
        }
        return Optional.of(writers);
    }
}
