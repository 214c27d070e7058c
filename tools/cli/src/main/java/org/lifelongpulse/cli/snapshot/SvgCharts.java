package org.lifelongpulse.cli.snapshot;

import static org.lifelongpulse.cli.snapshot.Html.escape;
import static org.lifelongpulse.cli.snapshot.Html.number;
import static org.lifelongpulse.cli.snapshot.Html.parseNumber;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The snapshot's charts as inline SVG (no scripts): lines over time, and horizontal bars. Text from
 * the data is escaped; numbers are printed as {@link Html#number}.
 */
final class SvgCharts {

    /** Time labels are in the programme's zone, as on the dashboards. */
    static final DateTimeFormatter LABEL =
            DateTimeFormatter.ofPattern("MM-dd HH:mm").withZone(ZoneId.of("Asia/Shanghai"));

    static final String[] PALETTE = {
        "#3274d9", "#56a64b", "#e0b400", "#e02f44", "#8f3bb8", "#ff780a", "#14a5a5", "#7c7c7c"
    };

    private static final DateTimeFormatter CH_DATE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    // time-series geometry: the plot spans x in [LEFT, WIDTH], y in [TOP, HEIGHT - BOTTOM]
    static final int WIDTH = 760;
    static final int HEIGHT = 220;
    static final int LEFT = 50;
    static final int BOTTOM = 24;
    static final int TOP = 16;

    // bar geometry: one bar per row, scaled so the largest is BAR_LENGTH long
    static final int ROW_HEIGHT = 22;
    static final int BAR_X = 150;
    static final int BAR_LENGTH = 260;

    private SvgCharts() {}

    /**
     * Lines over time, one per numeric column; a text column (long format) splits the rows into
     * series instead, one per distinct text, summing rows that share a time. A series without a
     * value at some time is drawn at 0 there. The y axis runs from 0 to the largest value.
     *
     * @param result at least one row, the first column a {@code yyyy-MM-dd HH:mm:ss} time
     * @param serverZone the zone ClickHouse printed the times in
     */
    static String timeSeries(QueryResult result, ZoneId serverZone) {
        int label = -1;
        for (int c = 1; c < result.names().size(); c++) {
            if (result.isText(c)) {
                label = c;
            }
        }
        Map<String, Map<Instant, Double>> series = new LinkedHashMap<>();
        TreeSet<Instant> times = new TreeSet<>();
        for (List<String> row : result.rows()) {
            Instant time =
                    LocalDateTime.parse(row.get(0), CH_DATE_TIME).atZone(serverZone).toInstant();
            times.add(time);
            for (int c = 1; c < row.size(); c++) {
                if (c == label || result.isText(c)) {
                    continue;
                }
                String name = label >= 0 ? row.get(label) : result.names().get(c);
                series.computeIfAbsent(name, k -> new LinkedHashMap<>())
                        .merge(time, parseNumber(row.get(c)), Double::sum);
            }
        }
        double max =
                series.values().stream()
                        .flatMap(m -> m.values().stream())
                        .mapToDouble(Double::doubleValue)
                        .max()
                        .orElse(1);
        max = max <= 0 ? 1 : max;
        long t0 = times.first().getEpochSecond();
        long span = Math.max(1, times.last().getEpochSecond() - t0);
        int base = HEIGHT - BOTTOM;
        StringBuilder svg =
                new StringBuilder(
                        "<svg viewBox=\"0 0 " + WIDTH + " " + HEIGHT + "\" class=chart role=img>");
        svg.append(
                String.format(
                        Locale.ROOT,
                        "<text x=4 y=12 class=axis>%s</text>"
                                + "<text x=4 y=%d class=axis>0</text>",
                        number(max),
                        base));
        svg.append(
                String.format(
                        Locale.ROOT,
                        "<line x1=%d y1=%d x2=%d y2=%d class=base />",
                        LEFT,
                        base,
                        WIDTH,
                        base));
        svg.append(
                String.format(
                        Locale.ROOT,
                        "<text x=%d y=%d class=axis>%s</text>"
                                + "<text x=%d y=%d class=axis text-anchor=end>%s</text>",
                        LEFT,
                        HEIGHT - 6,
                        LABEL.format(times.first()),
                        WIDTH,
                        HEIGHT - 6,
                        LABEL.format(times.last())));
        int i = 0;
        StringBuilder legend = new StringBuilder("<div class=legend>");
        for (Map.Entry<String, Map<Instant, Double>> s : series.entrySet()) {
            String colour = PALETTE[i++ % PALETTE.length];
            StringBuilder points = new StringBuilder();
            for (Instant time : times) {
                double value = s.getValue().getOrDefault(time, 0.0);
                double x = LEFT + (WIDTH - LEFT) * (time.getEpochSecond() - t0) / (double) span;
                double y = base - (base - TOP) * value / max;
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            svg.append("<polyline fill=none stroke-width=2 stroke=\"")
                    .append(colour)
                    .append("\" points=\"")
                    .append(points.toString().strip())
                    .append("\" />");
            legend.append("<span style=\"color:")
                    .append(colour)
                    .append("\">■ ")
                    .append(escape(s.getKey()))
                    .append("</span>");
        }
        return svg.append("</svg>").append(legend).append("</div>").toString();
    }

    /**
     * Horizontal bars: label = the first text column (else the first column), value = the first
     * numeric column; a single row without text (a funnel) becomes one bar per column.
     */
    static String bars(QueryResult result) {
        List<String> labels = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        int text = result.types().indexOf("String");
        if (result.rows().size() == 1 && text < 0) {
            for (int c = 0; c < result.names().size(); c++) {
                labels.add(result.names().get(c));
                values.add(parseNumber(result.rows().get(0).get(c)));
            }
        } else {
            int value = -1;
            for (int c = 0; c < result.types().size() && value < 0; c++) {
                if (!result.isText(c)) {
                    value = c;
                }
            }
            for (List<String> row : result.rows()) {
                labels.add(text >= 0 ? row.get(text) : row.get(0));
                values.add(value >= 0 ? parseNumber(row.get(value)) : 0);
            }
        }
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(1);
        max = max <= 0 ? 1 : max;
        StringBuilder svg =
                new StringBuilder(
                        "<svg viewBox=\"0 0 480 "
                                + (ROW_HEIGHT * labels.size() + 4)
                                + "\" class=chart role=img>");
        for (int i = 0; i < labels.size(); i++) {
            double width = BAR_LENGTH * values.get(i) / max;
            int y = i * ROW_HEIGHT + 2;
            svg.append(
                    String.format(
                            Locale.ROOT,
                            "<text x=0 y=%d class=axis>%s</text>"
                                    + "<rect x=%d y=%d width=%.1f height=%d fill=\"%s\" />"
                                    + "<text x=%.1f y=%d class=axis>%s</text>",
                            y + 14,
                            escape(abbreviate(labels.get(i))),
                            BAR_X,
                            y,
                            width,
                            ROW_HEIGHT - 6,
                            PALETTE[0],
                            BAR_X + 6 + width,
                            y + 14,
                            number(values.get(i))));
        }
        return svg.append("</svg>").toString();
    }

    /** Long labels are cut to 24 characters, the last an ellipsis. */
    static String abbreviate(String s) {
        return s.length() <= 24 ? s : s.substring(0, 23) + "…";
    }
}
