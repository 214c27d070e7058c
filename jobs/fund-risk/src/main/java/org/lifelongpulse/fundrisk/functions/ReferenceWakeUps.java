package org.lifelongpulse.fundrisk.functions;

import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.lifelongpulse.avro.AlertActionType;
import org.lifelongpulse.fundrisk.records.InstitutionInput;
import org.lifelongpulse.fundrisk.records.ReferenceUpdate;

/**
 * Tells institutions about reference updates that concern them before their next transaction: a
 * rule change is sent to every institution known from reference data, to take effect at its event
 * time (open alerts of a disabled rule resolve then, condition rules are re-evaluated); a
 * supervisor's close goes to the institution of its alert. Runs with the reference source at
 * parallelism 1; the institution ids it knows are operator state.
 *
 * <p>An institution without reference data yet has no alerts a rule change could concern earlier
 * than its next transaction, which the new settings judge anyway.
 */
public final class ReferenceWakeUps extends ProcessFunction<ReferenceUpdate, InstitutionInput>
        implements CheckpointedFunction, ResultTypeQueryable<InstitutionInput> {

    private static final long serialVersionUID = 1L;

    private transient ListState<String> stored;
    private transient Set<String> institutions;

    @Override
    public void processElement(
            ReferenceUpdate update, Context ctx, Collector<InstitutionInput> out) {
        if (update.institution != null) {
            institutions.add(update.institution.getInstitutionId());
        } else if (update.rule != null) {
            long at = update.effectiveAt();
            for (String id : institutions) {
                out.collect(InstitutionInput.ruleChange(id, at));
            }
        } else if (update.action != null && update.action.getAction() == AlertActionType.CLOSE) {
            out.collect(InstitutionInput.close(update.action));
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        stored.update(java.util.List.copyOf(institutions));
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        stored =
                context.getOperatorStateStore()
                        .getUnionListState(
                                new ListStateDescriptor<>("known-institutions", Types.STRING));
        institutions = new LinkedHashSet<>();
        for (String id : stored.get()) {
            institutions.add(id);
        }
    }

    @Override
    public TypeInformation<InstitutionInput> getProducedType() {
        return TypeInformation.of(InstitutionInput.class);
    }
}
