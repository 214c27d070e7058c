package org.lifelongpulse.participation.records;

/** One minute of one resource ({@code resource_minute}); provider is "" when absent. */
public record ResourceRow(
        long minute,
        String resourceId,
        String activityType,
        String providerId,
        long visits,
        long uniqueLearners,
        long learningSeconds,
        long version) {}
