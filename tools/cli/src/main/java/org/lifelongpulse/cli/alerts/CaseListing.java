package org.lifelongpulse.cli.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The work lists as {@code ./pulse alerts list} prints them: an aligned table for people, CSV or
 * JSON for programs. Times are Asia/Shanghai, the market's zone (JSON: ISO-8601 with the offset).
 */
public final class CaseListing {

    /** Output formats. */
    public enum Format {
        table,
        csv,
        json
    }

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(SHANGHAI);
    private static final DateTimeFormatter ISO =
            DateTimeFormatter.ISO_OFFSET_DATE_TIME.withZone(SHANGHAI);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Longest text a table cell shows; CSV and JSON carry the whole text. */
    static final int CELL = 48;

    private record Column(String name, Function<AlertCase, Object> value) {}

    private final List<Column> columns;

    private CaseListing(List<Column> columns) {
        this.columns = columns;
    }

    /** The triage queue's columns; ages counted to {@code now}. */
    public static CaseListing queue(Instant now) {
        return new CaseListing(
                List.of(
                        new Column("alert_id", AlertCase::alertId),
                        new Column("rule", AlertCase::ruleId),
                        new Column("institution", AlertCase::institutionId),
                        new Column("district", AlertCase::district),
                        new Column("severity", AlertCase::severity),
                        new Column("status", AlertCase::status),
                        new Column("first_detected", AlertCase::firstDetectedAt),
                        new Column("age", c -> age(Duration.between(c.firstDetectedAt(), now))),
                        new Column("acknowledged_by", AlertCase::acknowledgedBy),
                        new Column("assignee", AlertCase::assignee),
                        new Column("last_note", AlertCase::lastNote)));
    }

    /** The recently closed list's columns. */
    public static CaseListing closed() {
        return new CaseListing(
                List.of(
                        new Column("alert_id", AlertCase::alertId),
                        new Column("rule", AlertCase::ruleId),
                        new Column("institution", AlertCase::institutionId),
                        new Column("district", AlertCase::district),
                        new Column("severity", AlertCase::severity),
                        new Column("closed_at", AlertCase::closedAt),
                        new Column("closed_by", AlertCase::endedBy),
                        new Column("reason", AlertCase::endReason)));
    }

    /** The lines to print. */
    public List<String> lines(List<AlertCase> cases, Format format) {
        return switch (format) {
            case table -> table(cases);
            case csv -> csv(cases);
            case json -> List.of(json(cases));
        };
    }

    private List<String> table(List<AlertCase> cases) {
        List<List<String>> cells = new ArrayList<>();
        cells.add(columns.stream().map(Column::name).toList());
        for (AlertCase c : cases) {
            cells.add(columns.stream().map(col -> cell(text(col.value().apply(c)))).toList());
        }
        return aligned(cells);
    }

    /** Rows of cells as columns padded to their widest cell (the last column unpadded). */
    static List<String> aligned(List<List<String>> cells) {
        int n = cells.get(0).size();
        int[] width = new int[n];
        for (List<String> row : cells) {
            for (int i = 0; i < n; i++) {
                width[i] = Math.max(width[i], row.get(i).length());
            }
        }
        List<String> out = new ArrayList<>();
        for (List<String> row : cells) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < n; i++) {
                line.append(i == n - 1 ? row.get(i) : pad(row.get(i), width[i] + 2));
            }
            out.add(line.toString().stripTrailing());
        }
        return out;
    }

    private List<String> csv(List<AlertCase> cases) {
        List<String> out = new ArrayList<>();
        out.add(String.join(",", columns.stream().map(Column::name).toList()));
        for (AlertCase c : cases) {
            out.add(
                    String.join(
                            ",",
                            columns.stream()
                                    .map(col -> csvField(text(col.value().apply(c))))
                                    .toList()));
        }
        return out;
    }

    private String json(List<AlertCase> cases) {
        ArrayNode array = JSON.createArrayNode();
        for (AlertCase c : cases) {
            ObjectNode row = array.addObject();
            for (Column col : columns) {
                Object value = col.value().apply(c);
                if (value == null) {
                    row.putNull(col.name());
                } else if (value instanceof Instant t) {
                    row.put(col.name(), ISO.format(t));
                } else {
                    row.put(col.name(), value.toString());
                }
            }
        }
        try {
            return JSON.writeValueAsString(array);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String text(Object value) {
        if (value == null) {
            return "";
        }
        return value instanceof Instant t ? TIME.format(t) : value.toString();
    }

    /** A table cell: one line, at most {@link #CELL} characters, "-" for nothing. */
    static String cell(String text) {
        String line = text.replaceAll("\\s+", " ").strip();
        if (line.isEmpty()) {
            return "-";
        }
        return line.length() <= CELL ? line : line.substring(0, CELL - 1) + "…";
    }

    /** RFC 4180: quoted when it holds a comma, quote or line break; quotes doubled. */
    static String csvField(String text) {
        if (text.contains(",") || text.contains("\"") || text.contains("\n")) {
            return "\"" + text.replace("\"", "\"\"") + "\"";
        }
        return text;
    }

    /** An age as people say it: 3d 4h, 5h 12m, 7m. */
    static String age(Duration age) {
        if (age.isNegative()) {
            return "0m";
        }
        long days = age.toDays();
        long hours = age.toHoursPart();
        long minutes = age.toMinutesPart();
        if (days > 0) {
            return days + "d " + hours + "h";
        }
        if (hours > 0) {
            return hours + "h " + minutes + "m";
        }
        return minutes + "m";
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
