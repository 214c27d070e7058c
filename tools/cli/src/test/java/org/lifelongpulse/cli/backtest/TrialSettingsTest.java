package org.lifelongpulse.cli.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lifelongpulse.avro.District;
import org.lifelongpulse.avro.RiskRule;
import org.lifelongpulse.avro.RuleMode;
import org.lifelongpulse.avro.Severity;

/** The live and trial settings of a back-test, from the topic, a rules file and --set. */
class TrialSettingsTest {

    private static final Instant NOW = Instant.parse("2021-10-25T02:00:00Z");

    /** R2 at 4,000 yuan (version 3) is enforced; a SHADOW R5 trial runs beside the defaults. */
    private static final Map<String, RiskRule> IN_FORCE =
            Map.of(
                    "R2",
                    rule("R2", 3, null, RuleMode.ENFORCE, Map.of("max_amount_yuan", 4000.0)),
                    "R5#SHADOW",
                    rule("R5", 1, null, RuleMode.SHADOW, Map.of("yellow_below", 0.9)));

    private static RiskRule rule(
            String id, int version, District district, RuleMode mode, Map<String, Double> params) {
        return RiskRule.newBuilder()
                .setRuleId(id)
                .setVersion(version)
                .setEnabled(true)
                .setMode(mode)
                .setSeverity(Severity.RED)
                .setParams(params)
                .setDistrict(district)
                .setUpdatedAt(Instant.parse("2021-10-01T00:00:00Z"))
                .build();
    }

    @Test
    void theLiveSetIsTheEnforcedSettingsFromTheBeginningOfTime() {
        TrialSettings s = TrialSettings.of(IN_FORCE, null, List.of("R2.max_amount_yuan=3000"), NOW);

        assertThat(s.errors()).isEmpty();
        assertThat(s.live()).containsOnlyKeys("R2");
        assertThat(s.live().get("R2").getUpdatedAt()).isNull();
        assertThat(s.live().get("R2").getParams()).containsEntry("max_amount_yuan", 4000.0);
        RiskRule r2 = s.trial().get("R2");
        assertThat(r2.getParams()).containsExactly(Map.entry("max_amount_yuan", 3000.0));
        assertThat(r2.getVersion()).isEqualTo(4);
        assertThat(r2.getUpdatedAt()).isNull();
        assertThat(r2.getMode()).isEqualTo(RuleMode.ENFORCE);
        assertThat(s.changes())
                .containsExactly(
                        "R2: enabled RED max_amount_yuan=4000 -> enabled RED max_amount_yuan=3000");
    }

    @Test
    void aDistrictOverrideStartsFromTheSettingForEveryDistrictAndKeepsTheOtherParameters() {
        TrialSettings s =
                TrialSettings.of(
                        IN_FORCE,
                        null,
                        List.of("R5@PUDONG.yellow_below=0.8", "R5@pudong.red_below=0.4"),
                        NOW);

        assertThat(s.errors()).isEmpty();
        RiskRule r5 = s.trial().get("R5@PUDONG");
        assertThat(r5.getDistrict()).isEqualTo(District.PUDONG);
        assertThat(r5.getParams())
                .containsOnly(Map.entry("yellow_below", 0.8), Map.entry("red_below", 0.4));
        // R5 has no enforced setting: the defaults' level
        assertThat(r5.getSeverity()).isEqualTo(Severity.YELLOW);
        assertThat(s.trial()).containsOnlyKeys("R2", "R5@PUDONG");
    }

    @Test
    void aRulesFileReplacesTheSettingsInForceAndAShadowEntryIsTriedAsEnforced() {
        TrialSettings s =
                TrialSettings.of(
                        IN_FORCE,
                        """
                        {"rule_id": "R8", "mode": "SHADOW", "params": {"ratio": 2.5}}
                        {"rule_id": "R13", "enabled": false}
                        """,
                        List.of("R8.ratio=2"),
                        NOW);

        assertThat(s.errors()).isEmpty();
        assertThat(s.trial()).containsOnlyKeys("R2", "R8", "R13");
        assertThat(s.trial().get("R8").getMode()).isEqualTo(RuleMode.ENFORCE);
        // --set applies after the file
        assertThat(s.trial().get("R8").getParams()).containsExactly(Map.entry("ratio", 2.0));
        assertThat(s.trial().get("R13").getEnabled()).isFalse();
        assertThat(s.trial().get("R2")).isEqualTo(s.live().get("R2"));
    }

    @Test
    void everyProblemIsNamedAndNothingRuns() {
        TrialSettings s =
                TrialSettings.of(
                        IN_FORCE,
                        null,
                        List.of(
                                "R2.max_amount=3000",
                                "R5.yellow_below=high",
                                "R99.ratio=1",
                                "R8 ratio 2",
                                "R8.enabled=maybe",
                                "R10.min_count=-1"),
                        NOW);

        assertThat(s.isValid()).isFalse();
        assertThat(s.errors())
                .containsExactly(
                        "--set R8 ratio 2: write RULE.name=value or RULE@DISTRICT.name=value,"
                                + " e.g. R5.yellow_below=0.9",
                        "--set R2: R2 has no parameter 'max_amount'; its parameters are"
                                + " [max_amount_yuan, resolve_after_days, cooldown_days]",
                        "--set R5: R5.yellow_below must be a number >= 0, not high",
                        "--set R99: unknown rule 'R99'; the rules are R1 to R13 and COMPOSITE",
                        "--set R8: enabled must be true or false, not maybe",
                        "--set R10: R10.min_count must be a number >= 0, not -1.0");
    }

    @Test
    void aTrialThatChangesNothingIsRefused() {
        TrialSettings s = TrialSettings.of(IN_FORCE, null, List.of(), NOW);

        assertThat(s.errors())
                .containsExactly(
                        "the trial settings equal the live ones: give --set RULE.name=value or"
                                + " --rules FILE with a change");
    }
}
