package org.lifelongpulse.participation.records;

import org.lifelongpulse.admission.Admissible;

/**
 * One learning activity inside the job: the contract's fields with the learner replaced by a keyed
 * hash, enums as their symbols, and where the message came from. Optional fields are null.
 */
public record Activity(
        String eventId,
        long eventTime,
        String learnerHash,
        String district,
        String ageBand,
        String channel,
        String activityType,
        String resourceId,
        String routeId,
        String providerId,
        String campaign,
        Integer durationSeconds,
        Integer creditPoints,
        String sourceTopic,
        int sourcePartition,
        long sourceOffset)
        implements Admissible {

    public long seconds() {
        return durationSeconds == null ? 0 : durationSeconds;
    }

    public long credits() {
        return creditPoints == null ? 0 : creditPoints;
    }
}
