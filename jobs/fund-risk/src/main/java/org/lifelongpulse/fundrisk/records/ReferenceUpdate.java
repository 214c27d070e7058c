package org.lifelongpulse.fundrisk.records;

import org.lifelongpulse.avro.AlertAction;
import org.lifelongpulse.avro.Institution;
import org.lifelongpulse.avro.RiskRule;

/**
 * One message of the reference side: a version of an institution's reference data, a rule's
 * settings or a supervisor's action on an alert (exactly one is set). A Flink POJO of Avro records,
 * never Kryo.
 */
public class ReferenceUpdate {

    public Institution institution;
    public RiskRule rule;
    public AlertAction action;

    public ReferenceUpdate() {}

    public static ReferenceUpdate of(Institution institution) {
        ReferenceUpdate u = new ReferenceUpdate();
        u.institution = institution;
        return u;
    }

    public static ReferenceUpdate of(RiskRule rule) {
        ReferenceUpdate u = new ReferenceUpdate();
        u.rule = rule;
        return u;
    }

    public static ReferenceUpdate of(AlertAction action) {
        ReferenceUpdate u = new ReferenceUpdate();
        u.action = action;
        return u;
    }

    /**
     * Event time of the update, for the broadcast side's watermark: when an institution version
     * took effect, when rule settings take effect (their {@code updated_at}; the beginning of time
     * if unset). A supervisor's action has no event time: it never moves the watermark.
     */
    public long effectiveAt() {
        if (institution != null) {
            return institution.getUpdatedAt().toEpochMilli();
        }
        return rule != null && rule.getUpdatedAt() != null
                ? rule.getUpdatedAt().toEpochMilli()
                : Long.MIN_VALUE;
    }
}
