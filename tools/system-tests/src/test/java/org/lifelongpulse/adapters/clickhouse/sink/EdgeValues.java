package org.lifelongpulse.adapters.clickhouse.sink;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hand-picked values for a column type (row 0, 1 or 2 of a test batch), as the jobs' row mappers
 * produce them (String enum names, Instant, Integer/Long, List), and how ClickHouse's TabSeparated
 * output shows each one, worked out here rather than by the code under test.
 */
final class EdgeValues {

    static final String UNICODE = "学习 ünïcødé 🎓 tab\t nl\n back\\ quote' end";

    private static final DateTimeFormatter DATE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** The migrations' local servers run in UTC (the stack's config.xml). */
    private static final ZoneId SERVER_ZONE = ZoneOffset.UTC;

    private EdgeValues() {}

    static Object value(String type, int row, String table) {
        if (type.startsWith("Nullable(")) {
            return row == 0 ? null : value(inner(type), row, table);
        }
        if (type.startsWith("Enum8(")) {
            List<String> names = enumNames(type);
            return List.of(names.get(0), names.get(names.size() - 1), names.get(1)).get(row);
        }
        if (type.startsWith("DateTime")) {
            return List.of(
                            Instant.ofEpochSecond(1),
                            Instant.ofEpochSecond(2_147_483_647L),
                            Instant.ofEpochMilli(1_699_999_999_999L))
                    .get(row);
        }
        return switch (type) {
            case "String" -> List.of("", UNICODE, "plain " + table).get(row);
            case "Array(String)" -> List.of(List.of(), List.of("a", "学习"), List.of("")).get(row);
            case "UInt8" -> List.of(0, 255, 7).get(row);
            case "UInt16" -> List.of(0, 65_535, 300).get(row);
            case "UInt32" -> List.of(0L, 4_294_967_295L, 70_000L).get(row);
            case "UInt64" -> List.of(0L, Long.MAX_VALUE, 1L).get(row);
            case "Int32" -> List.of(Integer.MIN_VALUE, Integer.MAX_VALUE, 0).get(row);
            case "Int64" -> List.of(Long.MIN_VALUE, Long.MAX_VALUE, -1L).get(row);
            case "Float64" -> List.of(0.0, -2.5, 12_345.625).get(row);
            default -> throw new AssertionError("no edge values for column type " + type);
        };
    }

    /** How TabSeparated shows {@code value} in a column of {@code type}. */
    static String tsv(String type, Object value) {
        if (value == null) {
            return "\\N";
        }
        if (type.startsWith("Nullable(")) {
            return tsv(inner(type), value);
        }
        if (type.startsWith("DateTime")) {
            Matcher zone = Pattern.compile("DateTime\\('([^']+)'\\)").matcher(type);
            ZoneId in = zone.matches() ? ZoneId.of(zone.group(1)) : SERVER_ZONE;
            return DATE_TIME.format(((Instant) value).atZone(in));
        }
        if (value instanceof List<?> list) {
            List<String> quoted = new ArrayList<>();
            for (Object e : list) {
                quoted.add("'" + e.toString().replace("\\", "\\\\").replace("'", "\\'") + "'");
            }
            // the array's own quoting, not escaped again for the TabSeparated field
            return "[" + String.join(",", quoted) + "]";
        }
        if (value instanceof Double d) {
            return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
        return escape(value.toString());
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\")
                .replace("\t", "\\t")
                .replace("\n", "\\n")
                .replace("'", "\\'");
    }

    private static String inner(String type) {
        return type.substring(type.indexOf('(') + 1, type.length() - 1);
    }

    private static List<String> enumNames(String type) {
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("'([^']*)' = -?\\d+").matcher(type);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
