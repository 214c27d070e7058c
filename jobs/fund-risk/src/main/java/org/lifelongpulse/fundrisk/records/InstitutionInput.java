package org.lifelongpulse.fundrisk.records;

import org.lifelongpulse.avro.AlertAction;

/**
 * What reaches an institution's keyed state: a transaction, a rule change to apply at an event
 * time, or a supervisor's close of one of its alerts (exactly one is set). Rule changes and closes
 * are sent to each institution they concern by {@code ReferenceWakeUps}, so that they take effect
 * without waiting for the institution's next transaction. A Flink POJO, never Kryo.
 */
public class InstitutionInput {

    public String institutionId;
    public FundTransaction txn;

    /** Event time at which rule settings change (null unless a rule change). */
    public Long ruleChangeAt;

    public AlertAction close;

    public InstitutionInput() {}

    public static InstitutionInput of(FundTransaction txn) {
        InstitutionInput in = new InstitutionInput();
        in.institutionId = txn.institutionId();
        in.txn = txn;
        return in;
    }

    public static InstitutionInput ruleChange(String institutionId, long at) {
        InstitutionInput in = new InstitutionInput();
        in.institutionId = institutionId;
        in.ruleChangeAt = at;
        return in;
    }

    public static InstitutionInput close(AlertAction action) {
        InstitutionInput in = new InstitutionInput();
        in.institutionId = action.getInstitutionId();
        in.close = action;
        return in;
    }

    public String institutionId() {
        return institutionId;
    }
}
