package org.lifelongpulse.generator;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.utils.Utils;
import org.lifelongpulse.avro.LearningActivity;
import org.lifelongpulse.avro.PrepaidTransaction;
import org.lifelongpulse.contracts.Topic;

/**
 * Turns a clean, time-ordered event stream into the messages a real producer would send: exact
 * resends, out-of-order arrivals within B/2, late arrivals within the allowed lateness (and pairs
 * exactly at its edge, one admitted and one dropped), events far beyond the allowed lateness and
 * malformed messages, each counted. Arrival is simulated time; every message arrives no earlier
 * than its event time, so a stream's maximum event time never runs ahead of its arrival clock.
 */
final class FaultInjector {

    /** A too-late event trails every partition's maximum by at least this much. */
    static final long TOO_LATE_MARGIN = 30 * Time.MINUTE;

    private static final long TOO_LATE_MIN_DELAY = 35 * Time.MINUTE;
    private static final long TOO_LATE_MAX_DELAY = 60 * Time.MINUTE;

    /** Lateness-edge pairs (one admitted, one dropped) per event topic that has late arrivals. */
    static final int EDGE_PAIRS = 2;

    /**
     * How far short of the allowed lateness a late-within event stays: room for a live partition's
     * clock, which moves on with the wall clock between two messages.
     */
    static final long LATE_WITHIN_SLACK = 10 * Time.SECOND;

    /** Resends follow the original within a few seconds. */
    private static final long RESEND_MIN = Time.SECOND;

    private static final long RESEND_MAX = 4 * Time.SECOND;

    /** What was injected into one topic. */
    record Report(
            long events,
            long duplicates,
            long outOfOrder,
            long tooLate,
            long behindTheClock,
            long garbage,
            long invalid) {

        long messages() {
            return events + duplicates + garbage + invalid;
        }
    }

    /** Which events may carry which fault. */
    record Eligibility(Predicate<SpecificRecord> outOfOrder, Predicate<SpecificRecord> tooLate) {}

    private final WorldParameters parameters;
    private final SplittableRandom random;
    private final String tag;
    private Report report;

    FaultInjector(WorldParameters parameters, SplittableRandom random) {
        this.parameters = parameters;
        this.random = random;
        this.tag = Seeds.tag(parameters.seed());
    }

    Report report() {
        return report;
    }

