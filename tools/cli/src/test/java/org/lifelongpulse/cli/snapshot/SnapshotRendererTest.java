package org.lifelongpulse.cli.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lifelongpulse.cli.snapshot.Dashboard.Panel;
import org.lifelongpulse.cli.snapshot.Dashboard.Target;

/** The snapshot page from hand-made query results. */
class SnapshotRendererTest {

    // 08:00 to 08:00 the next day in Shanghai, taken at 09:02:03 there
    private static final Instant FROM = Instant.parse("2021-10-25T00:00:00Z");
    private static final Instant TO = Instant.parse("2021-10-26T00:00:00Z");
    private static final Instant TAKEN = Instant.parse("2021-10-26T01:02:03Z");
    private static final Duration TWELVE_MINUTES = Duration.ofMinutes(12);

    private final SnapshotRenderer renderer = new SnapshotRenderer(ZoneId.of("UTC"));

    private static QueryResult rows(List<String> names, List<String> types, List<String>... rows) {
        return new QueryResult(names, types, List.of(rows));
    }

    private static Panel panel(String type, String title, Target... targets) {
        return new Panel(type, title, "", List.of(targets));
    }

    private String render(Dashboard... dashboards) {
        return renderer.render(FROM, TO, TWELVE_MINUTES, TAKEN, List.of(dashboards));
    }

    @Test
    void withoutDashboardsThePageHasItsHeaderAndNothingElse() {
        String page = render();

        assertThat(page)
                .startsWith("<!DOCTYPE html><html lang=en><head><meta charset=utf-8>")
                .contains(
                        "<title>Lifelong Pulse snapshot</title>",
                        "<style>",
                        "td.red{background:#e02f44;color:#fff}",
                        "<h1>Lifelong Pulse</h1>")
                .contains(
                        "Snapshot of 10-25 08:00 to 10-26 08:00 (Asia/Shanghai),"
                                + " 12-minute buckets,\ntaken 10-26 09:02.")
                .endsWith("</p>\n</body></html>\n")
                .doesNotContain("<section", "{{", "<script");
    }

    @Test
    void aDashboardIsASectionWithItsTitleAndDescriptionEscaped() {
        String page =
                render(
                        new Dashboard("Fund <Supervision>", "Grafana's & yours", List.of()),
                        new Dashboard("Second", "", List.of()));

        assertThat(page)
                .contains(
                        "<section><h2>Fund &lt;Supervision&gt;</h2><p class=note>"
                                + "Grafana&#39;s &amp; yours</p><div class=grid></div></section>\n"
                                + "<section><h2>Second</h2>");
    }

    @Test
    void rowsTextAndStatsShowTheirValuesEscaped() {
        String page =
                render(
                        new Dashboard(
                                "D",
                                "",
                                List.of(
                                        panel("row", "Totals <all>"),
                                        new Panel(
                                                "text",
                                                "Where",
                                                "<script>alert(1)</script>\nsee Grafana",
                                                List.of()),
                                        panel(
                                                "stat",
                                                "Open RED alerts",
                                                Target.of(
                                                        false,
                                                        rows(
                                                                List.of("n"),
                                                                List.of("UInt64"),
                                                                List.of("12")))),
                                        panel(
                                                "stat",
                                                "Name",
                                                Target.of(
                                                        false,
                                                        rows(
                                                                List.of("name"),
                                                                List.of("String"),
                                                                List.of("A&B <i>")))))));

        assertThat(page)
                .contains(
                        "<div class=grid><h3 class=row>Totals &lt;all&gt;</h3><div class=\"panel"
                            + " wide\"><h4>Where</h4><pre>&lt;script&gt;alert(1)&lt;/script&gt;\n"
                            + "see Grafana</pre></div><div class=\"panel\"><h4>Open RED"
                            + " alerts</h4><div class=stat>12</div></div><div"
                            + " class=\"panel\"><h4>Name</h4><div class=stat>A&amp;B"
                            + " &lt;i&gt;</div></div></div></section>");
        assertThat(page).doesNotContain("<script>", "<i>");
    }

