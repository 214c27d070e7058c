package org.lifelongpulse.cli.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Chart geometry, worked by hand: the plot spans x 50..760 and y 196 (zero) up to 16 (the largest
 * value); bars start at x 150, the largest 260 long, one every 22 units.
 */
class SvgChartsTest {

    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    private static QueryResult result(
            List<String> names, List<String> types, List<List<String>> rows) {
        return new QueryResult(names, types, rows);
    }

    @Test
    void aSeriesPerNumericColumnIsScaledToTheLargestValue() {
        // 0, 5, 10 at 00:00, 00:30, 01:00 UTC: half-way in time and value for the middle point
        QueryResult visits =
                result(
                        List.of("t", "visits"),
                        List.of("DateTime", "UInt64"),
                        List.of(
                                List.of("2021-10-25 00:00:00", "0"),
                                List.of("2021-10-25 00:30:00", "5"),
                                List.of("2021-10-25 01:00:00", "10")));

        String svg = SvgCharts.timeSeries(visits, UTC);

        assertThat(svg)
                .startsWith("<svg viewBox=\"0 0 760 220\" class=chart role=img>")
                .contains(
                        "<polyline fill=none stroke-width=2 stroke=\"#3274d9\""
                                + " points=\"50.0,196.0 405.0,106.0 760.0,16.0\" />")
                // the top of the axis is the largest value, the bottom 0
                .contains("<text x=4 y=12 class=axis>10</text><text x=4 y=196 class=axis>0</text>")
                .contains("<line x1=50 y1=196 x2=760 y2=196 class=base />")
                // UTC times labelled in Shanghai time (+8 h)
                .contains("<text x=50 y=214 class=axis>10-25 08:00</text>")
                .contains("<text x=760 y=214 class=axis text-anchor=end>10-25 09:00</text>")
                .endsWith(
                        "</svg><div class=legend><span style=\"color:#3274d9\">■ visits</span>"
                                + "</div>");
        assertThat(svg).containsOnlyOnce("<polyline");
    }

    @Test
    void aTextColumnSplitsRowsIntoSeriesAndSumsRowsOfOneTime() {
        // online: 4 at 08:00, 3 + 5 = 8 at 10:00 (the largest); on<site>: 2, then nothing (0)
        QueryResult visits =
                result(
                        List.of("t", "channel", "n"),
                        List.of("DateTime", "String", "UInt64"),
                        List.of(
                                List.of("2021-10-25 08:00:00", "online", "4"),
                                List.of("2021-10-25 08:00:00", "on<site>", "2"),
                                List.of("2021-10-25 10:00:00", "online", "3"),
                                List.of("2021-10-25 10:00:00", "online", "5")));

        String svg = SvgCharts.timeSeries(visits, SHANGHAI);

        assertThat(svg)
                .contains("stroke=\"#3274d9\" points=\"50.0,106.0 760.0,16.0\"")
                // y = 196 - 180 * 2 / 8 = 151
                .contains("stroke=\"#56a64b\" points=\"50.0,151.0 760.0,196.0\"")
                .contains("<text x=4 y=12 class=axis>8</text>")
                .contains(">10-25 08:00</text>", ">10-25 10:00</text>")
                .contains(
                        "<span style=\"color:#3274d9\">■ online</span>"
                                + "<span style=\"color:#56a64b\">■ on&lt;site&gt;</span>")
                .doesNotContain("on<site>");
    }

    @Test
    void oneTimeOfZerosSitsAtTheLeftOnTheBaseline() {
        QueryResult quiet =
                result(
                        List.of("t", "late", "dropped"),
                        List.of("DateTime", "UInt64", "UInt64"),
                        List.of(List.of("2021-10-25 08:00:00", "0", "0")));

        String svg = SvgCharts.timeSeries(quiet, SHANGHAI);

        // with no positive value the scale is 0..1
        assertThat(svg)
                .contains(
                        "points=\"50.0,196.0\"",
                        "<text x=4 y=12 class=axis>1</text>",
                        "■ late</span>",
                        "■ dropped</span>");
    }

    @Test
    void barsTakeTheirLabelFromTheTextColumnAndLengthFromTheFirstNumber() {
        QueryResult districts =
                result(
                        List.of("visits", "district", "share"),
                        List.of("UInt64", "String", "Float64"),
                        List.of(List.of("5", "PUDONG", "0.3"), List.of("10", "A & <B>", "0.7")));

        String svg = SvgCharts.bars(districts);

        // 2 rows of 22, plus 4
        assertThat(svg)
                .isEqualTo(
                        "<svg viewBox=\"0 0 480 48\" class=chart role=img>"
                                + "<text x=0 y=16 class=axis>PUDONG</text>"
                                + "<rect x=150 y=2 width=130.0 height=16 fill=\"#3274d9\" />"
                                + "<text x=286.0 y=16 class=axis>5</text>"
                                + "<text x=0 y=38 class=axis>A &amp; &lt;B&gt;</text>"
                                + "<rect x=150 y=24 width=260.0 height=16 fill=\"#3274d9\" />"
                                + "<text x=416.0 y=38 class=axis>10</text>"
                                + "</svg>");
    }

    @Test
    void aSingleRowOfNumbersIsAFunnelOfOneBarPerColumn() {
        QueryResult funnel =
                result(
                        List.of("enrolled", "started", "completed"),
                        List.of("UInt64", "UInt64", "Float64"),
                        List.of(List.of("40", "20", "2.5")));

        String svg = SvgCharts.bars(funnel);

        // 260 * 20 / 40 = 130, 260 * 2.5 / 40 = 16.25 -> 16.3 (printed to one decimal)
        assertThat(svg)
                .contains(
                        "<text x=0 y=16 class=axis>enrolled</text>"
                                + "<rect x=150 y=2 width=260.0 ")
                .contains(
                        "<text x=0 y=38 class=axis>started</text>"
                                + "<rect x=150 y=24 width=130.0 ")
                .contains(
                        "<text x=0 y=60 class=axis>completed</text>"
                                + "<rect x=150 y=46 width=16.3 ")
                .contains("<text x=172.3 y=60 class=axis>2.50</text>")
                .startsWith("<svg viewBox=\"0 0 480 70\"");
    }

    @Test
    void longLabelsAreCutTo24Characters() {
        assertThat(SvgCharts.abbreviate("Pudong Community College X"))
                .isEqualTo("Pudong Community Colleg…");
        assertThat(SvgCharts.abbreviate("exactly twenty-four char"))
                .isEqualTo("exactly twenty-four char");
    }
}
