package org.lifelongpulse.cli.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lifelongpulse.avro.District;
import org.lifelongpulse.avro.RiskRule;
import org.lifelongpulse.avro.RuleMode;
import org.lifelongpulse.avro.Severity;

/** Reading {@code ./pulse rules put} files: completion of omitted fields, and each problem. */
class RulesFileTest {

    private static final Instant NOW = Instant.parse("2021-10-25T02:00:00Z");

    /** R2 at version 3 and R8 in PUDONG at version 1 are in force. */
    private static final Map<String, RiskRule> IN_FORCE =
            Map.of("R2", rule("R2", 3, null), "R8@PUDONG", rule("R8", 1, District.PUDONG));

    private static RiskRule rule(String id, int version, District district) {
        return RiskRule.newBuilder()
                .setRuleId(id)
                .setVersion(version)
                .setEnabled(true)
                .setMode(RuleMode.ENFORCE)
                .setSeverity(Severity.YELLOW)
                .setParams(Map.of())
                .setDistrict(district)
                .setUpdatedAt(Instant.parse("2021-10-01T00:00:00Z"))
                .build();
    }

    private static RulesFile parse(String text) {
        return RulesFile.parse(text, IN_FORCE, NOW);
    }

    @Test
    void anArrayIsCompletedFromTheSettingsInForce() {
        RulesFile file =
                parse(
                        """
                        [{"rule_id": "r2", "params": {"max_amount_yuan": 3000}},
                         {"rule_id": "R8", "mode": "SHADOW", "district": "PUDONG"},
                         {"rule_id": "R13", "version": 7, "enabled": false, "severity": "RED",
                          "params": {"silence_hours": 24}, "updated_at": "2021-10-24T08:00:00+08:00"}]
                        """);

        assertThat(file.errors()).isEmpty();
        assertThat(file.isValid()).isTrue();
        assertThat(file.rules()).hasSize(3);
        RiskRule r2 = file.rules().get(0);
        // version in force 3 -> 4; R2 is a RED rule in RULES.md
        assertThat(r2.getRuleId()).isEqualTo("R2");
        assertThat(r2.getVersion()).isEqualTo(4);
        assertThat(r2.getEnabled()).isTrue();
        assertThat(r2.getMode()).isEqualTo(RuleMode.ENFORCE);
        assertThat(r2.getSeverity()).isEqualTo(Severity.RED);
        assertThat(r2.getParams()).containsExactly(Map.entry("max_amount_yuan", 3000.0));
        assertThat(r2.getDistrict()).isNull();
        assertThat(r2.getUpdatedAt()).isEqualTo(NOW);
        RiskRule r8 = file.rules().get(1);
        // R8@PUDONG#SHADOW runs beside the ENFORCE R8@PUDONG in force at 1: a key of its own,
        // at its first version; R8 is a YELLOW rule
        assertThat(r8.getVersion()).isEqualTo(1);
        assertThat(r8.getMode()).isEqualTo(RuleMode.SHADOW);
        assertThat(r8.getSeverity()).isEqualTo(Severity.YELLOW);
        assertThat(r8.getDistrict()).isEqualTo(District.PUDONG);
        assertThat(r8.getParams()).isEmpty();
        RiskRule r13 = file.rules().get(2);
        // every field given is kept
        assertThat(r13.getVersion()).isEqualTo(7);
        assertThat(r13.getEnabled()).isFalse();
        assertThat(r13.getSeverity()).isEqualTo(Severity.RED);
        assertThat(r13.getParams()).containsExactly(Map.entry("silence_hours", 24.0));
        assertThat(r13.getUpdatedAt()).isEqualTo(Instant.parse("2021-10-24T00:00:00Z"));
    }

    @Test
    void jsonLinesMayHaveBlankLinesAndADistrictIsItsOwnKey() {
        RulesFile file =
                parse(
                        """
                        {"rule_id": "R8"}

                        {"rule_id": "R2", "district": "PUDONG"}
                        """);

        assertThat(file.errors()).isEmpty();
        // R8 for every district has no version in force, nor has R2@PUDONG
        assertThat(file.rules())
                .extracting(RiskRule::getRuleId, RiskRule::getVersion)
                .containsExactly(tuple("R8", 1), tuple("R2", 1));
    }

