package org.lifelongpulse.cli.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lifelongpulse.avro.District;
import org.lifelongpulse.avro.RiskRule;
import org.lifelongpulse.avro.RuleMode;
import org.lifelongpulse.avro.Severity;

/** Which settings are in force, and the table {@code ./pulse rules list} prints. */
class RulesInForceTest {

    private static RiskRule rule(
            String id,
            int version,
            District district,
            RuleMode mode,
            Severity severity,
            Map<String, Double> params) {
        return RiskRule.newBuilder()
                .setRuleId(id)
                .setVersion(version)
                .setEnabled(true)
                .setMode(mode)
                .setSeverity(severity)
                .setParams(params)
                .setDistrict(district)
                .setUpdatedAt(Instant.parse("2021-10-01T00:00:00Z"))
                .build();
    }

    private static RiskRule r2(int version, double maxAmount) {
        return rule(
                "R2",
                version,
                null,
                RuleMode.ENFORCE,
                Severity.RED,
                Map.of("max_amount_yuan", maxAmount));
    }

    @Test
    void anOlderVersionNeverReplacesANewerOneAndADistrictIsItsOwnKey() {
        RulesInForce rules = new RulesInForce();
        rules.offer(r2(3, 3000));
        rules.offer(r2(2, 2000));
        rules.offer(rule("R2", 1, District.PUDONG, RuleMode.SHADOW, Severity.RED, Map.of()));

        // a SHADOW setting runs beside the ENFORCE ones: a key of its own
        assertThat(rules.byKey()).containsOnlyKeys("R2", "R2@PUDONG#SHADOW");
        assertThat(rules.byKey().get("R2").getParams()).containsEntry("max_amount_yuan", 3000.0);

        // the same version again replaces, as in the job (a republished correction)
        rules.offer(r2(3, 2500));
        rules.offer(r2(4, 1000));
        rules.offer(r2(3, 9999));

        assertThat(rules.byKey().get("R2").getVersion()).isEqualTo(4);
        assertThat(rules.byKey().get("R2").getParams()).containsEntry("max_amount_yuan", 1000.0);
        assertThat(rules.byKey().get("R2@PUDONG#SHADOW").getVersion()).isEqualTo(1);
    }

    @Test
    void theTableShowsDefaultsWhereNothingWasPublishedForEveryDistrict() {
        RulesInForce rules = new RulesInForce();
        rules.offer(r2(4, 3000));
        rules.offer(
                rule(
                        "R8",
                        2,
                        District.PUDONG,
                        RuleMode.SHADOW,
                        Severity.YELLOW,
                        Map.of("ratio", 2.5)));

        List<String> table = rules.table();

        // a heading, 14 rules, and R8's PUDONG line besides its defaults for the others
        assertThat(table).hasSize(16);
        assertThat(table.get(0))
                .isEqualTo(
                        "RULE           DISTRICT   VERSION ENABLED  MODE"
                                + "    LEVEL  PARAMETERS");
        assertThat(table.get(1))
                .isEqualTo(
                        "R1             all              0 true     ENFORCE RED   "
                                + " max_covered_days=92, max_class_hours=60, resolve_after_days=0,"
                                + " cooldown_days=7 (defaults)");
        // published parameters in name order, the missing ones at their defaults
        assertThat(table.get(2))
                .isEqualTo(
                        "R2             all              4 true     ENFORCE"
                                + " RED    cooldown_days=7, max_amount_yuan=3000,"
                                + " resolve_after_days=0");
        assertThat(table.get(8))
                .isEqualTo(
                        "R8             all              0 true     ENFORCE"
                                + " YELLOW ratio=3, min_week_sales_yuan=50000, window_days=7,"
                                + " baseline_windows=4, quiet_hours=24, cooldown_days=7"
                                + " (defaults)");
        assertThat(table.get(9))
                .isEqualTo(
                        "R8             PUDONG           2 true     SHADOW  YELLOW"
                                + " baseline_windows=4, cooldown_days=7, min_week_sales_yuan=50000,"
                                + " quiet_hours=24, ratio=2.5, window_days=7");
        assertThat(table.get(15))
                .startsWith("COMPOSITE      all              0 true")
                .endsWith("window_days=30, cooldown_days=7 (defaults)");
    }

    @Test
    void wholeNumbersPrintWithoutADecimalPoint() {
        assertThat(RulesInForce.format(Map.of("ratio", 0.5))).isEqualTo("ratio=0.5");
        assertThat(RulesInForce.format(Map.of("days", 30.0))).isEqualTo("days=30");
    }
}
