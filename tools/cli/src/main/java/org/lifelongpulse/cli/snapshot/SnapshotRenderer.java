package org.lifelongpulse.cli.snapshot;

import static org.lifelongpulse.cli.snapshot.Html.escape;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.lifelongpulse.cli.snapshot.Dashboard.Panel;
import org.lifelongpulse.cli.snapshot.Dashboard.Target;

/**
 * The snapshot page from dashboards whose queries have already run: one self-contained HTML page
 * (the skeleton and style in {@code snapshot.html} beside this class), a section per dashboard,
 * stats as big numbers, tables with severity colours, charts as inline SVG. Every text from the
 * data is HTML-escaped.
 */
public final class SnapshotRenderer {

    private static final String TEMPLATE = "snapshot.html";
    private static final String STYLESHEET = "panels.css";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(\\w+)}}");

    private final ZoneId serverZone;
    private final String template;
    private final String style;

    /**
     * @param serverZone the zone ClickHouse prints {@code DateTime} values in
     */
    public SnapshotRenderer(ZoneId serverZone) {
        this.serverZone = serverZone;
        this.template = resource(TEMPLATE);
        this.style = resource(STYLESHEET);
    }

    /** The panels' style sheet, which the snapshot inlines and the live pages link to. */
    public static String stylesheet() {
        return resource(STYLESHEET);
    }

    private static String resource(String name) {
        try (InputStream in = SnapshotRenderer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The page.
     *
     * @param from start of the time range the queries covered
     * @param to its end
     * @param interval the bucket width the queries used
     * @param taken when the snapshot was taken
     */
    public String render(
            Instant from,
            Instant to,
            Duration interval,
            Instant taken,
            List<Dashboard> dashboards) {
        StringBuilder sections = new StringBuilder();
        for (Dashboard dashboard : dashboards) {
            sections.append("<section><h2>")
                    .append(escape(dashboard.title()))
                    .append("</h2><p class=note>")
                    .append(escape(dashboard.description()))
                    .append("</p><div class=grid>");
            dashboard.panels().forEach(panel -> sections.append(panel(panel)));
            sections.append("</div></section>\n");
        }
        Map<String, String> values =
                Map.of(
                        "from",
                        SvgCharts.LABEL.format(from),
                        "to",
                        SvgCharts.LABEL.format(to),
                        "minutes",
                        Long.toString(interval.toMinutes()),
                        "taken",
                        SvgCharts.LABEL.format(taken),
                        "dashboards",
                        sections.toString(),
                        "style",
                        style);
        // one pass, so text from the data is never read as a placeholder
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder page = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalStateException(
                        TEMPLATE + " has an unknown placeholder " + m.group());
            }
            m.appendReplacement(page, Matcher.quoteReplacement(value));
        }
        return m.appendTail(page).toString();
    }

    /**
     * One panel as the snapshot and the live pages show it: a row heading, a text, or a box with
     * the panel's title and its queries' results; a panel of another data source says which.
     */
    public String panel(Panel panel) {
        String type = panel.type();
        String title = escape(panel.title());
        if (panel.needs() != null) {
            return "<div class=\"panel\"><h4>"
                    + title
                    + "</h4><p class=note>"
                    + escape(panel.needs())
                    + " panel — needs "
                    + escape(panel.needs())
                    + "</p></div>";
        }
        if (type.equals("row")) {
            return "<h3 class=row>" + title + "</h3>";
        }
        if (type.equals("text")) {
            return "<div class=\"panel wide\"><h4>"
                    + title
                    + "</h4><pre>"
                    + escape(panel.content())
                    + "</pre></div>";
        }
        StringBuilder body = new StringBuilder();
        for (Target target : panel.targets()) {
            QueryResult result = target.result();
            if (target.error() != null) {
                body.append("<p class=error>query failed: ")
                        .append(escape(target.error()))
                        .append("</p>");
            } else if (result.rows().isEmpty()) {
                body.append("<p class=note>no data in this range</p>");
            } else if (target.timeSeries()) {
                body.append(SvgCharts.timeSeries(result, serverZone));
            } else if (type.equals("stat")) {
                body.append("<div class=stat>")
                        .append(escape(result.rows().get(0).get(0)))
                        .append("</div>");
            } else if (type.equals("table")) {
                body.append(table(result));
            } else {
                body.append(SvgCharts.bars(result));
            }
        }
        String width = type.equals("table") || type.equals("timeseries") ? " wide" : "";
        return "<div class=\"panel" + width + "\"><h4>" + title + "</h4>" + body + "</div>";
    }

    /** A table; severity cells get their alert colour. */
    private static String table(QueryResult result) {
        StringBuilder out = new StringBuilder("<table><tr>");
        result.names().forEach(n -> out.append("<th>").append(escape(n)).append("</th>"));
        out.append("</tr>");
        for (List<String> row : result.rows()) {
            out.append("<tr>");
            for (int c = 0; c < row.size(); c++) {
                String value = row.get(c);
                String css =
                        result.names().get(c).equals("severity")
                                        && (value.equals("RED") || value.equals("YELLOW"))
                                ? " class=" + value.toLowerCase(Locale.ROOT)
                                : "";
                out.append("<td").append(css).append(">").append(escape(value)).append("</td>");
            }
            out.append("</tr>");
        }
        return out.append("</table>").toString();
    }
}