    @Test
    void anUnknownRuleIsNamedWithItsEntryAndLine() {
        RulesFile file =
                parse(
                        """
                        [
                          {"rule_id": "R2"},
                          {"rule_id": "R14"},
                          {"params": {}}
                        ]
                        """);

        assertThat(file.isValid()).isFalse();
        assertThat(file.errors())
                .containsExactly(
                        "entry 2 (line 3): unknown rule_id 'R14'; the rules are R1 to R13 and"
                                + " COMPOSITE",
                        "entry 3 (line 4): unknown rule_id ''; the rules are R1 to R13 and"
                                + " COMPOSITE");
    }

    @Test
    void anUnknownParameterListsTheRulesParameters() {
        RulesFile file = parse("{\"rule_id\": \"R2\", \"params\": {\"max_amount\": 3000}}");

        assertThat(file.errors())
                .containsExactly(
                        "entry 1 (line 1): R2 has no parameter 'max_amount'; its parameters are"
                                + " [max_amount_yuan, resolve_after_days, cooldown_days]");
    }

    @Test
    void aParameterMustBeANumber() {
        RulesFile file = parse("\n{\"rule_id\": \"R5\", \"params\": {\"red_below\": \"half\"}}");

        // once, though the record's own reading would also refuse the text
        assertThat(file.errors())
                .containsExactly(
                        "entry 1 (line 2): R5.red_below must be a number >= 0, not \"half\"");
    }

    @Test
    void aNegativeThresholdIsOutOfRange() {
        RulesFile file = parse("{\"rule_id\": \"R2\", \"params\": {\"max_amount_yuan\": -1}}");

        assertThat(file.errors())
                .containsExactly(
                        "entry 1 (line 1): R2.max_amount_yuan must be a number >= 0, not -1");
    }

    @Test
    void aRuleAndDistrictMaySeeOnlyOneEntry() {
        RulesFile file =
                parse(
                        """
                        {"rule_id": "R2", "district": "PUDONG"}
                        {"rule_id": "R2"}
                        {"rule_id": "r2", "district": "PUDONG", "params": {"max_amount_yuan": 1}}
                        """);

        assertThat(file.errors())
                .containsExactly(
                        "entry 3 (line 3): R2@PUDONG is already set by entry 1 (line 1); put one"
                                + " entry per rule, district and mode");
    }

    @Test
    void aShadowSettingIsAKeyBesideTheEnforcedOne() {
        RulesFile file =
                parse(
                        """
                        {"rule_id": "R2", "params": {"max_amount_yuan": 4000}}
                        {"rule_id": "R2", "mode": "SHADOW", "params": {"max_amount_yuan": 3000}}
                        {"rule_id": "R2", "mode": "SHADOW"}
                        """);

        assertThat(file.errors())
                .containsExactly(
                        "entry 3 (line 3): R2#SHADOW is already set by entry 2 (line 2); put one"
                                + " entry per rule, district and mode");
        // R2 in force at version 3 -> 4; nothing in force for R2#SHADOW -> 1
        assertThat(file.rules())
                .extracting(RiskRule::getMode, RiskRule::getVersion)
                .containsExactly(tuple(RuleMode.ENFORCE, 4), tuple(RuleMode.SHADOW, 1));
    }

    @Test
    void aModeOrSeverityOutsideTheirSymbolsIsRejected() {
        RulesFile file =
                parse(
                        """
                        {"rule_id": "R2", "mode": "LOUD"}
                        {"rule_id": "R3", "mode": "UNKNOWN"}
                        {"rule_id": "R4", "severity": "UNKNOWN"}
                        {"rule_id": "R5", "severity": "ORANGE"}
                        """);

        assertThat(file.errors()).hasSize(4);
        assertThat(file.errors().get(0))
                .startsWith("entry 1 (line 1): ")
                .contains("'mode'", "'LOUD'", "ENFORCE", "SHADOW");
        assertThat(file.errors().get(1))
                .isEqualTo("entry 2 (line 2): mode must be ENFORCE or SHADOW");
        assertThat(file.errors().get(2))
                .isEqualTo("entry 3 (line 3): severity must be YELLOW or RED");
        assertThat(file.errors().get(3))
                .startsWith("entry 4 (line 4): ")
                .contains("'severity'", "'ORANGE'");
        assertThat(file.rules()).isEmpty();
    }

