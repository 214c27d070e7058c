package org.lifelongpulse.fundrisk.records;

import java.time.Instant;
import org.lifelongpulse.avro.AlertStatus;
import org.lifelongpulse.avro.RiskAlert;
import org.lifelongpulse.avro.Severity;

/**
 * One version of a risk alert: every field of the {@code RiskAlert} contract plus the institution's
 * district (for the table). Times are event-time epoch milliseconds.
 */
public record AlertRow(
        String alertId,
        String institutionId,
        String district,
        String ruleId,
        int ruleVersion,
        String severity,
        String status,
        long firstDetectedAt,
        long lastDetectedAt,
        long windowStart,
        long windowEnd,
        double observed,
        double threshold,
        String evidence,
        String citation,
        long version,
        boolean shadow) {

    /** The contract record published on {@code fund.alerts.v1}. */
    public RiskAlert toAvro() {
        return RiskAlert.newBuilder()
                .setAlertId(alertId)
                .setInstitutionId(institutionId)
                .setRuleId(ruleId)
                .setRuleVersion(ruleVersion)
                .setSeverity(Severity.valueOf(severity))
                .setStatus(AlertStatus.valueOf(status))
                .setFirstDetectedAt(Instant.ofEpochMilli(firstDetectedAt))
                .setLastDetectedAt(Instant.ofEpochMilli(lastDetectedAt))
                .setWindowStart(Instant.ofEpochMilli(windowStart))
                .setWindowEnd(Instant.ofEpochMilli(windowEnd))
                .setObserved(observed)
                .setThreshold(threshold)
                .setEvidence(evidence)
                .setCitation(citation)
                .setVersion(version)
                .setShadow(shadow)
                .build();
    }
}
