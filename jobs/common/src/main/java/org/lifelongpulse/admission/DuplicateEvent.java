package org.lifelongpulse.admission;

/** A resent event whose id was already admitted: dropped from the numbers, recorded. */
public record DuplicateEvent(
        String job,
        String sourceTopic,
        int sourcePartition,
        long sourceOffset,
        String eventId,
        long eventTime,
        long seenAt) {}
