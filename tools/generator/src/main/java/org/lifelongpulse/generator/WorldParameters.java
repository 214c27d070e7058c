package org.lifelongpulse.generator;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * Everything that shapes a generated world. The same parameters give byte-identical output: nothing
 * else (no wall clock, no hash order) enters the world.
 *
 * @param seed seed of every random choice
 * @param learners size of the learner population
 * @param institutions number of training institutions, scripted ones included
 * @param days length of the activity week in days
 * @param start first instant of the activity week: a local midnight in Asia/Shanghai for the
 *     programme's daily rhythm; any whole minute works (the world's days then start there)
 * @param activityEvents learning-activity events to generate, before faults
 * @param campaign campaign whose distinct learners the truth counts
 * @param watermarkBound bounded out-of-orderness B the jobs use
 * @param allowedLateness allowed lateness L the jobs use
 * @param duplicateRate share of events resent as exact duplicates
 * @param outOfOrderRate share of events that arrive up to B/2 behind the stream
 * @param tooLateRate share of learning events that arrive 35 to 60 minutes late
 * @param malformedRate extra messages, as a share of events, that are garbage or invalid
 * @param activityPartitions partitions of the activity topic (for the lateness check)
 * @param fundPartitions partitions of the fund topic (for the end-of-input check)
 * @param fundDays length of the fund world, which ends with the activity week
 */
public record WorldParameters(
        long seed,
        int learners,
        int institutions,
        int days,
        Instant start,
        long activityEvents,
        String campaign,
        Duration watermarkBound,
        Duration allowedLateness,
        double duplicateRate,
        double outOfOrderRate,
        double tooLateRate,
        double malformedRate,
        int activityPartitions,
        int fundPartitions,
        int fundDays) {

    public static final int DEFAULT_LEARNERS = 20_000;
    public static final int DEFAULT_INSTITUTIONS = 300;
    public static final int DEFAULT_DAYS = 7;

    /** Average learning events per learner over the week, when no count is given. */
    public static final int EVENTS_PER_LEARNER = 8;

    public static final Instant DEFAULT_START =
            OffsetDateTime.parse("2020-11-01T00:00:00+08:00").toInstant();
    public static final String DEFAULT_CAMPAIGN = "activity-week-2020";

    /** Ten weeks: four-week baselines need five weeks of history before the scripted weeks. */
    public static final int DEFAULT_FUND_DAYS = 70;

    public WorldParameters {
        if (learners < 1) {
            throw new IllegalArgumentException("--learners must be at least 1");
        }
        if (institutions < Scenario.values().length + 2) {
            throw new IllegalArgumentException(
                    "--institutions must be at least "
                            + (Scenario.values().length + 2)
                            + ": "
                            + Scenario.values().length
                            + " scripted ones and some ordinary ones");
        }
        if (days < 1) {
            throw new IllegalArgumentException("--days must be at least 1");
        }
        if (activityEvents < 0) {
            throw new IllegalArgumentException("--count must not be negative");
        }
        for (double rate :
                new double[] {duplicateRate, outOfOrderRate, tooLateRate, malformedRate}) {
            if (rate < 0 || rate > 0.2) {
                throw new IllegalArgumentException("fault rates must be within 0 and 0.2");
            }
        }
        if (fundDays < DEFAULT_FUND_DAYS) {
            throw new IllegalArgumentException(
                    "the fund world needs at least "
                            + DEFAULT_FUND_DAYS
                            + " days for its scripted scenarios");
        }
    }

    /** The defaults of issue #3 for a seed: a one-week activity week, 300 institutions. */
    public static WorldParameters defaults(long seed) {
        return new WorldParameters(
                seed,
                DEFAULT_LEARNERS,
                DEFAULT_INSTITUTIONS,
                DEFAULT_DAYS,
                DEFAULT_START,
                (long) DEFAULT_LEARNERS * EVENTS_PER_LEARNER,
                DEFAULT_CAMPAIGN,
                Duration.ofSeconds(10),
                Duration.ofSeconds(60),
                0.01,
                0.02,
                0.002,
                0.001,
                2,
                2,
                DEFAULT_FUND_DAYS);
    }

    public WorldParameters withLearners(int n, long events) {
        return new WorldParameters(
                seed,
                n,
                institutions,
                days,
                start,
                events,
                campaign,
                watermarkBound,
                allowedLateness,
                duplicateRate,
                outOfOrderRate,
                tooLateRate,
                malformedRate,
                activityPartitions,
                fundPartitions,
                fundDays);
    }

    public WorldParameters withInstitutions(int n) {
        return new WorldParameters(
                seed,
                learners,
                n,
                days,
                start,
                activityEvents,
                campaign,
                watermarkBound,
                allowedLateness,
                duplicateRate,
                outOfOrderRate,
                tooLateRate,
                malformedRate,
                activityPartitions,
                fundPartitions,
                fundDays);
    }

    public WorldParameters withWeek(Instant weekStart, int weekDays) {
        return new WorldParameters(
                seed,
                learners,
                institutions,
                weekDays,
                weekStart,
                activityEvents,
                campaign,
                watermarkBound,
                allowedLateness,
                duplicateRate,
                outOfOrderRate,
                tooLateRate,
                malformedRate,
                activityPartitions,
                fundPartitions,
                fundDays);
    }

    public WorldParameters withFaultRates(
            double duplicates, double outOfOrder, double tooLate, double malformed) {
        return new WorldParameters(
                seed,
                learners,
                institutions,
                days,
                start,
                activityEvents,
                campaign,
                watermarkBound,
                allowedLateness,
                duplicates,
                outOfOrder,
                tooLate,
                malformed,
                activityPartitions,
                fundPartitions,
                fundDays);
    }

    public long activityStartMillis() {
        return start.toEpochMilli();
    }

    public long activityEndMillis() {
        return start.toEpochMilli() + days * Time.DAY;
    }

    /** The fund world ends with the activity week and spans {@link #fundDays} days. */
    public long fundStartMillis() {
        return activityEndMillis() - fundDays * Time.DAY;
    }

    public long fundEndMillis() {
        return activityEndMillis();
    }
}