    @Test
    void aTableColoursSeverityCellsAndEscapesEveryCell() {
        String page =
                render(
                        new Dashboard(
                                "D",
                                "",
                                List.of(
                                        panel(
                                                "table",
                                                "Open alerts",
                                                Target.of(
                                                        false,
                                                        rows(
                                                                List.of(
                                                                        "severity",
                                                                        "institution",
                                                                        "<note>"),
                                                                List.of(
                                                                        "String", "String",
                                                                        "String"),
                                                                List.of(
                                                                        "RED",
                                                                        "Learn & Co",
                                                                        "refund \"late\""),
                                                                List.of("YELLOW", "B", ""),
                                                                List.of("GREEN", "RED", "x")))))));

        assertThat(page)
                .contains(
                        "<div class=\"panel wide\"><h4>Open alerts</h4><table>"
                            + "<tr><th>severity</th><th>institution</th><th>&lt;note&gt;</th></tr><tr><td"
                            + " class=red>RED</td><td>Learn &amp; Co</td><td>refund"
                            + " &quot;late&quot;</td></tr><tr><td"
                            + " class=yellow>YELLOW</td><td>B</td><td></td></tr>"
                                // only the severity column is coloured, only RED and YELLOW
                                + "<tr><td>GREEN</td><td>RED</td><td>x</td></tr></table></div>");
    }

    @Test
    void failedAndEmptyQueriesAreSaidSoAndTheOtherQueriesStillShow() {
        QueryResult none = rows(List.of("t", "n"), List.of("DateTime", "UInt64"));
        String page =
                render(
                        new Dashboard(
                                "D",
                                "",
                                List.of(
                                        panel(
                                                "timeseries",
                                                "Events",
                                                Target.failed(
                                                        "Code: 47. Unknown identifier <x> & 'y'"),
                                                Target.of(true, none),
                                                Target.of(
                                                        true,
                                                        rows(
                                                                List.of("t", "n"),
                                                                List.of("DateTime", "UInt64"),
                                                                List.of("2021-10-25 00:00:00", "3"),
                                                                List.of(
                                                                        "2021-10-25 01:00:00",
                                                                        "6")))))));

        assertThat(page)
                .contains(
                        "<div class=\"panel wide\"><h4>Events</h4><p class=error>query failed:"
                            + " Code: 47. Unknown identifier &lt;x&gt; &amp; &#39;y&#39;</p><p"
                            + " class=note>no data in this range</p><svg viewBox=\"0 0 760 220\""
                            + " class=chart role=img>");
        // 3 of 6 is half-way: y = 196 - 180 / 2
        assertThat(page).contains("points=\"50.0,106.0 760.0,16.0\"", "■ n</span>");
    }

    @Test
    void otherChartsAreBars() {
        String page =
                render(
                        new Dashboard(
                                "D",
                                "",
                                List.of(
                                        panel(
                                                "barchart",
                                                "By district",
                                                Target.of(
                                                        false,
                                                        rows(
                                                                List.of("district", "visits"),
                                                                List.of("String", "UInt64"),
                                                                List.of("PUDONG", "7")))))));

        assertThat(page)
                .contains(
                        "<div class=\"panel\"><h4>By district</h4>"
                                + "<svg viewBox=\"0 0 480 26\" class=chart role=img>"
                                + "<text x=0 y=16 class=axis>PUDONG</text>"
                                + "<rect x=150 y=2 width=260.0 height=16 fill=\"#3274d9\" />"
                                + "<text x=416.0 y=16 class=axis>7</text></svg></div>");
    }

    @Test
    void aPlaceholderInTheDataStaysText() {
        String page = render(new Dashboard("{{taken}}", "{{dashboards}}", List.of()));

        assertThat(page).contains("<h2>{{taken}}</h2><p class=note>{{dashboards}}</p>");
    }
}
