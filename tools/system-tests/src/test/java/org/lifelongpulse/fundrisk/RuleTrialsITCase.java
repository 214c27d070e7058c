package org.lifelongpulse.fundrisk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lifelongpulse.avro.AlertStatus;
import org.lifelongpulse.avro.RiskAlert;
import org.lifelongpulse.avro.RiskRule;
import org.lifelongpulse.avro.RuleMode;
import org.lifelongpulse.avro.Severity;
import org.lifelongpulse.contracts.Topic;
import org.lifelongpulse.ops.kafka.ContractProducer;
import org.lifelongpulse.stack.Endpoints;
import org.lifelongpulse.stack.testing.LocalStackExtension;
import org.lifelongpulse.testutils.Flink;

/**
 * Rule settings as supervisors change them, end to end on the default world (real Kafka,
 * ClickHouse, the job on a MiniCluster): a SHADOW trial of R2 runs beside the enforced R2, and R5
 * is switched from ENFORCE to SHADOW in the middle of an episode, at an event time inside the
 * world. Expected: enforced and shadow rows side by side, only enforced ones on {@code
 * fund.alerts.v1}; the open R5 alert resolves at the change's time, so that none stays OPEN on
 * Kafka; the trial opens its own R5 alert at that same instant for the institution, without a
 * transaction there; and every other rule's alerts equal the generator's truth.
 */
