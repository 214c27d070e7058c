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
import org.lifelongpulse.adapters.DeadLetterStores;
import org.lifelongpulse.avro.PrepaidTransaction;
import org.lifelongpulse.cli.PulseCli;
import org.lifelongpulse.contracts.Topic;
import org.lifelongpulse.dashboards.DashboardQueryChecks;
import org.lifelongpulse.generator.Fault;
import org.lifelongpulse.stack.Endpoints;
import org.lifelongpulse.stack.testing.LocalStackExtension;
import org.lifelongpulse.testutils.Flink;

/**
 * A supervisor's case, round trip through the real parts: the fund-risk job finds the default
 * world's alerts; {@code ./pulse alerts ack | note | close} record actions on {@code
 * fund.alert-actions.v1}; the job, replaying from scratch as after a redeployment, stores the
 * actions and resolves the closed alert at the version the supervisor saw; the dashboard's triage
 * queue no longer lists it and "Recently closed" shows it with its reason. The alert chosen is an
 * incident alert the truth says stays open, so only the close can resolve it. Between the runs
 * {@code ./pulse deadletters replay} sends the fund topic's dead letters back, twice: the second
 * run rejects them again and counts nothing twice.
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

        // the fund topic's dead letters replayed, twice, from the restricted store: the
        // original bytes back on their topic, for the job's second run
        JsonNode fund = run.world.topicTruth(Topic.FUND_TRANSACTIONS);
        String fundTopic = run.world.topic(Topic.FUND_TRANSACTIONS);
        long malformed = fund.path("malformed").asLong();
        assertThat(malformed).as("the world has dead letters to replay").isPositive();
        Cli dryRun = pulse("deadletters", "replay", "--topic", fundTopic, "--dry-run");
        assertThat(dryRun.exitCode()).as(dryRun.err()).isZero();
        assertThat(dryRun.out()).contains("would replay " + malformed + " letters");
        for (int i = 0; i < 2; i++) {
            Cli replay = pulse("deadletters", "replay", "--topic", fundTopic);
            assertThat(replay.exitCode()).as(replay.err()).isZero();
            assertThat(replay.out()).contains("replayed " + malformed + " letters");
        }

        // the job again, from scratch: it reads the actions with the reference topics
        run.runJob("fund-risk after the case", ledger -> ledger);

        // Replayed letters are judged again and rejected again (their causes are not fixed),
        // each at its new offset with the same reason, a validate-stage one in the partition its
        // producer's key chose; nothing is counted twice.
        String inRestrictedStore =
                " FROM "
                        + DeadLetterStores.RESTRICTED_TABLE
                        + " FINAL WHERE source_topic = '"
                        + fundTopic
                        + "'";
        assertThat(run.warehouse.count("SELECT count()" + inRestrictedStore))
                .as("each letter, and twice its replay")
                .isEqualTo(3 * malformed);
        assertThat(
                        run.warehouse.count(
                                "SELECT count() FROM (SELECT count() AS n"
                                        + inRestrictedStore
                                        + " GROUP BY stage, reason, raw,"
                                        + " if(stage = 'validate', source_partition, -1))"
                                        + " WHERE n != 3"))
                .as("letters not found exactly three times (original and two replays)")
                .isZero();
        assertThat(
                        run.warehouse.count(
                                "SELECT count() FROM pulse.dead_letters FINAL"
                                        + " WHERE source_topic = '"
                                        + fundTopic
                                        + "'"))
                .isEqualTo(3 * malformed);
        assertThat(run.warehouse.count("SELECT count() FROM pulse.fund_transactions FINAL"))
                .as("distinct transactions, the replays counted nowhere")
                .isEqualTo(fund.path("distinct_valid").asLong());
        run.assertLedgersEqualTruth();

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

        // the letters as the reader lists them, then purged from both stores
        long negativeAmounts =
                run.world.world().messages().stream()
                        .filter(m -> m.fault() == Fault.INVALID)
                        .filter(
                                m ->
                                        m.record() instanceof PrepaidTransaction t
                                                && t.getAmountFen() < 0)
                        .count();
        assertThat(negativeAmounts).as("invalid letters of one kind").isPositive();
        Cli letters =
                pulse(
                        "deadletters",
                        "list",
                        "--topic",
                        fundTopic,
                        "--reason",
                        "AMOUNT_FEN",
                        "--limit",
                        "3");
        assertThat(letters.exitCode()).as(letters.err()).isZero();
        assertThat(letters.out().lines().skip(1).toList())
                .hasSize((int) Math.min(3, 3 * negativeAmounts))
                .allSatisfy(l -> assertThat(l).contains("\tvalidate\t", " bytes\t", "amount_fen"));
        assertThat(letters.err()).contains("of " + 3 * negativeAmounts + " matching dead letters");

        Cli purge = pulse("deadletters", "purge", "--topic", fundTopic, "--older-than", "0m");
        assertThat(purge.exitCode()).as(purge.err()).isZero();
        assertThat(purge.out())
                .contains(
                        "deleting "
                                + 3 * malformed
                                + " letters from "
                                + DeadLetterStores.RESTRICTED_TABLE)
                .contains("deleting " + 3 * malformed + " letters from pulse.dead_letters");
        assertThat(run.warehouse.count("SELECT count()" + inRestrictedStore)).as("purged").isZero();
        assertThat(
                        pulse("deadletters", "purge", "--topic", fundTopic, "--older-than", "0m")
                                .exitCode())
                .as("nothing left to purge")
                .isEqualTo(1);
    }

    private static List<String> queue(
            DashboardQueryChecks checks, Map<String, List<String>> chosen) {
        return checks.rows("pulse-fund-supervision", "Triage queue/A", chosen).stream()
                .map(r -> r.get(0))
                .toList();
    }
}
