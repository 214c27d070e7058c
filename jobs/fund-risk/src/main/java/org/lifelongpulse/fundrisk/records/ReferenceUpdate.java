package org.lifelongpulse.fundrisk.records;

import org.lifelongpulse.avro.Institution;
import org.lifelongpulse.avro.RiskRule;

/**
 * One message of the broadcast side: a version of an institution's reference data or a rule's
 * settings (exactly one of the two is set). A Flink POJO of Avro records, never Kryo.
 */
public class ReferenceUpdate {

    public Institution institution;
    public RiskRule rule;

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

    /**
     * Event time of the update, for the broadcast side's watermark: when an institution version
     * took effect, when rule settings were published (or the beginning of time if unknown).
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
