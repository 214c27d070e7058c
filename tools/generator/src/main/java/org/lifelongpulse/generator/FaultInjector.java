package org.lifelongpulse.generator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.utils.Utils;
import org.lifelongpulse.avro.LearningActivity;
import org.lifelongpulse.avro.PrepaidTransaction;
import org.lifelongpulse.contracts.Topic;

/**
 * Turns a clean, time-ordered event stream into the messages a real producer would send: exact
 * resends, out-of-order arrivals within B/2, events far beyond the allowed lateness and malformed
 * messages, each counted. Arrival is simulated time; every message arrives no earlier than its
 * event time, so a stream's maximum event time never runs ahead of its arrival clock.
 */
final class FaultInjector {

    /** A too-late event trails every partition's maximum by at least this much. */
    static final long TOO_LATE_MARGIN = 30 * Time.MINUTE;

    private static final long TOO_LATE_MIN_DELAY = 35 * Time.MINUTE;
    private static final long TOO_LATE_MAX_DELAY = 60 * Time.MINUTE;

    /** Resends follow the original within a few seconds. */
    private static final long RESEND_MIN = Time.SECOND;

    private static final long RESEND_MAX = 4 * Time.SECOND;

    /** What was injected into one topic. */
    record Report(
            long events,
            long duplicates,
            long outOfOrder,
            long tooLate,
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
        for (int i = 0; i < n; i++) {
            SpecificRecord event = events.get(i);
            times[i] = eventTime(event);
            double u = random.nextDouble();
            int hour = Time.hourOfDay(times[i], parameters.activityStartMillis());
            if (u < tooLate && hour >= 9 && hour < 21 && eligibility.tooLate().test(event)) {
                faults[i] = Fault.TOO_LATE;
            } else if (u < tooLate + outOfOrder && eligibility.outOfOrder().test(event)) {
                faults[i] = Fault.OUT_OF_ORDER;
            } else {
                faults[i] = Fault.NONE;
            }
        }
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

        List<Message> messages = new ArrayList<>(n + n / 50);
        long duplicates = 0;
        long ooo = 0;
        long late = 0;
        long garbage = 0;
        long invalid = 0;
        for (int i = 0; i < n; i++) {
            SpecificRecord event = events.get(i);
            messages.add(Message.of(topic, event, faults[i], times[i], arrivals[i]));
            ooo += faults[i] == Fault.OUT_OF_ORDER ? 1 : 0;
            late += faults[i] == Fault.TOO_LATE ? 1 : 0;
            // a resend of a too-late event would blur which copy was late: none are resent
            if (faults[i] != Fault.TOO_LATE && random.nextDouble() < parameters.duplicateRate()) {
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
        messages.sort(Comparator.comparingLong(Message::arrivalMillis));
        checkArrivalBounds(messages, halfBound);
        report = new Report(n, duplicates, ooo, late, garbage, invalid);
        return messages;
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
