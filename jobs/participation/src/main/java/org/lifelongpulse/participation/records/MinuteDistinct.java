package org.lifelongpulse.participation.records;

import java.util.Map;

/**
 * Running distinct counts of one scope at the end of one minute of event time: per category the
 * members seen since the start; and, for the minute itself, the distinct members active in it, how
 * many of them were never seen before, and the number of tokens (visits).
 */
public record MinuteDistinct(
        DistinctScope scope,
        long minute,
        Map<String, Long> totals,
        long activeMembers,
        long newMembers,
        long tokens) {}