    /**
     * The messages of one topic, sorted by arrival (ties keep event order).
     *
     * @param events valid events sorted by event time
     * @param partitions partitions of the topic, for the too-late check
     */
    List<Message> inject(
            Topic topic,
            List<? extends SpecificRecord> events,
            Eligibility eligibility,
            int partitions) {
        int n = events.size();
        Fault[] faults = new Fault[n];
        long[] times = new long[n];
        double tooLate = parameters.tooLateRate();
        double outOfOrder = parameters.outOfOrderRate();
        // its own stream, so that worlds generated before late arrivals existed keep every other
        // draw (and so every fund scenario and alert) as they were
        SplittableRandom lateDraws = new SplittableRandom(parameters.seed() * 31 + topic.ordinal());
        for (int i = 0; i < n; i++) {
            SpecificRecord event = events.get(i);
            times[i] = eventTime(event);
            double u = random.nextDouble();
            int hour = Time.hourOfDay(times[i], parameters.activityStartMillis());
            if (u < tooLate && hour >= 9 && hour < 21 && eligibility.tooLate().test(event)) {
                faults[i] = Fault.TOO_LATE;
            } else if (u < tooLate + outOfOrder && eligibility.outOfOrder().test(event)) {
                faults[i] = Fault.OUT_OF_ORDER;
            } else if (eligibility.tooLate().test(event) && lateDraws.nextDouble() < tooLate) {
                faults[i] = Fault.LATE_WITHIN;
            } else {
                faults[i] = Fault.NONE;
            }
        }
        markEdges(faults, lateDraws);
        long[] arrivals = new long[n];
        long halfBound = parameters.watermarkBound().toMillis() / 2;
        for (int i = 0; i < n; i++) {
            arrivals[i] =
                    switch (faults[i]) {
                        case OUT_OF_ORDER -> times[i] + random.nextLong(Time.SECOND, halfBound + 1);
                        case TOO_LATE ->
                                times[i]
                                        + random.nextLong(
                                                TOO_LATE_MIN_DELAY, TOO_LATE_MAX_DELAY + 1);
                        default -> times[i];
                    };
        }
        confirmTooLate(topic, events, faults, times, arrivals, partitions);
        int[] anchors = anchorLateArrivals(topic, events, faults, times, arrivals, partitions);

        List<Message> messages = new ArrayList<>(n + n / 50);
        Message[] byEvent = new Message[n];
        List<Message> edgeAnchors = new ArrayList<>();
        Map<Message, List<Message>> followers = new IdentityHashMap<>();
        long duplicates = 0;
        long ooo = 0;
        long late = 0;
        long garbage = 0;
        long invalid = 0;
        for (int i = 0; i < n; i++) {
            SpecificRecord event = events.get(i);
            Message message = Message.of(topic, event, faults[i], times[i], arrivals[i]);
            byEvent[i] = message;
            // an event behind the clock is sent right after its anchor (below)
            boolean behindTheClock = faults[i].behindTheClock();
            if (!behindTheClock) {
                messages.add(message);
            }
            ooo += faults[i] == Fault.OUT_OF_ORDER ? 1 : 0;
            late += faults[i] == Fault.TOO_LATE ? 1 : 0;
            // a resend of a too-late event would blur which copy was late: none are resent; nor
            // one behind the clock, which could find the clock moved on and be late where the
            // original was not (the draw is made all the same, so the other faults stay put)
            if (faults[i] != Fault.TOO_LATE
                    && random.nextDouble() < parameters.duplicateRate()
                    && !behindTheClock) {
                messages.add(
                        Message.of(
                                topic,
                                event,
                                Fault.DUPLICATE,
                                times[i],
                                arrivals[i] + random.nextLong(RESEND_MIN, RESEND_MAX + 1)));
                duplicates++;
            }
            if (random.nextDouble() < parameters.malformedRate()) {
                if (random.nextBoolean()) {
                    messages.add(
                            new Message(
                                    topic,
                                    topic.keyOf(event),
                                    null,
                                    garbageBytes(),
                                    Fault.GARBAGE,
                                    arrivals[i],
                                    arrivals[i]));
                    garbage++;
                } else {
                    invalid++;
                    SpecificRecord bad = invalidCopy(event, invalid);
                    messages.add(Message.of(topic, bad, Fault.INVALID, times[i], arrivals[i]));
                }
            }
        }
        long behind = 0;
        for (int i = 0; i < n; i++) {
            if (!faults[i].behindTheClock()) {
                continue;
            }
            behind++;
            late += faults[i] == Fault.PAST_LATENESS_EDGE ? 1 : 0;
            Message anchor;
            Message follower = byEvent[i];
            if (faults[i] == Fault.LATE_WITHIN) {
                anchor = byEvent[anchors[i]];
            } else {
                anchor = edgeAnchor(topic, events.get(i), faults[i], times[i], edgeAnchors.size());
                edgeAnchors.add(anchor);
                messages.add(anchor);
                // it arrives with its anchor, so that any later sort by arrival keeps it there
                follower =
                        Message.of(
                                topic, events.get(i), faults[i], times[i], anchor.arrivalMillis());
            }
            followers.computeIfAbsent(anchor, a -> new ArrayList<>()).add(follower);
        }
        messages.sort(Comparator.comparingLong(Message::arrivalMillis));
        messages = withFollowers(messages, followers);
        checkArrivalBounds(messages, halfBound);
        checkLateness(parameters, topic, messages, partitions);
        report =
                new Report(n + edgeAnchors.size(), duplicates, ooo, late, behind, garbage, invalid);
        return messages;
    }

