package org.lifelongpulse.participation.functions;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.TimestampedCollector;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.lifelongpulse.admission.EventMinute;
import org.lifelongpulse.state.WriteBeforeSnapshot;

/**
 * Tumbling one-minute aggregation of event time per key, with allowed lateness: what {@code
 * window(TumblingEventTimeWindows.of(1 min)).allowedLateness(L).sideOutputLateData(tag)
 * .aggregate(f, w)} does, with a schedule in memory instead of a firing and a cleanup timer per key
 * and minute.
 *
 * <p>The same outputs as that window: a row for a key and minute when the watermark passes the
 * minute's last millisecond; for each later event of that minute until the watermark passes that
 * millisecond plus {@code L}, the row again with the event added (the emitter gives it a higher
 * version); events of a minute whose end plus {@code L} is behind the watermark to {@code behind},
 * uncounted.
 *
 * <p>State per key: the accumulators of its minutes still open to events ({@code
 * tallies-by-minute}, by minute start) and the starts of those minutes ({@code open-minutes}, in
 * order), so that no firing iterates over the state: with RocksDB an iteration is a seek per
 * firing, the largest cost of the job before this list.
 *
 * <p>Schedule: each minute has one pending instant, its end until the watermark reaches it (when it
 * is emitted), then its end plus {@code L} (when it is forgotten). A key in memory is listed at its
 * earliest pending instant, and on each watermark (before Flink's timers fire) every key due is
 * acted on once: its minutes ended since the last watermark emitted, those whose end plus {@code L}
 * it reached forgotten, the key listed again at its next instant. Most keys hold one or two events
 * per minute, so a Flink timer per key and minute (a lookup and insert in Flink's timer queue per
 * minute opened, a poll per firing) cost as much as counting the events. Before each snapshot the
 * pending instants are registered as Flink timers (run the function with {@link #operator()}), so a
 * snapshot holds the timers a timer per minute gives: a key read from the state after a restore is
 * scheduled by them ({@link #onTimer}) until its minutes are forgotten, and a release that has only
 * Flink timers finds the form it wrote (that it resumes such a snapshot is not tested). A key in
 * memory deletes those timers as the watermark passes them, before Flink would fire them. Once the
 * watermark passes every minute's end plus {@code L}, the key has neither state nor timers.
 *
 * <p>A firing reads the list and the minutes it names, nothing else: on RocksDB state reads are
 * most of the job's cost, and every timer is a listed minute's end or its end plus {@code L}. The
 * tallies are counted in memory, and the lists kept there, and both are written to the state before
 * each snapshot, not at each event or change (run the function with {@link #operator()}). A timer
 * that is neither can only come from state kept without the list (release {@code c22577f} and
 * older), which is not supported: such a savepoint fails at a restored minute's timer with an error
 * naming the upgrade path (resume it with {@code f66bd0b} first).
 *
 * @param <K> the key
 * @param <IN> what is counted
 * @param <ACC> a minute's accumulator
 * @param <OUT> a minute's row
 */
