package org.lifelongpulse.generator;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import org.lifelongpulse.contracts.Topic;

/**
 * Places a world in wall-clock time so that its end arrives live: the world is moved (by whole
 * minutes) so that, sent at a given rate with no message before its own arrival time ({@link
 * Delivery#live}), it catches up with the wall clock {@code tail} before its cut, and the last
 * {@code tail} of it arrives at its own pace, as a production feed does. The cut falls on the
 * afternoon of the activity week's last day, when both streams are busy; the world ends there (the
 * truth is computed on what is sent, {@link World#arrivedBy}).
 *
 * <p>Before the tail the feed is a fast replay (its newest event far behind the wall clock), and it
 * starts with the training market alone: weeks of fund transactions before the first learning
 * activity.
 */
public final class LivePlacement {

    /** World hour from which the cut is sought on the last day: mid-afternoon. */
    private static final int CUT_HOUR = 15;

    /**
     * How far past {@link #CUT_HOUR} the cut may move to find a tail that feeds every partition.
     */
    private static final int CUT_SEARCH_MINUTES = 180;

    /** Messages each event partition receives within the tail, at least, where possible. */
    private static final int PER_PARTITION = 2;

    /**
     * How long before the tail no lateness-edge case may arrive: while a replay catches up with the
     * wall clock (within the jobs' live horizon, 5 minutes by default) its partitions turn live,
     * their clocks move on with the wall clock between two messages, and a case placed at the
     * millisecond of the edge could fall either side of it.
     */
    private static final long EDGE_FREE_MILLIS = 15 * Time.MINUTE;

    /** The rate assumed when sending as fast as possible. */
    private static final double UNPACED_RATE = 10_000;

    /**
     * A placed world.
     *
     * @param world the world up to its cut
     * @param liveFrom when the tail starts arriving (epoch ms, planned)
     * @param cut the last arrival (epoch ms)
     */
    public record Plan(World world, long liveFrom, long cut) {

        public Instant end() {
            return Instant.ofEpochMilli(cut);
        }
    }

    private LivePlacement() {}

    /**
     * @param base the world's parameters (its own start is replaced)
     * @param now the wall clock, epoch ms
     * @param rate messages per second before the tail; 0 for as fast as possible
     * @param tail how much of the world arrives live
     */
    public static Plan place(WorldParameters base, long now, double rate, Duration tail) {
        return place(
                base,
                now,
                rate,
                tail,
                EnumSet.of(Topic.LEARNING_ACTIVITY, Topic.FUND_TRANSACTIONS));
    }

    /**
     * The same, with a tail that feeds every partition of {@code fed} only: for a run that sends
     * only some topics of the world (a world too sparse on the others for any tail to feed them
     * would otherwise fall back to a tail that feeds none).
     *
     * @param fed the event topics whose every partition the tail must feed
     */
    public static Plan place(
            WorldParameters base, long now, double rate, Duration tail, Set<Topic> fed) {
        if (tail.isNegative() || tail.isZero()) {
            throw new IllegalArgumentException("the live tail must be positive, not " + tail);
        }
        long begin = System.currentTimeMillis();
        World draft = Generator.build(base);
        long buildMillis = System.currentTimeMillis() - begin;
        long draftCut = cutOf(draft, tail.toMillis(), fed);
        long liveFromDraft = draftCut - tail.toMillis();
        long fast =
                draft.messages().stream().filter(m -> m.arrivalMillis() <= liveFromDraft).count();
        double perSecond = rate > 0 ? rate : UNPACED_RATE;
        // sending starts once the placed world is built, which takes as long as the draft did
        long liveFrom =
                now
                        + (System.currentTimeMillis() - begin)
                        + buildMillis
                        + Math.round(fast * 1000 / perSecond);
        long shift = Math.floorDiv(liveFrom - liveFromDraft, Time.MINUTE) * Time.MINUTE;
        WorldParameters placed =
                base.withWeek(
                        Instant.ofEpochMilli(base.activityStartMillis() + shift), base.days());
        long cut = draftCut + shift;
        return new Plan(Generator.build(placed).arrivedBy(cut), cut - tail.toMillis(), cut);
    }

    /**
     * The first whole minute from the last day's {@link #CUT_HOUR} on whose preceding tail gives
     * every partition of both event topics some on-time messages: a partition whose last message
     * came in the fast replay would stay a replay, and hold event time back. No lateness-edge case
     * may arrive in the tail or the {@link #EDGE_FREE_MILLIS} before it.
     */
    private static long cutOf(World world, long tailMillis, Set<Topic> fed) {
        WorldParameters p = world.parameters();
        long first = p.activityEndMillis() - Time.DAY + CUT_HOUR * Time.HOUR;
        for (long cut = first;
                cut <= first + CUT_SEARCH_MINUTES * Time.MINUTE;
                cut += Time.MINUTE) {
            if (feedsEveryPartition(world, cut - tailMillis, cut, fed)
                    && !edgeCaseWithin(world, cut - tailMillis - EDGE_FREE_MILLIS, cut)) {
                return cut;
            }
        }
        return first;
    }

    private static boolean edgeCaseWithin(World world, long from, long to) {
        return world.events().stream()
                .anyMatch(
                        m ->
                                m.arrivalMillis() > from
                                        && m.arrivalMillis() <= to
                                        && (m.fault() == Fault.AT_LATENESS_EDGE
                                                || m.fault() == Fault.PAST_LATENESS_EDGE));
    }

    private static boolean feedsEveryPartition(World world, long from, long to, Set<Topic> fed) {
        WorldParameters p = world.parameters();
        int[] activity = new int[p.activityPartitions()];
        int[] fund = new int[p.fundPartitions()];
        for (Message m : world.events()) {
            if (m.arrivalMillis() <= from
                    || m.arrivalMillis() > to
                    || m.malformed()
                    || m.fault() != Fault.NONE) {
                continue;
            }
            if (m.topic() == Topic.LEARNING_ACTIVITY) {
                activity[FaultInjector.partitionOf(m.key(), activity.length)]++;
            } else if (m.topic() == Topic.FUND_TRANSACTIONS) {
                fund[FaultInjector.partitionOf(m.key(), fund.length)]++;
            }
        }
        return (!fed.contains(Topic.LEARNING_ACTIVITY)
                        || java.util.Arrays.stream(activity).allMatch(n -> n >= PER_PARTITION))
                && (!fed.contains(Topic.FUND_TRANSACTIONS)
                        || java.util.Arrays.stream(fund).allMatch(n -> n >= PER_PARTITION));
    }
}
