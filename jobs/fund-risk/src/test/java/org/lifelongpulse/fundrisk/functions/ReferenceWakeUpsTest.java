package org.lifelongpulse.fundrisk.functions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;
import org.lifelongpulse.avro.AlertAction;
import org.lifelongpulse.avro.AlertActionType;
import org.lifelongpulse.avro.District;
import org.lifelongpulse.avro.Institution;
import org.lifelongpulse.avro.LicenseStatus;
import org.lifelongpulse.avro.RiskRule;
import org.lifelongpulse.avro.RuleMode;
import org.lifelongpulse.avro.Severity;
import org.lifelongpulse.fundrisk.records.InstitutionInput;
import org.lifelongpulse.fundrisk.records.ReferenceUpdate;

/** Rule changes reach every institution, also one read after the change; closes their own. */
class ReferenceWakeUpsTest {

    static ReferenceUpdate institution(String id) {
        return ReferenceUpdate.of(
                Institution.newBuilder()
                        .setInstitutionId(id)
                        .setName(id)
                        .setDistrict(District.XUHUI)
                        .setCategory("music")
                        .setLicenseStatus(LicenseStatus.ACTIVE)
                        .setUpdatedAt(Instant.ofEpochMilli(0))
                        .build());
    }

    static ReferenceUpdate rule(Long updatedAt) {
        return ReferenceUpdate.of(
                RiskRule.newBuilder()
                        .setRuleId("R5")
                        .setVersion(1)
                        .setEnabled(false)
                        .setMode(RuleMode.ENFORCE)
                        .setSeverity(Severity.YELLOW)
                        .setParams(Map.of())
                        .setUpdatedAt(updatedAt == null ? null : Instant.ofEpochMilli(updatedAt))
                        .build());
    }

    static ReferenceUpdate action(AlertActionType type) {
        return ReferenceUpdate.of(
                AlertAction.newBuilder()
                        .setActionId("a1")
                        .setAlertId("R5-B-1")
                        .setInstitutionId("B")
                        .setRuleId("R5")
                        .setAction(type)
                        .setActor("ann")
                        .setActedAt(Instant.ofEpochMilli(9))
                        .setAlertVersion(1)
                        .build());
    }

    @Test
    void everyInstitutionHearsOfEveryTimedRuleChangeWhateverTheOrder() throws Exception {
        try (OneInputStreamOperatorTestHarness<ReferenceUpdate, InstitutionInput> h =
                ProcessFunctionTestHarnesses.forProcessFunction(new ReferenceWakeUps())) {
            h.processElement(institution("A"), 0);
            h.processElement(rule(5_000L), 0);
            h.processElement(rule(null), 0); // in force from the beginning: no wake-up
            h.processElement(institution("B"), 0);
            h.processElement(institution("A"), 0); // a second version: nothing new
            h.processElement(action(AlertActionType.NOTE), 0);
            h.processElement(action(AlertActionType.CLOSE), 0);

            assertThat(h.extractOutputValues())
                    .extracting(i -> i.institutionId, i -> i.ruleChangeAt, i -> i.close != null)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("A", 5_000L, false),
                            org.assertj.core.groups.Tuple.tuple("B", 5_000L, false),
                            org.assertj.core.groups.Tuple.tuple("B", null, true));
        }
    }
}
