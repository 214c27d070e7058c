package org.lifelongpulse.fundrisk.rules;

import org.lifelongpulse.avro.LicenseStatus;

/**
 * One version of an institution's reference data, as the rules need it (kept in broadcast state).
 *
 * @param closureNoticeAt when the institution gave notice of closing, or null
 */
public record InstitutionVersion(
        long updatedAt,
        String name,
        String district,
        LicenseStatus licenseStatus,
        Long closureNoticeAt) {

    /** With the licence status as its contract symbol. */
    public InstitutionVersion(
            long updatedAt,
            String name,
            String district,
            String licenseStatus,
            Long closureNoticeAt) {
        this(updatedAt, name, district, LicenseStatus.valueOf(licenseStatus), closureNoticeAt);
    }

    public boolean isActive() {
        return licenseStatus == LicenseStatus.ACTIVE;
    }

    /** Closed or revoked: the institution may no longer trade. */
    public boolean isGone() {
        return licenseStatus == LicenseStatus.CLOSED || licenseStatus == LicenseStatus.REVOKED;
    }
}
