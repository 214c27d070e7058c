package org.lifelongpulse.participation.records;

/**
 * The enrolment → progress → completion funnel of one course or MOOC at the end of one minute
 * ({@code mooc_funnel_minute}): distinct learners at each step since the start.
 */
public record FunnelRow(
        long minute,
        String resourceId,
        long enrolled,
        long progressed,
        long completed,
        long version) {}