    /**
     * Two pairs of lateness-edge cases among the late-within candidates of the day (09:00 to
     * 21:00), evenly spread: one admitted at the last millisecond, one dropped a millisecond later.
     */
    private void markEdges(Fault[] faults, SplittableRandom lateDraws) {
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < faults.length; i++) {
            if (faults[i] == Fault.LATE_WITHIN) {
                candidates.add(i);
            }
        }
        if (candidates.size() < 2 * EDGE_PAIRS + 2) {
            return;
        }
        int step = candidates.size() / (2 * EDGE_PAIRS + 1);
        int offset = lateDraws.nextInt(step);
        for (int k = 0; k < 2 * EDGE_PAIRS; k++) {
            faults[candidates.get(offset + (k + 1) * step - 1)] =
                    k % 2 == 0 ? Fault.AT_LATENESS_EDGE : Fault.PAST_LATENESS_EDGE;
        }
    }

    /**
     * For every late-within candidate, the first on-time event on its partition that moves the
     * partition's clock past the end of the candidate's minute, but leaves it at least {@link
     * #LATE_WITHIN_SLACK} short of the allowed lateness; the candidate arrives right after it. A
     * candidate without such an event is sent on time.
     *
     * @return the anchor's index for each late-within event, else -1
     */
    private int[] anchorLateArrivals(
            Topic topic,
            List<? extends SpecificRecord> events,
            Fault[] faults,
            long[] times,
            long[] arrivals,
            int partitions) {
        int n = events.size();
        int[] partitionOf = new int[n];
        List<List<Integer>> onTime = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            onTime.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            partitionOf[i] = partitionOf(topic.keyOf(events.get(i)), partitions);
            if (faults[i] == Fault.NONE) {
                onTime.get(partitionOf[i]).add(i);
            }
        }
        long bound = parameters.watermarkBound().toMillis();
        long lateness = parameters.allowedLateness().toMillis();
        int[] anchors = new int[n];
        Arrays.fill(anchors, -1);
        for (int i = 0; i < n; i++) {
            if (faults[i] != Fault.LATE_WITHIN) {
                continue;
            }
            long lastMilli = lastMilliOfMinute(times[i]);
            long from = lastMilli + bound + 1;
            long to = lastMilli + bound + lateness - LATE_WITHIN_SLACK;
            List<Integer> candidates = onTime.get(partitionOf[i]);
            int at = firstAtOrAfter(candidates, times, from);
            if (at < candidates.size() && times[candidates.get(at)] <= to) {
                anchors[i] = candidates.get(at);
                arrivals[i] = times[anchors[i]];
            } else {
                faults[i] = Fault.NONE;
            }
        }
        return anchors;
    }

    private static int firstAtOrAfter(List<Integer> indices, long[] times, long t) {
        int lo = 0;
        int hi = indices.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (times[indices.get(mid)] < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * The newest event on the edge case's partition when it arrives: a further activity of the same
     * learner (so on the same partition), B + L after the case's minute, plus one millisecond for
     * the case that is dropped.
     */
    private Message edgeAnchor(
            Topic topic, SpecificRecord event, Fault fault, long eventTime, int n) {
        long at =
                lastMilliOfMinute(eventTime)
                        + parameters.watermarkBound().toMillis()
                        + parameters.allowedLateness().toMillis()
                        + (fault == Fault.PAST_LATENESS_EDGE ? 1 : 0);
        LearningActivity a = (LearningActivity) event;
        LearningActivity anchor =
                LearningActivity.newBuilder(a)
                        .setEventId(String.format("%s-edge-a%02d", tag, n + 1))
                        .setOccurredAt(Instant.ofEpochMilli(at))
                        .build();
        return Message.of(topic, anchor, Fault.NONE, at, at);
    }

    /** The sorted messages with each anchor's followers right after it (same arrival time). */
    private static List<Message> withFollowers(
            List<Message> sorted, Map<Message, List<Message>> followers) {
        if (followers.isEmpty()) {
            return sorted;
        }
        List<Message> out = new ArrayList<>(sorted.size() + followers.size());
        for (Message m : sorted) {
            out.add(m);
            List<Message> after = followers.get(m);
            if (after != null) {
                out.addAll(after);
            }
        }
        return out;
    }

    /**
     * The generator's own invariant, on the jobs' rule for a replay: each partition's clock stands
     * at its newest admitted event time minus B minus 1 ms, and an event is late once its minute's
     * last millisecond plus L is at or behind that clock. Every message must meet the fate its
     * fault mark promises; the edge cases exactly at the edge.
     */
    static void checkLateness(
            WorldParameters parameters, Topic topic, List<Message> messages, int partitions) {
        long bound = parameters.watermarkBound().toMillis();
        long lateness = parameters.allowedLateness().toMillis();
        long[] newest = new long[partitions];
        Arrays.fill(newest, Long.MIN_VALUE);
        for (Message m : messages) {
            if (m.topic() != topic || m.record() == null || m.malformed()) {
                continue;
            }
            int p = partitionOf(m.key(), partitions);
            long clock = newest[p] == Long.MIN_VALUE ? Long.MIN_VALUE : newest[p] - bound - 1;
            long lastMilli = lastMilliOfMinute(m.eventMillis());
            boolean late = clock != Long.MIN_VALUE && lastMilli + lateness <= clock;
            boolean expected =
                    switch (m.fault()) {
                        case TOO_LATE, PAST_LATENESS_EDGE -> late;
                        default -> !late;
                    };
            boolean placed =
                    switch (m.fault()) {
                        case LATE_WITHIN -> clock >= lastMilli;
                        case AT_LATENESS_EDGE -> clock == lastMilli + lateness - 1;
                        case PAST_LATENESS_EDGE -> clock == lastMilli + lateness;
                        default -> true;
                    };
            if (!expected || !placed) {
                throw new IllegalStateException(
                        "event "
                                + m.key()
                                + " at "
                                + Time.format(m.eventMillis())
                                + " ("
                                + m.fault()
                                + ") meets partition "
                                + p
                                + "'s clock at "
                                + (clock == Long.MIN_VALUE ? "its start" : Time.format(clock)));
            }
            if (!late) {
                newest[p] = Math.max(newest[p], m.eventMillis());
            }
        }
    }

    static long lastMilliOfMinute(long t) {
        return Math.floorDiv(t, Time.MINUTE) * Time.MINUTE + Time.MINUTE - 1;
    }

    /**
     * Keeps a too-late candidate only if, when it arrives, every partition has already seen an
     * on-time event at least 30 minutes of event time after it; otherwise it is sent on time.
     * On-time events arrive at their event time, so a partition's maximum at arrival a is at least
     * its latest on-time event at or before a.
     */
    private void confirmTooLate(
            Topic topic,
            List<? extends SpecificRecord> events,
            Fault[] faults,
            long[] times,
            long[] arrivals,
            int partitions) {
        long[][] onTime = new long[partitions][];
        int[] sizes = new int[partitions];
        for (int p = 0; p < partitions; p++) {
            onTime[p] = new long[16];
        }
        for (int i = 0; i < events.size(); i++) {
            if (faults[i] == Fault.NONE) {
                int p = partitionOf(topic.keyOf(events.get(i)), partitions);
                if (sizes[p] == onTime[p].length) {
                    onTime[p] = Arrays.copyOf(onTime[p], sizes[p] * 2);
                }
                onTime[p][sizes[p]++] = times[i];
            }
        }
        for (int i = 0; i < events.size(); i++) {
            if (faults[i] != Fault.TOO_LATE) {
                continue;
            }
            for (int p = 0; p < partitions; p++) {
                int at = Arrays.binarySearch(onTime[p], 0, sizes[p], arrivals[i]);
                int last = at >= 0 ? at : -at - 2;
                if (last < 0 || onTime[p][last] < times[i] + TOO_LATE_MARGIN) {
                    faults[i] = Fault.NONE;
                    arrivals[i] = times[i];
                    break;
                }
            }
        }
    }

    /** The generator's own invariant: on-time events never trail the stream by more than B/2. */
    private static void checkArrivalBounds(List<Message> messages, long halfBound) {
        long max = Long.MIN_VALUE;
        for (Message m : messages) {
            if (m.record() == null) {
                continue;
            }
            boolean onTime = m.fault() == Fault.NONE || m.fault() == Fault.OUT_OF_ORDER;
            if (onTime && max != Long.MIN_VALUE && max - m.eventMillis() > halfBound) {
                throw new IllegalStateException(
                        "event "
                                + m.key()
                                + " at "
                                + Time.format(m.eventMillis())
                                + " ("
                                + m.fault()
                                + ", arriving "
                                + Time.format(m.arrivalMillis())
                                + ") trails the stream's maximum "
                                + Time.format(max)
                                + " by more than B/2");
            }
            if (m.fault() == Fault.TOO_LATE
                    && (max == Long.MIN_VALUE || max - m.eventMillis() < TOO_LATE_MARGIN)) {
                throw new IllegalStateException("a too-late event is not late enough");
            }
            max = Math.max(max, m.eventMillis());
        }
    }

    /** Kafka's default partitioner for keyed records: murmur2 of the key bytes. */
    static int partitionOf(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    static long eventTime(SpecificRecord record) {
        if (record instanceof LearningActivity a) {
            return a.getOccurredAt().toEpochMilli();
        }
        if (record instanceof PrepaidTransaction t) {
            return t.getOccurredAt().toEpochMilli();
        }
        throw new IllegalArgumentException("not an event: " + record.getSchema().getName());
    }

    /** Random bytes that never start with the single-object marker C3 01. */
    private byte[] garbageBytes() {
        byte[] bytes = new byte[8 + random.nextInt(57)];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        if ((bytes[0] & 0xFF) == 0xC3) {
            bytes[0] = 0x7B;
        }
        return bytes;
    }

    /** A copy with a fresh id and one value the contract forbids. */
    private SpecificRecord invalidCopy(SpecificRecord event, long n) {
        boolean emptyId = random.nextBoolean();
        if (event instanceof LearningActivity a) {
            LearningActivity.Builder b =
                    LearningActivity.newBuilder(a)
                            .setEventId(String.format("%s-bad-a%06d", tag, n));
            return (emptyId
                            ? b.setLearnerId("")
                            : b.setDurationSeconds(-(60 + random.nextInt(600))))
                    .build();
        }
        PrepaidTransaction t = (PrepaidTransaction) event;
        PrepaidTransaction.Builder b =
                PrepaidTransaction.newBuilder(t).setTxnId(String.format("%s-bad-t%06d", tag, n));
        return (emptyId ? b.setInstitutionId("") : b.setAmountFen(-Math.max(1, t.getAmountFen())))
                .build();
    }
}
