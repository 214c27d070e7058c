package org.lifelongpulse.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lifelongpulse.fundrisk.rules.RuleId;

/**
 * The Grafana alert rule for new RED fund-risk alerts, as data: its labels are the alert's identity
 * only (an UPDATED version with new numbers must stay the same alert instance, so it does not
 * notify again), and evidence and citation are annotations, the citation exactly as the job's
 * alerts carry it, chosen by rule id. That its SQL runs is {@code OperatorPathOnClusterITCase}'s
 * part.
 */
class FundRiskAlertRuleDashboardTest {

    private static JsonNode rule() {
        List<JsonNode> rules = new ArrayList<>();
        for (JsonNode group : Dashboards.alerting().path("groups")) {
            group.path("rules").forEach(rules::add);
        }
        assertThat(rules).hasSize(1);
        assertThat(rules.get(0).path("uid").asText()).isEqualTo("pulse-new-red-risk-alert");
        return rules.get(0);
    }

    private static String sql(JsonNode rule) {
        for (JsonNode data : rule.path("data")) {
            if ("pulse-clickhouse".equals(data.path("datasourceUid").asText())) {
                return data.path("model").path("rawSql").asText();
            }
        }
        throw new AssertionError("no ClickHouse query in the alert rule");
    }

    @Test
    void evidenceAndCitationAreNotLabels() {
        JsonNode rule = rule();
        // every text column of the query becomes a label: evidence and citation must not be one
        String select = sql(rule).split("(?i)\\bFROM\\b")[0];
        assertThat(select)
                .doesNotContainIgnoringCase("evidence")
                .doesNotContainIgnoringCase("citation");
        assertThat(select)
                .contains("alert_id")
                .contains("institution_id")
                .contains("rule_id")
                .contains("district");
        List<String> labels = new ArrayList<>();
        rule.path("labels").fieldNames().forEachRemaining(labels::add);
        assertThat(labels).containsExactlyInAnyOrder("audience", "severity");
        rule.path("labels").forEach(v -> assertThat(v.asText()).doesNotContain("{{"));
        // no annotation reads a label that is not there any more
        rule.path("annotations")
                .forEach(
                        a ->
                                assertThat(a.asText())
                                        .doesNotContain("$labels.evidence")
                                        .doesNotContain("$labels.citation"));
    }

    @Test
    void theCitationAnnotationNamesEveryRulesSourceAsTheJobDoes() {
        String citation = rule().path("annotations").path("citation").asText();
        for (RuleId id : RuleId.values()) {
            assertThat(citation)
                    .as(id + " citation")
                    .contains("eq $labels.rule_id \"" + id.name() + "\" }}" + id.citation() + "{{");
        }
        assertThat(citation).endsWith("{{ end }}");
    }

    @Test
    void theEvidenceAnnotationLinksToTheInstitutionsAlerts() {
        JsonNode annotations = rule().path("annotations");
        assertThat(annotations.path("description").asText())
                .contains("{{ $labels.alert_id }}")
                .contains("Open alerts with evidence")
                .contains("/d/pulse-fund-supervision?var-institution={{ $labels.institution_id }}");
        assertThat(annotations.path("__dashboardUid__").asText())
                .isEqualTo("pulse-fund-supervision");
        JsonNode panel =
                Dashboards.all().stream()
                        .filter(d -> d.json().path("uid").asText().equals("pulse-fund-supervision"))
                        .findFirst()
                        .orElseThrow()
                        .json()
                        .path("panels");
        String panelId = annotations.path("__panelId__").asText();
        boolean found = false;
        for (JsonNode p : panel) {
            if (p.path("id").asText().equals(panelId)) {
                assertThat(p.path("title").asText()).isEqualTo("Open alerts with evidence");
                found = true;
            }
        }
        assertThat(found).as("panel " + panelId).isTrue();
    }
}
