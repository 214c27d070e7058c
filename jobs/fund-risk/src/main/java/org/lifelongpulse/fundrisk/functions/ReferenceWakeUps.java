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
 * time (open alerts of a disabled rule resolve then, condition rules are re-evaluated); an
 * institution that becomes known later is sent the changes before it, since the reference topics
 * are read in no particular order; a supervisor's close goes to the institution of its alert. Runs
 * with the reference source at parallelism 1; the institution ids and change times it knows are
 * operator state. A rule setting without {@code updated_at} is in force from the beginning of time
 * and needs no wake-up.
 */
public final class ReferenceWakeUps extends ProcessFunction<ReferenceUpdate, InstitutionInput>
        implements CheckpointedFunction, ResultTypeQueryable<InstitutionInput> {

    private static final long serialVersionUID = 1L;

    private transient ListState<String> stored;
    private transient ListState<Long> storedChanges;
    private transient Set<String> institutions;
    private transient Set<Long> changes;

    @Override
    public void processElement(
            ReferenceUpdate update, Context ctx, Collector<InstitutionInput> out) {
        if (update.institution != null) {
            String id = update.institution.getInstitutionId();
            if (institutions.add(id)) {
                for (long at : changes) {
                    out.collect(InstitutionInput.ruleChange(id, at));
                }
            }
        } else if (update.rule != null) {
            long at = update.effectiveAt();
            if (at != Long.MIN_VALUE && changes.add(at)) {
                for (String id : institutions) {
                    out.collect(InstitutionInput.ruleChange(id, at));
                }
            }
        } else if (update.action != null && update.action.getAction() == AlertActionType.CLOSE) {
            out.collect(InstitutionInput.close(update.action));
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        stored.update(java.util.List.copyOf(institutions));
        storedChanges.update(java.util.List.copyOf(changes));
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        stored =
                context.getOperatorStateStore()
                        .getUnionListState(
                                new ListStateDescriptor<>("known-institutions", Types.STRING));
        storedChanges =
                context.getOperatorStateStore()
                        .getUnionListState(new ListStateDescriptor<>("rule-changes", Types.LONG));
        institutions = new LinkedHashSet<>();
        for (String id : stored.get()) {
            institutions.add(id);
        }
        changes = new java.util.TreeSet<>();
        for (long at : storedChanges.get()) {
            changes.add(at);
        }
    }

    @Override
    public TypeInformation<InstitutionInput> getProducedType() {
        return TypeInformation.of(InstitutionInput.class);
    }
}
