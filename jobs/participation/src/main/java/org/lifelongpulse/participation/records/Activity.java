package org.lifelongpulse.participation.records;

import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.lifelongpulse.admission.Admissible;
import org.lifelongpulse.admission.EventIdHash;

/**
 * One learning activity inside the job: the contract's fields with the learner replaced by a keyed
 * hash, enums as their symbols, and where the message came from. Optional fields are null. The
 * event id's {@link EventIdHash} is computed once, by the constructor without it, where the message
 * is decoded, and travels with the record.
 */
@TypeInfo(ShuffleFormats.ActivityInfo.class)
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
        long sourceOffset,
        long eventIdHash)
        implements Admissible {

    /** An activity whose id hash is computed here, from {@code eventId}. */
    public Activity(
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
            long sourceOffset) {
        this(
                eventId,
                eventTime,
                learnerHash,
                district,
                ageBand,
                channel,
                activityType,
                resourceId,
                routeId,
                providerId,
                campaign,
                durationSeconds,
                creditPoints,
                sourceTopic,
                sourcePartition,
                sourceOffset,
                EventIdHash.of(eventId));
    }

    public long seconds() {
        return durationSeconds == null ? 0 : durationSeconds;
    }

    public long credits() {
        return creditPoints == null ? 0 : creditPoints;
    }
}
