package org.lifelongpulse.fundrisk.functions;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.lifelongpulse.fundrisk.records.AlertRow;
import org.lifelongpulse.fundrisk.records.InstitutionInput;
import org.lifelongpulse.fundrisk.records.ReferenceUpdate;

/** {@link AssessInstitutions} in a harness, run by its own operator as the job runs it. */
final class AssessHarness {

    private AssessHarness() {}

    static KeyedBroadcastOperatorTestHarness<String, InstitutionInput, ReferenceUpdate, AlertRow>
            open(AssessInstitutions function) throws Exception {
        var harness = unopened(function);
        harness.open();
        return harness;
    }

    static KeyedBroadcastOperatorTestHarness<String, InstitutionInput, ReferenceUpdate, AlertRow>
            unopened(AssessInstitutions function) throws Exception {
        return new KeyedBroadcastOperatorTestHarness<>(
                function.operator(), InstitutionInput::institutionId, Types.STRING, 128, 1, 0);
    }
}
