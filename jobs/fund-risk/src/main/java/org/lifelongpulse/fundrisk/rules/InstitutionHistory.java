package org.lifelongpulse.fundrisk.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * Every known version of one institution's reference data, oldest first, so that a rule can ask
 * which version was in force at an event time. A Flink POJO (kept in broadcast state); the list is
 * replaced, never changed, so a history read from state may be shared.
 */
public class InstitutionHistory {

    private List<InstitutionVersion> versions = new ArrayList<>();

    public InstitutionHistory() {}

    /** Adds a version; a version with the same {@code updatedAt} replaces the earlier copy. */
    public InstitutionHistory with(InstitutionVersion version) {
        InstitutionHistory copy = new InstitutionHistory();
        copy.versions = new ArrayList<>(versions);
        copy.versions.removeIf(v -> v.updatedAt() == version.updatedAt());
        int at = 0;
        while (at < copy.versions.size()
                && copy.versions.get(at).updatedAt() < version.updatedAt()) {
            at++;
        }
        copy.versions.add(at, version);
        return copy;
    }

    /**
     * The version in force at {@code time}: the latest updated at or before it, else the earliest
     * known (reference data usually predates the first transaction; when the older versions were
     * compacted away, the oldest remaining one is the best guess). Null when none is known.
     */
    public InstitutionVersion at(long time) {
        InstitutionVersion current = versions.isEmpty() ? null : versions.get(0);
        for (InstitutionVersion v : versions) {
            if (v.updatedAt() <= time) {
                current = v;
            }
        }
        return current;
    }

    public InstitutionVersion latest() {
        return versions.isEmpty() ? null : versions.get(versions.size() - 1);
    }

    /** Flink POJO accessor. */
    public List<InstitutionVersion> getVersions() {
        return versions;
    }

    /** Flink POJO accessor. */
    public void setVersions(List<InstitutionVersion> versions) {
        this.versions = versions;
    }
}
