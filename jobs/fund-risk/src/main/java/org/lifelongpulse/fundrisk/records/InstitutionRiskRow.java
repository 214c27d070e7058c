package org.lifelongpulse.fundrisk.records;

/**
 * An institution's risk score from its open alerts (see {@code RiskScore}), as of the event time of
 * the change; {@code version} counts the changes, so the latest row replaces the others.
 */
public record InstitutionRiskRow(
        String institutionId,
        String district,
        double score,
        int openAlerts,
        int redAlerts,
        long updatedAt,
        long version) {}
