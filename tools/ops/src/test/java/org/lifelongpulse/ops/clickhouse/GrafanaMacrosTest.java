package org.lifelongpulse.ops.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lifelongpulse.ops.clickhouse.GrafanaMacros.Variable;

/**
 * The expander against hand-written expansions of the plugin v4's macros (its Go back end and its
 * front end's {@code $__conditionalAll}) and Grafana's variable formats.
 */
class GrafanaMacrosTest {

    /** 2021-10-25 08:00 to 13:00 in Shanghai. */
    private static final Instant FROM = Instant.ofEpochSecond(1_635_120_000L);

    private static final Instant TO = Instant.ofEpochSecond(1_635_138_000L);

    private static GrafanaMacros macros(Variable... variables) {
        return new GrafanaMacros(FROM, TO, Duration.ofMinutes(10), List.of(variables));
    }

    @Test
    void timeFilterComparesTheColumnWithDateTimesInEpochSeconds() {
        assertThat(macros().expand("WHERE $__timeFilter(minute)"))
                .isEqualTo(
                        "WHERE minute >= toDateTime(1635120000) AND minute <="
                                + " toDateTime(1635138000)");
        assertThat(macros().expand("$__fromTime, $__toTime"))
                .isEqualTo("toDateTime(1635120000), toDateTime(1635138000)");
        assertThat(macros().expand("$__dateFilter(day)"))
                .isEqualTo("day >= toDate('2021-10-25') AND day <= toDate('2021-10-25')");
    }

    @Test
    void intervalMacrosGiveSecondsAndThePluginsToStartOfInterval() {
        assertThat(macros().expand("intDiv(toUInt32(t), $__interval_s) * $__interval_s"))
                .isEqualTo("intDiv(toUInt32(t), 600) * 600");
        assertThat(macros().expand("$__timeInterval(t)"))
                .isEqualTo("toStartOfInterval(toDateTime(t), INTERVAL 600 second)");
        assertThat(macros().expand("$__from-$__to $__interval"))
                .isEqualTo("1635120000000-1635138000000 10m");
    }

    @Test
    void conditionalAllDropsTheConditionWhenAllIsSelected() {
        String sql = "WHERE $__conditionalAll(district IN (${district:singlequote}), $district)";
        assertThat(macros(Variable.all("district", List.of("PUDONG", "XUHUI"))).expand(sql))
                .isEqualTo("WHERE 1=1");
        assertThat(macros(Variable.of("district", "PUDONG", "XUHUI")).expand(sql))
                .isEqualTo("WHERE district IN ('PUDONG','XUHUI')");
    }

    @Test
    void variableFormatsQuoteAndEscapeLikeGrafana() {
        GrafanaMacros m = macros(Variable.of("v", "O'Brien", "b"), Variable.of("one", "x"));
        assertThat(m.expand("${v:singlequote}")).isEqualTo("'O\\'Brien','b'");
        assertThat(m.expand("${v:sqlstring}")).isEqualTo("'O''Brien','b'");
        assertThat(m.expand("${v:csv}")).isEqualTo("O'Brien,b");
        assertThat(m.expand("$one = '${one}' [[one]]")).isEqualTo("x = 'x' x");
        assertThat(m.expand("IN ($v)"))
                .as("the plugin quotes multi-value lists")
                .isEqualTo("IN ('O\\'Brien','b')");
    }

    @Test
    void anUnknownMacroOrVariableIsAnError() {
        assertThatThrownBy(() -> macros().expand("$__timeGroup(t, 1m)"))
                .hasMessageContaining("$__timeGroup");
        assertThatThrownBy(() -> macros().expand("WHERE d = '$district'"))
                .hasMessageContaining("$district");
    }

    @Test
    void theAutomaticIntervalIsRoundAndAtLeastAMinute() {
        assertThat(GrafanaMacros.intervalFor(FROM, TO, 200)).isEqualTo(Duration.ofMinutes(2));
        assertThat(GrafanaMacros.intervalFor(FROM, FROM.plusSeconds(600), 200))
                .isEqualTo(Duration.ofMinutes(1));
        assertThat(GrafanaMacros.intervalFor(FROM, FROM.plus(Duration.ofDays(7)), 200))
                .isEqualTo(Duration.ofHours(1));
    }
}
