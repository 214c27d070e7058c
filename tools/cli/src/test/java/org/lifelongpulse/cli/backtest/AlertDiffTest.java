package org.lifelongpulse.cli.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lifelongpulse.fundrisk.records.AlertRow;

/** The diff of two replays' enforced alerts over a period, by alert id. */
class AlertDiffTest {

    private static final Instant FROM = Instant.parse("2020-10-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2020-11-01T00:00:00Z");
    private static final long OCT_3 = Instant.parse("2020-10-03T08:00:00Z").toEpochMilli();
    private static final long OCT_9 = Instant.parse("2020-10-09T08:00:00Z").toEpochMilli();
    private static final long SEP_30 = Instant.parse("2020-09-30T23:59:59Z").toEpochMilli();

    private static AlertRow alert(
            String rule,
            String institution,
            String district,
            long first,
            String severity,
            long version,
            boolean shadow) {
        String id = rule + "-" + institution + "-" + first + (shadow ? "-shadow" : "");
        return new AlertRow(
                id,
                institution,
                district,
                rule,
                1,
                severity,
                version == 1 ? "OPEN" : "UPDATED",
                first,
                first,
                first,
                first,
                1.0,
                1.0,
                "coverage 0.91, below 1.0",
                "citation",
                version,
                shadow);
    }

    @Test
    void alertsAreGainedLostOrChangedBySeverityAtTheirLatestVersion() {
        List<AlertRow> live =
                List.of(
                        alert("R2", "INST-1", "PUDONG", OCT_3, "RED", 1, false),
                        alert("R5", "INST-2", "XUHUI", OCT_3, "YELLOW", 1, false),
                        alert("R5", "INST-3", "XUHUI", OCT_9, "YELLOW", 1, false),
                        // before the period: not compared
                        alert("R5", "INST-4", "XUHUI", SEP_30, "YELLOW", 1, false));
        List<AlertRow> trial =
                List.of(
                        alert("R2", "INST-1", "PUDONG", OCT_3, "RED", 1, false),
                        alert("R2", "INST-5", "PUDONG", OCT_9, "RED", 1, false),
                        // INST-2's alert turned RED at version 2
                        alert("R5", "INST-2", "XUHUI", OCT_3, "YELLOW", 1, false),
                        alert("R5", "INST-2", "XUHUI", OCT_3, "RED", 2, false),
                        // shadow alerts never count
                        alert("R5", "INST-3", "XUHUI", OCT_9, "YELLOW", 1, true),
                        alert("R8", "INST-6", "XUHUI", SEP_30, "YELLOW", 1, false));

        AlertDiff diff = AlertDiff.of(live, trial, FROM, TO);

        assertThat(diff.gained())
                .extracting(AlertDiff.Change::alertId)
                .containsExactly("R2-INST-5-" + OCT_9);
        assertThat(diff.lost())
                .extracting(AlertDiff.Change::alertId)
                .containsExactly("R5-INST-3-" + OCT_9);
        assertThat(diff.severityChanged())
                .extracting(AlertDiff.Change::alertId)
                .containsExactly("R5-INST-2-" + OCT_3);
        assertThat(diff.unchanged()).isEqualTo(1);
        assertThat(diff.liveAlerts()).isEqualTo(3);
        assertThat(diff.trialAlerts()).isEqualTo(3);
        assertThat(diff.table())
                .containsExactly(
                        "RULE       DISTRICT      LIVE   TRIAL  GAINED    LOST  SEVERITY",
                        "R2         PUDONG           1       2      +1      -0         0",
                        "R5         XUHUI            2       1      +0      -1         1",
                        "total                       3       3      +1      -1         1");
        assertThat(diff.summaryCsv())
                .containsExactly(
                        "rule_id,district,live,trial,gained,lost,severity_changed",
                        "R2,PUDONG,1,2,1,0,0",
                        "R5,XUHUI,2,1,0,1,1",
                        "total,,3,3,1,1,1");
        assertThat(diff.alertsCsv())
                .containsExactly(
                        "change,alert_id,rule_id,institution_id,district,first_detected_at,"
                                + "live_severity,trial_severity,live_status,trial_status,"
                                + "live_evidence,trial_evidence",
                        "gained,R2-INST-5-"
                                + OCT_9
                                + ",R2,INST-5,PUDONG,2020-10-09T08:00:00Z,,RED,,OPEN,,"
                                + "\"coverage 0.91, below 1.0\"",
                        "lost,R5-INST-3-"
                                + OCT_9
                                + ",R5,INST-3,XUHUI,2020-10-09T08:00:00Z,YELLOW,,OPEN,,"
                                + "\"coverage 0.91, below 1.0\",",
                        "severity_changed,R5-INST-2-"
                                + OCT_3
                                + ",R5,INST-2,XUHUI,2020-10-03T08:00:00Z,YELLOW,RED,OPEN,UPDATED,"
                                + "\"coverage 0.91, below 1.0\",\"coverage 0.91, below 1.0\"");
    }

    @Test
    void rulesSortByNumberThenComposite() {
        List<AlertRow> trial =
                List.of(
                        alert("COMPOSITE", "INST-1", "PUDONG", OCT_3, "RED", 1, false),
                        alert("R10", "INST-1", "PUDONG", OCT_3, "YELLOW", 1, false),
                        alert("R9", "INST-1", "PUDONG", OCT_3, "RED", 1, false));

        AlertDiff diff = AlertDiff.of(List.of(), trial, FROM, TO);

        assertThat(diff.summary())
                .extracting(AlertDiff.Summary::ruleId)
                .containsExactly("R9", "R10", "COMPOSITE");
    }
}
