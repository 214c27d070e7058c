package org.lifelongpulse.participation.records;

/**
 * One minute of one district × activity type × channel × age band ({@code participation_minute}).
 * {@code version} is the number of events counted, so a re-emission after a late event replaces.
 */
public record ParticipationRow(
        long minute,
        String district,
        String activityType,
        String channel,
        String ageBand,
        long participantVisits,
        long uniqueLearners,
        long learningSeconds,
        long creditPoints,
        long version) {}
