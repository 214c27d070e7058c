package org.lifelongpulse.participation.records;

import java.util.Objects;
import org.lifelongpulse.state.KeyHash;

/**
 * What a running distinct count is over, its key: a campaign within one district or every district
 * ({@code ALL}), or, for the funnel, one course or MOOC over every district. {@link #hashCode} is
 * spelled out, so that key groups are the same in every JVM.
 */
public record DistinctScope(String name, String district) {

    /** The parts joined by {@code |}: how {@code dropped_events.item} names the group. */
    @Override
    public String toString() {
        return String.join("|", name, district);
    }

    @Override
    public int hashCode() {
        return KeyHash.of(name, district);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DistinctScope s
                && Objects.equals(name, s.name)
                && Objects.equals(district, s.district);
    }
}
