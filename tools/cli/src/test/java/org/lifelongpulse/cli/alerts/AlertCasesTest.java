package org.lifelongpulse.cli.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reads' SQL and the rows they parse, with a stand-in for ClickHouse. */
class AlertCasesTest {

    @Test
    void textFromTheCommandLineStaysAStringLiteral() {
        assertThat(AlertCases.sqlString("R5")).isEqualTo("'R5'");
        assertThat(AlertCases.sqlString("x' OR 1=1 --")).isEqualTo("'x\\' OR 1=1 --'");
        assertThat(AlertCases.sqlString("a\\' b")).isEqualTo("'a\\\\\\' b'");
    }

    @Test
    void filtersNarrowTheEnforcedAlertsAndRowsBecomeCases() {
        List<String> asked = new ArrayList<>();
        AlertCases cases =
                new AlertCases(
                        sql -> {
                            asked.add(sql);
                            return List.of(
                                    List.of(
                                            "R3-I-1",
                                            "R3",
                                            "I",
                                            "Chess Club",
                                            "JINGAN",
                                            "RED",
                                            "RESOLVED",
                                            "1635127200",
                                            "1635127260",
                                            "2",
                                            "0",
                                            "Closed by li: ok",
                                            "li",
                                            "",
                                            "",
                                            "li",
                                            "ok",
                                            "1635130800"),
                                    List.of(
                                            "R2-I-2",
                                            "R2",
                                            "I",
                                            "",
                                            "JINGAN",
                                            "YELLOW",
                                            "OPEN",
                                            "1635121800",
                                            "1635121800",
                                            "1",
                                            "1",
                                            "e",
                                            "",
                                            "",
                                            "",
                                            "",
                                            "",
                                            "0"));
                        });
        List<AlertCase> found = cases.enforced("R3", "JINGAN", null);
        assertThat(asked.get(0))
                .contains("WHERE shadow = 0 AND rule_id = 'R3' AND district = 'JINGAN'")
                .doesNotContain("institution_id = '")
                .contains("pulse.risk_alerts FINAL")
                .contains("pulse.alert_actions FINAL");
        AlertCase closed = found.get(0);
        assertThat(closed.open()).isFalse();
        assertThat(closed.version()).isEqualTo(2);
        assertThat(closed.closedAt()).isEqualTo(Instant.ofEpochSecond(1635130800));
        assertThat(closed.lastDetectedAt()).isEqualTo(Instant.ofEpochSecond(1635127260));
        AlertCase open = found.get(1);
        assertThat(open.shadow()).isTrue();
        assertThat(open.open()).isTrue();
        assertThat(open.closedAt()).isNull();
        assertThat(open.acknowledged()).isFalse();
    }
}