    @Test
    void aVersionMustBeAboveTheOneInForce() {
        RulesFile file =
                parse(
                        """
                        {"rule_id": "R2", "version": 3}
                        {"rule_id": "R8", "district": "PUDONG", "version": 2}
                        {"rule_id": "R9", "version": "two"}
                        {"rule_id": "R10", "version": 1.5}
                        """);

        assertThat(file.errors())
                .containsExactly(
                        "entry 1 (line 1): R2 version 3 is not above the version in force (3);"
                                + " the job would ignore it",
                        "entry 3 (line 3): R9 version must be a whole number, not \"two\"",
                        "entry 4 (line 4): R10 version must be a whole number, not 1.5");
        assertThat(file.rules()).extracting(RiskRule::getVersion).containsExactly(2);
    }

    @Test
    void anUnknownFieldOrABadDistrictIsRejected() {
        RulesFile file =
                parse(
                        """
                        {"rule_id": "R2", "threshold": 3000}
                        {"rule_id": "R3", "district": "ATLANTIS"}
                        """);

        assertThat(file.errors()).hasSize(2);
        assertThat(file.errors().get(0))
                .startsWith("entry 1 (line 1): ")
                .contains("unknown field 'threshold'");
        assertThat(file.errors().get(1))
                .startsWith("entry 2 (line 2): ")
                .contains("'district'", "'ATLANTIS'");
    }

    @Test
    void anUpdateTimeTooFarAheadIsRejected() {
        // two days after NOW; one day of clock skew is allowed
        RulesFile file =
                parse("{\"rule_id\": \"R2\", \"updated_at\": \"2021-10-27T10:00:00+08:00\"}");

        assertThat(file.errors()).hasSize(1);
        assertThat(file.errors().get(0))
                .startsWith("entry 1 (line 1): ")
                .contains("'updated_at'", "2021-10-27T02:00:00Z");
    }

    @Test
    void everyProblemOfTheFileIsReported() {
        RulesFile file =
                parse(
                        """
                        {"rule_id": "R1", "mode": "LOUD", "params": {"max_covered_days": -3, "x": 1}}
                        {"rule_id": "R2"}
                        42
                        """);

        assertThat(file.errors()).hasSize(4);
        assertThat(file.errors().subList(0, 2))
                .containsExactly(
                        "entry 1 (line 1): R1.max_covered_days must be a number >= 0, not -3",
                        "entry 1 (line 1): R1 has no parameter 'x'; its parameters are"
                                + " [max_covered_days, max_class_hours, resolve_after_days,"
                                + " cooldown_days]");
        assertThat(file.errors().get(2)).startsWith("entry 1 (line 1): ").contains("'LOUD'");
        assertThat(file.errors().get(3)).isEqualTo("entry 3 (line 3): not a JSON object");
    }

    @Test
    void textThatIsNotJsonNamesItsLine() {
        RulesFile lines = parse("{\"rule_id\": \"R2\"}\n\n{\"rule_id\": R3}\n");
        RulesFile array = parse("[\n  {\"rule_id\": \"R2\"},\n  {\"rule_id\" \"R3\"}\n]");
        RulesFile open = parse("[{\"rule_id\": \"R2\"},\n");
        RulesFile trailing = parse("[{\"rule_id\": \"R2\"}]\n{\"rule_id\": \"R3\"}");

        assertThat(lines.errors()).singleElement().asString().startsWith("line 3: not JSON: ");
        assertThat(lines.rules()).isEmpty();
        assertThat(array.errors()).singleElement().asString().startsWith("line 3: not JSON: ");
        assertThat(open.errors())
                .singleElement()
                .asString()
                .startsWith("line ")
                .contains("not JSON");
        assertThat(trailing.errors())
                .containsExactly("line 2: not JSON: more after the array's closing ']'");
        assertThat(array.rules()).isEmpty();
        assertThat(trailing.rules()).isEmpty();
    }
}