public final class AggregateByMinute<K, IN, ACC, OUT> extends KeyedProcessFunction<K, IN, OUT>
        implements ResultTypeQueryable<OUT>, WriteBeforeSnapshot.Scheduled<K, OUT> {

    private static final long serialVersionUID = 1L;

    /** Turns a key's minute, as far as it is counted, into a row. */
    @FunctionalInterface
    public interface MinuteRow<K, ACC, OUT> extends Serializable {

        /**
         * @param minute the minute's start, epoch milliseconds
         */
        OUT of(K key, long minute, ACC accumulator);
    }

    private final long allowedLatenessMillis;
    private final AggregateFunction<IN, ACC, ?> aggregate;
    private final MinuteRow<K, ACC, OUT> row;
    private final MapStateDescriptor<Long, ACC> talliesDescriptor;
    private final OutputTag<IN> behind;
    private final TypeInformation<OUT> outType;

    /** The starts of the key's minutes in {@code tallies-by-minute}, ascending. */
    static final ValueStateDescriptor<long[]> OPEN_MINUTES =
            new ValueStateDescriptor<>(
                    "open-minutes", PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO);

    private transient MapState<Long, ACC> tallies;
    private transient ValueState<long[]> openMinutes;
    private transient TypeSerializer<ACC> accumulatorSerializer;

    /** Whether the state may hold keys {@link #working} has not seen (else it holds none). */
    private transient boolean restored;

    private transient boolean startedByOperator;

    /**
     * This subtask's working copy of its keys' open minutes and their tallies: the keys with open
     * minutes, each with its list and, beside each minute, its tally as far as counted. Lists and
     * tallies are written to the state only before a snapshot ({@link #writeToState}, through
     * {@link #operator()}), so a minute opened, counted and closed between two checkpoints never
     * touches the state: with RocksDB each event of a minute cost a read and a write of the whole
     * tally (its learners included) before, and each minute opened or closed a write of the list
     * (two thirds of the job's RocksDB writes). A key missing here is read from the state (after a
     * start, a restore or a rescale), its tallies one by one as they are needed. Never stored
     * itself; after a snapshot it drops its tallies when it holds more than {@link
     * #MAX_TALLIES_IN_MEMORY}.
     */
    private transient Map<K, OpenMinutes<ACC>> working;

    /** How many tallies stay in memory past a snapshot (all of them are then in the state). */
    static final int MAX_TALLIES_IN_MEMORY = 200_000;

    /**
     * Keys whose list the state holds, though they have no open minute left: their {@code
     * open-minutes} is cleared before the next snapshot. Never stored itself.
     */
    private transient Set<K> emptied;

    /**
     * When the keys in memory are next due, by instant: each such key is listed at its {@link
     * OpenMinutes#dueAt}, the earliest of its minutes' pending instants (a minute's end until the
     * watermark reaches it, then its end plus {@code L}), and acted on when the watermark reaches
     * it ({@link #advanceTo}). A key may also be listed at a later instant it is no longer due at:
     * skipped there. Never stored itself: before a snapshot the pending instants become Flink
     * timers ({@link #scheduleBeforeSnapshot}).
     */
    private transient TreeMap<Long, ArrayList<K>> due;

    /** The watermark {@link #advanceTo} last acted on: what Flink's timer service holds. */
    private transient long lastWatermark;

    private static final long NOT_DUE = Long.MAX_VALUE;

    /**
     * A key's open minutes, ascending, each with its tally when in memory. The arrays are replaced,
     * never changed in place, so the state may hold the same one.
     */
    private static final class OpenMinutes<ACC> {
        long[] minutes;
        Slot<ACC>[] slots;

        /** The list differs from the state's {@code open-minutes}: written before a snapshot. */
        boolean listChanged;

        /** The state holds a list for the key (perhaps an older one). */
        boolean listStored;

        /**
         * Read from the state after a restore, with the Flink timers the snapshot holds: this key
         * is scheduled by Flink timers ({@link #onTimer}), as all keys were before the schedule in
         * memory, until it has no open minute left. Every other key is scheduled in memory.
         */
        boolean byFlinkTimers;

        /** When the key is next due in {@link #due}, or {@link #NOT_DUE}. */
        long dueAt = NOT_DUE;

        /** The instants registered as Flink timers before a snapshot and not yet deleted. */
        long[] flinkTimers;

        OpenMinutes(long[] minutes, Slot<ACC>[] slots) {
            this.minutes = minutes;
            this.slots = slots;
        }
    }

    /** A minute's tally in memory. */
    private static final class Slot<ACC> {
        /** Null: only in the state. Never an object the state holds (copied both ways). */
        ACC tally;

        /** Counted into since last written to the state. */
        boolean changed;

        /** The state holds a tally for the minute. */
        boolean stored;
    }

    /**
     * @param accumulatorType the accumulator's type, for its state (never Kryo)
     * @param behind where events too late for their minute go
     */
    public AggregateByMinute(
            Duration allowedLateness,
            AggregateFunction<IN, ACC, ?> aggregate,
            TypeInformation<ACC> accumulatorType,
            MinuteRow<K, ACC, OUT> row,
            TypeInformation<OUT> outType,
            OutputTag<IN> behind) {
        this.allowedLatenessMillis = allowedLateness.toMillis();
        this.aggregate = aggregate;
        this.talliesDescriptor = talliesState(accumulatorType);
        this.row = row;
        this.outType = outType;
        this.behind = behind;
    }

    /** The state of the accumulators by minute start, as this operator declares it. */
    public static <ACC> MapStateDescriptor<Long, ACC> talliesState(
            TypeInformation<ACC> accumulatorType) {
        return new MapStateDescriptor<>("tallies-by-minute", Types.LONG, accumulatorType);
    }

    /**
     * The function as the operator to run it with: it writes the tallies in memory to the state
     * before each snapshot. Run alone (as a {@code KeyedProcessOperator}) a snapshot would miss
     * them.
     */
    public OneInputStreamOperator<IN, OUT> operator() {
        return WriteBeforeSnapshot.of(this);
    }

    @Override
    public void startsRestored(boolean restored) {
        this.restored = restored;
        this.startedByOperator = true;
    }

    @Override
    public void open(OpenContext openContext) {
        if (!startedByOperator) {
            // run alone, snapshots would miss what is counted in memory
            throw new IllegalStateException(
                    "AggregateByMinute runs only in the operator of operator()");
        }
        tallies = getRuntimeContext().getMapState(talliesDescriptor);
        openMinutes = getRuntimeContext().getState(OPEN_MINUTES);
        accumulatorSerializer = talliesDescriptor.getValueSerializer();
        working = new HashMap<>();
        emptied = new HashSet<>();
        due = new TreeMap<>();
        lastWatermark = Long.MIN_VALUE;
    }

    @Override
    public void processElement(IN value, Context ctx, Collector<OUT> out) throws Exception {
        long minute = EventMinute.startOf(ctx.timestamp());
        long end = minute + EventMinute.MILLIS - 1;
        TimerService timers = ctx.timerService();
        long watermark = timers.currentWatermark();
        if (end + allowedLatenessMillis <= watermark) {
            ctx.output(behind, value);
            return;
        }
        K key = ctx.getCurrentKey();
        OpenMinutes<ACC> open = openMinutes(key);
        int at = open == null ? -1 : Arrays.binarySearch(open.minutes, minute);
        Slot<ACC> slot;
        if (at < 0) {
            // The list names every minute with a tally: one not in it has none.
            slot = new Slot<>();
            slot.tally = aggregate.createAccumulator();
            // Emitted now if already past its end, else when the watermark reaches its end.
            long instant = end <= watermark ? end + allowedLatenessMillis : end;
            open = withMinute(key, open, minute, slot);
            if (open.byFlinkTimers) {
                timers.registerEventTimeTimer(instant);
            } else {
                schedule(key, open, instant);
            }
        } else {
            slot = open.slots[at];
            load(slot, minute);
        }
        slot.tally = aggregate.add(value, slot.tally);
        slot.changed = true;
        if (end <= watermark) {
            out.collect(row.of(key, minute, slot.tally));
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<OUT> out) throws Exception {
        K key = ctx.getCurrentKey();
        OpenMinutes<ACC> open = openMinutes(key);
        // A key in memory has no Flink timer left by the time Flink fires: advanceTo deletes them.
        if (open == null || !open.byFlinkTimers) {
            throw unsupportedState(key, timestamp);
        }
        long nextForgetting = Long.MAX_VALUE;
        // New arrays: the old list may be the heap state's own value, snapshotted asynchronously.
        long[] left = new long[open.minutes.length];
        @SuppressWarnings("unchecked")
        Slot<ACC>[] leftSlots = new Slot[left.length];
        int kept = 0;
        boolean expected = false;
        for (int i = 0; i < open.minutes.length; i++) {
            long minute = open.minutes[i];
            Slot<ACC> slot = open.slots[i];
            long end = minute + EventMinute.MILLIS - 1;
            if (end == timestamp) {
                load(slot, minute);
                out.collect(row.of(key, minute, slot.tally));
                expected = true;
            }
            if (end + allowedLatenessMillis <= timestamp) {
                if (slot.stored) {
                    tallies.remove(minute);
                }
                expected |= end + allowedLatenessMillis == timestamp;
                continue;
            }
            if (end <= timestamp) {
                nextForgetting = Math.min(nextForgetting, end + allowedLatenessMillis);
            }
            left[kept] = minute;
            leftSlots[kept++] = slot;
        }
        if (!expected) {
            throw unsupportedState(key, timestamp);
        }
        if (nextForgetting != Long.MAX_VALUE && !endsAt(left, kept, nextForgetting)) {
            ctx.timerService().registerEventTimeTimer(nextForgetting);
        }
        if (kept == 0) {
            working.remove(key);
            if (open.listStored) {
                emptied.add(key);
            }
        } else if (kept < open.minutes.length) {
            open.minutes = Arrays.copyOf(left, kept);
            open.slots = Arrays.copyOf(leftSlots, kept);
            open.listChanged = true;
        }
    }

    /**
     * Acts on every key in memory due by {@code watermark}: emits its minutes ending since the last
     * watermark, forgets those whose end plus {@code L} it reached, deletes the Flink timers
     * registered for it before a snapshot up to it, and lists the key at its next pending instant.
     * What Flink's timers did for the key, in one pass per key and watermark instead of a timer per
     * key and minute (and a lookup of each in Flink's timer queue as the minute was opened).
     */
    @Override
    public void advanceTo(
            long watermark,
            Consumer<K> currentKey,
            WriteBeforeSnapshot.EventTimers timers,
            TimestampedCollector<OUT> out)
            throws Exception {
        if (watermark <= lastWatermark) {
            return;
        }
        long previous = lastWatermark;
        while (!due.isEmpty() && due.firstKey() <= watermark) {
            Map.Entry<Long, ArrayList<K>> next = due.pollFirstEntry();
            long instant = next.getKey();
            for (K key : next.getValue()) {
                OpenMinutes<ACC> open = working.get(key);
                if (open != null && !open.byFlinkTimers && open.dueAt == instant) {
                    advance(key, open, previous, watermark, currentKey, timers, out);
                }
            }
        }
        lastWatermark = watermark;
    }

    private void advance(
            K key,
            OpenMinutes<ACC> open,
            long previous,
            long watermark,
            Consumer<K> currentKey,
            WriteBeforeSnapshot.EventTimers timers,
            TimestampedCollector<OUT> out)
            throws Exception {
        boolean keySet = false;
        if (open.flinkTimers != null) {
            currentKey.accept(key);
            keySet = true;
            open.flinkTimers = deleteUpTo(open.flinkTimers, watermark, timers);
        }
        long nextDue = NOT_DUE;
        int forgotten = 0;
        for (int i = 0; i < open.minutes.length; i++) {
            long minute = open.minutes[i];
            Slot<ACC> slot = open.slots[i];
            long end = minute + EventMinute.MILLIS - 1;
            if (end > previous && end <= watermark) {
                if (slot.tally == null && !keySet) {
                    currentKey.accept(key);
                    keySet = true;
                }
                load(slot, minute);
                out.setAbsoluteTimestamp(end);
                out.collect(row.of(key, minute, slot.tally));
            }
            long forgetAt = end + allowedLatenessMillis;
            if (forgetAt <= watermark) {
                forgotten++;
            } else {
                nextDue = Math.min(nextDue, end > watermark ? end : forgetAt);
            }
        }
        open.dueAt = NOT_DUE;
        if (forgotten > 0) {
            int kept = open.minutes.length - forgotten;
            // New arrays: the old list may be the heap state's own value, snapshotted
            // asynchronously.
            long[] left = new long[kept];
            @SuppressWarnings("unchecked")
            Slot<ACC>[] leftSlots = new Slot[kept];
            int k = 0;
            for (int i = 0; i < open.minutes.length; i++) {
                long minute = open.minutes[i];
                Slot<ACC> slot = open.slots[i];
                if (minute + EventMinute.MILLIS - 1 + allowedLatenessMillis <= watermark) {
                    if (slot.stored) {
                        if (!keySet) {
                            currentKey.accept(key);
                            keySet = true;
                        }
                        tallies.remove(minute);
                    }
                } else {
                    left[k] = minute;
                    leftSlots[k++] = slot;
                }
            }
            if (kept == 0) {
                working.remove(key);
                if (open.listStored) {
                    emptied.add(key);
                }
                return;
            }
            open.minutes = left;
            open.slots = leftSlots;
            open.listChanged = true;
        }
        schedule(key, open, nextDue);
    }

    /** Deletes the timers up to {@code watermark}; the rest, or null if none are left. */
    private static long[] deleteUpTo(
            long[] registered, long watermark, WriteBeforeSnapshot.EventTimers timers) {
        int kept = 0;
        long[] left = new long[registered.length];
        for (long time : registered) {
            if (time <= watermark) {
                timers.delete(time);
            } else {
                left[kept++] = time;
            }
        }
        return kept == 0 ? null : Arrays.copyOf(left, kept);
    }

    /** Lists the key at {@code instant} if that is earlier than where it is listed. */
    private void schedule(K key, OpenMinutes<ACC> open, long instant) {
        if (instant < open.dueAt) {
            open.dueAt = instant;
            due.computeIfAbsent(instant, t -> new ArrayList<>()).add(key);
        }
    }

    /**
     * Registers each key's pending instants in memory as its Flink timers: the timers a key would
     * have had with a Flink timer per minute (its end, then its end plus {@code L}), so that the
     * snapshot resumes like one of a release without the schedule in memory, and is resumed by one.
     * Only instants not registered yet are; they are deleted as the watermark passes them.
     */
    @Override
    public void scheduleBeforeSnapshot(
            Consumer<K> currentKey, WriteBeforeSnapshot.EventTimers timers) {
        for (Map.Entry<K, OpenMinutes<ACC>> e : working.entrySet()) {
            OpenMinutes<ACC> open = e.getValue();
            if (open.byFlinkTimers) {
                continue; // its timers are Flink's already
            }
            long[] pending = pendingInstants(open.minutes);
            if (Arrays.equals(pending, open.flinkTimers)) {
                continue;
            }
            currentKey.accept(e.getKey());
            for (long time : pending) {
                if (open.flinkTimers == null || Arrays.binarySearch(open.flinkTimers, time) < 0) {
                    timers.register(time);
                }
            }
            // Those registered before are still pending: an instant leaves only when passed.
            open.flinkTimers = pending;
        }
    }

    /** The distinct pending instants of {@code minutes}, ascending. */
    private long[] pendingInstants(long[] minutes) {
        long[] instants = new long[minutes.length];
        for (int i = 0; i < minutes.length; i++) {
            long end = minutes[i] + EventMinute.MILLIS - 1;
            instants[i] = end > lastWatermark ? end : end + allowedLatenessMillis;
        }
        Arrays.sort(instants);
        int n = 0;
        for (int i = 0; i < instants.length; i++) {
            if (n == 0 || instants[i] != instants[n - 1]) {
                instants[n++] = instants[i];
            }
        }
        return n == instants.length ? instants : Arrays.copyOf(instants, n);
    }

    /**
     * Writes every list of open minutes and every tally changed since the last call to the state,
     * each under its key (set through {@code currentKey}, which is left at the last key written),
     * and clears the lists of keys left without open minutes.
     */
    @Override
    public void writeToState(Consumer<K> currentKey) throws Exception {
        for (K key : emptied) {
            currentKey.accept(key);
            openMinutes.clear();
        }
        emptied.clear();
        int inMemory = 0;
        for (Map.Entry<K, OpenMinutes<ACC>> e : working.entrySet()) {
            OpenMinutes<ACC> open = e.getValue();
            boolean keySet = false;
            if (open.listChanged) {
                currentKey.accept(e.getKey());
                keySet = true;
                openMinutes.update(open.minutes);
                open.listChanged = false;
                open.listStored = true;
            }
            for (int i = 0; i < open.minutes.length; i++) {
                Slot<ACC> slot = open.slots[i];
                if (slot.changed) {
                    if (!keySet) {
                        currentKey.accept(e.getKey());
                        keySet = true;
                    }
                    // A copy: the heap state snapshots its objects asynchronously, so the one
                    // kept counting must not be one of them.
                    tallies.put(open.minutes[i], accumulatorSerializer.copy(slot.tally));
                    slot.changed = false;
                    slot.stored = true;
                }
                if (slot.tally != null) {
                    inMemory++;
                }
            }
        }
        if (inMemory > MAX_TALLIES_IN_MEMORY) {
            for (OpenMinutes<ACC> open : working.values()) {
                for (Slot<ACC> slot : open.slots) {
                    slot.tally = null; // every one is stored now
                }
            }
        }
    }

    /**
     * Whether one of the first {@code kept} minutes of {@code minutes} ends at {@code instant},
     * which is later than the firing asking: such a minute is not emitted yet, so it has its timer
     * there (a minute opened before its end gets its end as its timer; one opened after its end is
     * emitted at once), and that firing forgets what is due by then. Registering the instant again
     * would only cost the timer service a lookup. With {@code L} a whole number of minutes, a key
     * active minute after minute always has such a minute.
     */
    private static boolean endsAt(long[] minutes, int kept, long instant) {
        for (int i = 0; i < kept; i++) {
            if (minutes[i] + EventMinute.MILLIS - 1 == instant) {
                return true;
            }
        }
        return false;
    }

    /** Reads the slot's tally from the state if it is not in memory. */
    private void load(Slot<ACC> slot, long minute) throws Exception {
        if (slot.tally == null) {
            ACC stored = tallies.get(minute);
            // A copy: on the heap the state's own object, snapshotted asynchronously.
            slot.tally =
                    stored == null
                            ? aggregate.createAccumulator()
                            : accumulatorSerializer.copy(stored);
            slot.stored = stored != null;
        }
    }

    /**
     * Every timer is a listed minute's end or its end plus L. One that is neither comes from state
     * kept without the list: a savepoint of c22577f or older.
     */
    private static IllegalStateException unsupportedState(Object key, long timestamp) {
        return new IllegalStateException(
                "per-minute tally of "
                        + key
                        + ": a timer at "
                        + timestamp
                        + " for no open minute; the state comes from a savepoint of a release"
                        + " before f66bd0b, which this release cannot resume. Resume that"
                        + " savepoint with release f66bd0b first, take a savepoint there, and"
                        + " resume this release from it (README, upgrade runbook).");
    }

    /**
     * The key's open minutes: from memory, or after a restore read from the state once (tallies
     * left there). Without a restore the state holds no key that is not in memory.
     */
    private OpenMinutes<ACC> openMinutes(K key) throws Exception {
        OpenMinutes<ACC> open = working.get(key);
        // (an emptied key's list in the state names only forgotten minutes: not worth a read)
        if (open == null && restored && !emptied.contains(key)) {
            long[] minutes = openMinutes.value();
            if (minutes != null) {
                @SuppressWarnings("unchecked")
                Slot<ACC>[] slots = new Slot[minutes.length];
                for (int i = 0; i < slots.length; i++) {
                    slots[i] = new Slot<>();
                    slots[i].stored = true;
                }
                open = new OpenMinutes<>(minutes, slots);
                open.listStored = true;
                open.byFlinkTimers = true; // the snapshot's timers are its schedule
                working.put(key, open);
            }
        }
        return open;
    }

    /** {@code open} with {@code minute} (not in it) in its place; {@code open} may be null. */
    private OpenMinutes<ACC> withMinute(K key, OpenMinutes<ACC> open, long minute, Slot<ACC> slot)
            throws Exception {
        if (open == null) {
            @SuppressWarnings("unchecked")
            Slot<ACC>[] slots = new Slot[] {slot};
            open = new OpenMinutes<>(new long[] {minute}, slots);
            // the state may still hold the list of the key's earlier minutes, to be overwritten
            open.listStored = emptied.remove(key);
            working.put(key, open);
        } else {
            int insert = -Arrays.binarySearch(open.minutes, minute) - 1;
            int n = open.minutes.length;
            long[] minutes = new long[n + 1];
            System.arraycopy(open.minutes, 0, minutes, 0, insert);
            minutes[insert] = minute;
            System.arraycopy(open.minutes, insert, minutes, insert + 1, n - insert);
            Slot<ACC>[] slots = Arrays.copyOf(open.slots, n + 1);
            System.arraycopy(open.slots, insert, slots, insert + 1, n - insert);
            slots[insert] = slot;
            open.minutes = minutes;
            open.slots = slots;
        }
        open.listChanged = true;
        return open;
    }

    @Override
    public TypeInformation<OUT> getProducedType() {
        return outType;
    }
}
