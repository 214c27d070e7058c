package org.lifelongpulse.fundrisk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lifelongpulse.cli.PulseCli;
import org.lifelongpulse.dashboards.DashboardQueryChecks;
import org.lifelongpulse.stack.Endpoints;
import org.lifelongpulse.stack.testing.LocalStackExtension;
import org.lifelongpulse.testutils.Flink;

/**
 * A supervisor's case, round trip through the real parts: the fund-risk job finds the default
 * world's alerts; {@code ./pulse alerts ack | note | close} record actions on {@code
 * fund.alert-actions.v1}; the job, replaying from scratch as after a redeployment, stores the
 * actions and resolves the closed alert at the version the supervisor saw; the dashboard's triage
 * queue no longer lists it and "Recently closed" shows it with its reason. The alert chosen is an
 * incident alert the truth says stays open, so only the close can resolve it.
 */
@ExtendWith(LocalStackExtension.class)
class CaseHandlingITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = Flink.miniCluster(null);

    record Cli(int exitCode, String out, String err) {}

    Cli pulse(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--work-dir");
        all.add("target/pulse-stack");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code =
                PulseCli.run(
                        all.toArray(String[]::new),
                        new PrintWriter(out, true),
                        new PrintWriter(err, true));
        return new Cli(code, out.toString(), err.toString());
    }

    @Test
    void ackNoteCloseReachTheJobAndTheQueue(Endpoints endpoints) throws Exception {
        FundRiskRun run = FundRiskRun.prepare(endpoints, 6);
        run.runJob("fund-risk before the case", ledger -> ledger);

        JsonNode chosen = null;
        for (JsonNode e : run.truth().path("alerts").path("episodes")) {
            if (e.path("rule_id").asText().matches("R[1-4]|R7|R12")
                    && !e.path("status").asText().equals("RESOLVED")) {
                chosen = e;
            }
        }
        assertThat(chosen).as("an incident alert that stays open").isNotNull();
        String alert = chosen.path("alert_id").asText();
        long seen = chosen.path("versions").asLong();
        String institution = chosen.path("institution_id").asText();
        String prefix = run.world.prefix();

        DashboardQueryChecks checks =
                DashboardQueryChecks.asReader(
                        endpoints,
                        Instant.parse("2020-01-01T00:00:00Z"),
                        Instant.now().plus(Duration.ofDays(1)),
                        Duration.ofHours(1));
        Map<String, List<String>> atInstitution = Map.of("institution", List.of(institution));
        assertThat(queue(checks, atInstitution)).contains(alert);

        Cli ack = pulse("alerts", "ack", alert, "--by", "li.wei", "--prefix", prefix);
        assertThat(ack.exitCode()).as(ack.err()).isZero();
        Cli note =
                pulse(
                        "alerts",
                        "note",
                        alert,
                        "--by",
                        "li.wei",
                        "--note",
                        "called the institution",
                        "--prefix",
                        prefix);
        assertThat(note.exitCode()).as(note.err()).isZero();
        Cli close =
                pulse(
                        "alerts",
                        "close",
                        alert,
                        "--by",
                        "zhang.min",
                        "--reason",
                        "charge refunded, receipt checked",
                        "--prefix",
                        prefix);
        assertThat(close.exitCode()).as(close.err()).isZero();
        assertThat(close.out()).contains("version " + seen + ")");

        // the job again, from scratch: it reads the actions with the reference topics
        run.runJob("fund-risk after the case", ledger -> ledger);

        assertThat(
                        run.warehouse.rowSet(
                                "SELECT action, actor, text, alert_version FROM"
                                        + " pulse.alert_actions FINAL WHERE alert_id = '"
                                        + alert
                                        + "'"))
                .containsExactlyInAnyOrder(
                        "ACK|li.wei||" + seen,
                        "NOTE|li.wei|called the institution|" + seen,
                        "CLOSE|zhang.min|charge refunded, receipt checked|" + seen);
        assertThat(
                        run.warehouse.rowSet(
                                "SELECT toString(status), version, evidence FROM"
                                        + " pulse.risk_alerts FINAL WHERE alert_id = '"
                                        + alert
                                        + "'"))
                .singleElement()
                .asString()
                .startsWith("RESOLVED|" + (seen + 1) + "|Closed by zhang.min at ")
                .contains(": charge refunded, receipt checked. Last finding: ");
        // every version is kept: the history behind the latest state
        assertThat(
                        run.warehouse.count(
                                "SELECT count() FROM pulse.alert_versions FINAL WHERE alert_id = '"
                                        + alert
                                        + "'"))
                .isEqualTo(seen + 1);

        assertThat(queue(checks, atInstitution)).doesNotContain(alert);
        List<List<String>> closed =
                checks.rows("pulse-fund-supervision", "Recently closed/A", atInstitution);
        assertThat(closed)
                .filteredOn(r -> r.contains(alert))
                .singleElement()
                .satisfies(
                        r ->
                                assertThat(r)
                                        .contains("zhang.min")
                                        .contains("charge refunded, receipt checked"));
        Cli list =
                pulse(
                        "alerts",
                        "list",
                        "--closed",
                        "--institution",
                        institution,
                        "--format",
                        "csv");
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out()).contains(alert).contains("charge refunded, receipt checked");
    }

    private static List<String> queue(
            DashboardQueryChecks checks, Map<String, List<String>> chosen) {
        return checks.rows("pulse-fund-supervision", "Triage queue/A", chosen).stream()
                .map(r -> r.get(0))
                .toList();
    }
}
