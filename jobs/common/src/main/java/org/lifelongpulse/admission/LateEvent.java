package org.lifelongpulse.admission;

/**
 * An event that arrived after its window had closed for good (watermark past the window's end plus
 * the allowed lateness): kept out of the aggregates, recorded in {@code late_events}.
 */
public record LateEvent(
        String job,
        String sourceTopic,
        String eventId,
        long eventTime,
        long watermark,
        long latenessMs,
        long arrivedAt) {}
