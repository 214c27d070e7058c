package org.lifelongpulse.cli.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.lifelongpulse.cli.snapshot.DashboardQueries.Option;
import org.lifelongpulse.cli.snapshot.Html;
import org.lifelongpulse.cli.web.LiveDashboards.Choice;
import org.lifelongpulse.cli.web.LiveDashboards.Definition;
import org.lifelongpulse.cli.web.LiveDashboards.Rendered;
import org.lifelongpulse.cli.web.LiveDashboards.Selection;

/**
 * The HTML of the live pages (skeleton in {@code dashboard.html} beside this class): the controls
 * (a drop-down per variable, the time-range picker), the panels as the snapshot draws them, and
 * {@code live.js}, which fetches the panels again every 5 s and on every change without reloading
 * the page. Every text from the data or the request is HTML-escaped.
 */
final class DashboardPage {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(\\w+)}}");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter LABEL =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.of("Asia/Shanghai"));
    private static final DateTimeFormatter CLOCK =
            DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.of("Asia/Shanghai"));
    private static final DateTimeFormatter INPUT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm").withZone(ZoneId.of("Asia/Shanghai"));

    private final String template;

    DashboardPage() {
        this.template = resource("dashboard.html");
    }

    static String resource(String name) {
        try (InputStream in = DashboardPage.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The whole page of a rendered dashboard. */
    String page(Rendered rendered, List<Definition> all, Instant now) {
        Selection s = rendered.selection();
        return fill(
                Map.of(
                        "title", Html.escape(s.dashboard().title()),
                        "nav", nav(all, s.dashboard()),
                        "description", Html.escape(s.dashboard().description()),
                        "uid", Html.escape(s.dashboard().uid()),
                        "controls", controls(s),
                        "status", Html.escape(status(rendered, now)),
                        "grid", rendered.grid()));
    }

    /** What a refresh returns: the panels, the status line and the variables' options. */
    String refresh(Rendered rendered, Instant now) {
        ObjectNode body = JSON.createObjectNode();
        body.put("grid", rendered.grid());
        body.put("status", status(rendered, now));
        ArrayNode variables = body.putArray("variables");
        for (Choice c : rendered.selection().choices()) {
            if (c.textBox()) {
                continue; // no options to refresh: the viewer's own text stays
            }
            ObjectNode v = variables.addObject();
            v.put("name", c.name());
            ArrayNode options = v.putArray("options");
            if (c.includeAll()) {
                options.addArray().add(LiveDashboards.ALL).add("All");
            }
            for (Option o : c.options()) {
                options.addArray().add(o.value()).add(o.label());
            }
            ArrayNode selected = v.putArray("selected");
            c.selected().forEach(selected::add);
        }
        return json(body);
    }

    /** The list of dashboards. */
    String index(List<Definition> all, String query) {
        StringBuilder list = new StringBuilder("<ul class=index>");
        for (Definition d : all) {
            list.append("<li><a href=\"/d/")
                    .append(Html.escape(d.uid()))
                    .append(query.isEmpty() ? "" : "?" + Html.escape(query))
                    .append("\">")
                    .append(Html.escape(d.title()))
                    .append("</a><p class=note>")
                    .append(Html.escape(d.description()))
                    .append("</p></li>");
        }
        list.append("</ul>");
        return fill(
                Map.of(
                        "title", "Dashboards",
                        "nav", nav(all, null),
                        "description",
                                "The Grafana dashboards of dashboards/, live from ClickHouse.",
                        "uid", "",
                        "controls", "",
                        "status", "",
                        "grid", list.toString()));
    }

    /** A page saying why a request was refused. */
    String error(int status, String message, List<Definition> all) {
        return fill(
                Map.of(
                        "title", status == 400 ? "Bad request" : "Error " + status,
                        "nav", nav(all, null),
                        "description", "",
                        "uid", "",
                        "controls", "",
                        "status", "",
                        "grid", "<p class=error id=message>" + Html.escape(message) + "</p>"));
    }

    static String error(String message) {
        ObjectNode body = JSON.createObjectNode().put("error", message);
        return json(body);
    }

    private static String status(Rendered rendered, Instant now) {
        Selection s = rendered.selection();
        return LABEL.format(s.range().from())
                + " to "
                + LABEL.format(s.range().to())
                + " Asia/Shanghai · "
                + s.interval().toMinutes()
                + "-minute buckets · refreshed "
                + CLOCK.format(now)
                + " in "
                + rendered.took().toMillis()
                + " ms";
    }

    private static String nav(List<Definition> all, Definition current) {
        StringBuilder nav = new StringBuilder("<a href=\"/\">Lifelong Pulse</a>");
        for (Definition d : all) {
            nav.append(d.equals(current) ? " <b>" : " <a href=\"/d/" + Html.escape(d.uid()) + "\">")
                    .append(Html.escape(d.title()))
                    .append(d.equals(current) ? "</b>" : "</a>");
        }
        return nav.toString();
    }

    private static String controls(Selection s) {
        StringBuilder out = new StringBuilder();
        for (Choice c : s.choices()) {
            if (c.textBox()) {
                out.append("<label>")
                        .append(Html.escape(c.label()))
                        .append(" <input name=\"var-")
                        .append(Html.escape(c.name()))
                        .append("\" size=14 value=\"")
                        .append(Html.escape(c.selected().get(0)))
                        .append("\"></label> ");
                continue;
            }
            boolean several = c.selected().size() > 1;
            out.append("<label>")
                    .append(Html.escape(c.label()))
                    .append(" <select name=\"var-")
                    .append(Html.escape(c.name()))
                    .append("\"")
                    .append(several ? " multiple" : "")
                    .append(">");
            if (c.includeAll()) {
                out.append(option(LiveDashboards.ALL, "All", c.all()));
            }
            for (Option o : c.options()) {
                out.append(
                        option(o.value(), o.label(), !c.all() && c.selected().contains(o.value())));
            }
            out.append("</select></label> ");
        }
        out.append("<label>Time range <select name=range>");
        for (List<String> choice : TimeRange.CHOICES) {
            out.append(
                    option(choice.get(0), choice.get(1), choice.get(0).equals(s.range().choice())));
        }
        out.append("</select></label> ");
        boolean custom = s.range().choice().equals(TimeRange.CUSTOM);
        out.append("<span id=custom")
                .append(custom ? "" : " hidden")
                .append("><input name=from size=18 value=\"")
                .append(Html.escape(custom ? s.range().fromText() : INPUT.format(s.range().from())))
                .append("\"> to <input name=to size=18 value=\"")
                .append(Html.escape(custom ? s.range().toText() : INPUT.format(s.range().to())))
                .append("\"> <button type=submit>Apply</button></span>");
        return out.toString();
    }

    private static String option(String value, String label, boolean selected) {
        return "<option value=\""
                + Html.escape(value)
                + "\""
                + (selected ? " selected" : "")
                + ">"
                + Html.escape(label)
                + "</option>";
    }

    /** A query string for links: the parameters given, encoded. */
    static String query(Map<String, List<String>> params) {
        StringBuilder q = new StringBuilder();
        params.forEach(
                (name, values) ->
                        values.forEach(
                                v ->
                                        q.append(q.isEmpty() ? "" : "&")
                                                .append(
                                                        URLEncoder.encode(
                                                                name, StandardCharsets.UTF_8))
                                                .append('=')
                                                .append(
                                                        URLEncoder.encode(
                                                                v, StandardCharsets.UTF_8))));
        return q.toString();
    }

    private String fill(Map<String, String> values) {
        // one pass, so text from the data is never read as a placeholder
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder page = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalStateException(
                        "dashboard.html has an unknown placeholder " + m.group());
            }
            m.appendReplacement(page, Matcher.quoteReplacement(value));
        }
        return m.appendTail(page).toString();
    }

    private static String json(ObjectNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
