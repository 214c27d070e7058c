package org.lifelongpulse.admission;

/**
 * An admitted event an aggregation found behind its watermark and could not count. Admission judges
 * lateness on the clocks the watermarks come from, so none should ever exist; each one is recorded
 * in {@code dropped_events} and counted in the operator's {@code eventsDroppedBehindWatermark}
 * metric instead of vanishing.
 *
 * @param operator the uid of the operator that could not count it
 * @param item what was dropped: the operator's key and the member (learner hash)
 */
public record DroppedEvent(
        String job,
        String operator,
        String item,
        long eventTime,
        long watermark,
        long observedAt) {}
