package org.lifelongpulse.participation.records;

import java.util.Objects;
import org.lifelongpulse.state.KeyHash;

/**
 * The key of {@code resource_minute}: resource × district of the activity × activity type ×
 * provider ("" when absent). {@link #hashCode} is spelled out, so that key groups are the same in
 * every JVM.
 */
public record ResourceGroup(
        String resourceId, String district, String activityType, String providerId) {

    public static ResourceGroup of(Activity a) {
        return new ResourceGroup(
                a.resourceId(),
                a.district(),
                a.activityType(),
                a.providerId() == null ? "" : a.providerId());
    }

    /** The parts joined by {@code |}: how {@code dropped_events.item} names the group. */
    @Override
    public String toString() {
        return String.join("|", resourceId, district, activityType, providerId);
    }

    @Override
    public int hashCode() {
        return KeyHash.of(resourceId, district, activityType, providerId);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResourceGroup g
                && Objects.equals(resourceId, g.resourceId)
                && Objects.equals(district, g.district)
                && Objects.equals(activityType, g.activityType)
                && Objects.equals(providerId, g.providerId);
    }
}