@ExtendWith(LocalStackExtension.class)
class RuleTrialsITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = Flink.miniCluster(null);

    static RiskRule rule(
            String id,
            RuleMode mode,
            boolean enabled,
            Instant updatedAt,
            Map<String, Double> params) {
        return RiskRule.newBuilder()
                .setRuleId(id)
                .setVersion(1)
                .setEnabled(enabled)
                .setMode(mode)
                .setSeverity(id.equals("R2") ? Severity.RED : Severity.YELLOW)
                .setParams(params)
                .setUpdatedAt(updatedAt)
                .build();
    }

    @Test
    void trialsRunBesideEnforcementAndAModeSwitchStrandsNoAlert(Endpoints endpoints)
            throws Exception {
        FundRiskRun run = FundRiskRun.prepare(endpoints, 6);
        JsonNode mustFire = run.truth().path("alerts").path("must_fire");
        JsonNode firstR5 = null;
        for (JsonNode a : mustFire) {
            if (a.path("rule_id").asText().equals("R5")
                    && (firstR5 == null
                            || FundRiskRun.epochSeconds(a.path("first_detected_at").asText())
                                    < FundRiskRun.epochSeconds(
                                            firstR5.path("first_detected_at").asText()))) {
                firstR5 = a;
            }
        }
        assertThat(firstR5).as("the world has an R5 case").isNotNull();
        String r5Institution = firstR5.path("institution_id").asText();
        long r5Start = FundRiskRun.epochSeconds(firstR5.path("first_detected_at").asText());
        // an hour into that episode: it cannot have resolved (that takes 24 h of clear coverage)
        Instant switchAt = Instant.ofEpochSecond(r5Start + 3_600);

        try (ContractProducer producer = new ContractProducer(endpoints.kafkaBootstrap())) {
            for (RiskRule r :
                    List.of(
                            rule(
                                    "R2",
                                    RuleMode.SHADOW,
                                    true,
                                    null,
                                    Map.of("max_amount_yuan", 3000.0)),
                            rule("R5", RuleMode.ENFORCE, false, switchAt, Map.of()),
                            rule("R5", RuleMode.SHADOW, true, switchAt, Map.of()))) {
                producer.sendRaw(
                        run.settings.rulesTopic(), Topic.RISK_RULES.keyOf(r), producer.encode(r));
            }
            producer.flush();
        }

        run.runJob("fund-risk rule trials", ledger -> ledger);

        // every other rule as the truth says (R5 is switched off half way through the world)
        Set<String> expected = new TreeSet<>();
        for (JsonNode a : mustFire) {
            if (!a.path("rule_id").asText().equals("R5")) {
                expected.add(
                        a.path("rule_id").asText()
                                + "|"
                                + a.path("institution_id").asText()
                                + "|"
                                + FundRiskRun.epochSeconds(a.path("first_detected_at").asText())
                                + "|"
                                + a.path("severity").asText());
            }
        }
        Set<String> actual =
                run.warehouse.rowSet(
                        "SELECT rule_id, institution_id, toUnixTimestamp(min(first_detected_at)),"
                                + " toString(max(severity)) FROM pulse.risk_alerts FINAL"
                                + " WHERE shadow = 0 AND rule_id != 'R5'"
                                + " GROUP BY rule_id, institution_id");
        org.lifelongpulse.testutils.Warehouse.assertSameRows(
                "enforced alerts other than R5", expected, actual);

        // R2: for every enforced alert's institution a trial alert with the lower threshold,
        // detected no later; trial rows are their own alerts
        Map<String, Long> enforcedR2 = new HashMap<>();
        for (List<String> r :
                run.warehouse
                        .admin()
                        .rows(
                                "SELECT institution_id, toUnixTimestamp(min(first_detected_at))"
                                        + " FROM pulse.risk_alerts FINAL WHERE rule_id = 'R2' AND"
                                        + " shadow = 0 GROUP BY institution_id")) {
            enforcedR2.put(r.get(0), Long.parseLong(r.get(1)));
        }
        assertThat(enforcedR2).as("the world has R2 cases").isNotEmpty();
        Map<String, Long> trialR2 = new HashMap<>();
        for (List<String> r :
                run.warehouse
                        .admin()
                        .rows(
                                "SELECT institution_id, toUnixTimestamp(min(first_detected_at))"
                                        + " FROM pulse.risk_alerts FINAL WHERE rule_id = 'R2' AND"
                                        + " shadow = 1 GROUP BY institution_id")) {
            trialR2.put(r.get(0), Long.parseLong(r.get(1)));
        }
        enforcedR2.forEach(
                (institution, first) ->
                        assertThat(trialR2.get(institution))
                                .as("trial R2 alert at " + institution)
                                .isNotNull()
                                .isLessThanOrEqualTo(first));
        assertThat(
                        run.warehouse.count(
                                "SELECT count() FROM pulse.risk_alerts FINAL WHERE shadow = 1"
                                        + " AND NOT endsWith(alert_id, '-shadow')"))
                .as("trial alerts have their own ids")
                .isZero();

        // R5: the enforced alert open at the switch resolved exactly then ...
        String r5Alert =
                run.warehouse
                        .admin()
                        .rows(
                                "SELECT alert_id FROM pulse.risk_alerts FINAL WHERE rule_id ="
                                        + " 'R5' AND shadow = 0 AND institution_id = '"
                                        + r5Institution
                                        + "' ORDER BY first_detected_at LIMIT 1")
                        .get(0)
                        .get(0);
        assertThat(
                        run.warehouse.rowSet(
                                "SELECT toString(status), evidence FROM pulse.risk_alerts FINAL"
                                        + " WHERE alert_id = '"
                                        + r5Alert
                                        + "'"))
                .singleElement()
                .asString()
                .startsWith("RESOLVED|Resolved at " + switchAt + ": the rule was disabled.");
        assertThat(
                        run.warehouse.count(
                                "SELECT count() FROM pulse.risk_alerts FINAL WHERE rule_id = 'R5'"
                                        + " AND shadow = 0 AND first_detected_at > toDateTime("
                                        + switchAt.getEpochSecond()
                                        + ")"))
                .as("no enforced R5 alert after the switch")
                .isZero();
        // ... and the trial judged that institution at the same instant, with no transaction then
        assertThat(
                        run.warehouse.count(
                                "SELECT count() FROM pulse.risk_alerts FINAL WHERE rule_id = 'R5'"
                                        + " AND shadow = 1 AND institution_id = '"
                                        + r5Institution
                                        + "' AND toUnixTimestamp(first_detected_at) = "
                                        + switchAt.getEpochSecond()))
                .as("trial R5 alert opened at the switch")
                .isEqualTo(1);

        // Kafka: enforced versions only, each once, and no R5 alert left OPEN
        run.assertAlertTopicHoldsEachVersionOnce();
        Map<String, RiskAlert> latest = new HashMap<>();
        for (RiskAlert a : run.readAlerts()) {
            latest.merge(a.getAlertId(), a, (x, y) -> x.getVersion() >= y.getVersion() ? x : y);
        }
        assertThat(latest.values())
                .filteredOn(a -> a.getRuleId().equals("R5"))
                .isNotEmpty()
                .allSatisfy(a -> assertThat(a.getStatus()).isEqualTo(AlertStatus.RESOLVED));
        assertThat(latest.keySet()).noneMatch(id -> id.endsWith("-shadow"));
    }
}
