package org.lifelongpulse.participation.records;

/**
 * A learner checked in at every point of a humanities-walk route ({@code route_completions}).
 * Completed at the event time of the check-in that completed the set.
 */
public record RouteCompletion(
        String routeId,
        String learnerHash,
        String district,
        long completedAt,
        int points,
        long version) {}
