package org.lifelongpulse.fundrisk.rules;

/** One version of an institution's reference data, as the rules need it. A Flink POJO. */
public class InstitutionVersion {

    public long updatedAt;
    public String name;
    public String district;
    public String licenseStatus;
    /** When the institution gave notice of closing, or null. */
    public Long closureNoticeAt;

    public InstitutionVersion() {}

    public InstitutionVersion(long updatedAt, String name, String district,
            String licenseStatus, Long closureNoticeAt) {
        this.updatedAt = updatedAt;
        this.name = name;
        this.district = district;
        this.licenseStatus = licenseStatus;
        this.closureNoticeAt = closureNoticeAt;
    }

    public boolean isActive() {
        return "ACTIVE".equals(licenseStatus);
    }

    /** Closed or revoked: the institution may no longer trade. */
    public boolean isGone() {
        return "CLOSED".equals(licenseStatus) || "REVOKED".equals(licenseStatus);
    }
}
