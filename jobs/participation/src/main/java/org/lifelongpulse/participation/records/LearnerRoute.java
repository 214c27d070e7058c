package org.lifelongpulse.participation.records;

import java.util.Objects;
import org.lifelongpulse.state.KeyHash;

/**
 * The key of walk-route completion: one learner (hash) on one route. {@link #hashCode} is spelled
 * out, so that key groups are the same in every JVM.
 */
public record LearnerRoute(String learnerHash, String routeId) {

    public static LearnerRoute of(Activity checkIn) {
        return new LearnerRoute(checkIn.learnerHash(), checkIn.routeId());
    }

    @Override
    public int hashCode() {
        return KeyHash.of(learnerHash, routeId);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LearnerRoute k
                && Objects.equals(learnerHash, k.learnerHash)
                && Objects.equals(routeId, k.routeId);
    }
}
