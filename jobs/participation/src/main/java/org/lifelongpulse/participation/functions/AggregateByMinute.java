package org.lifelongpulse.participation.functions;

import java.io.Serializable;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.lifelongpulse.admission.EventMinute;

/**
 * Tumbling one-minute aggregation of event time per key, with allowed lateness: what {@code
 * window(TumblingEventTimeWindows.of(1 min)).allowedLateness(L).sideOutputLateData(tag)
 * .aggregate(f, w)} does, with one event-time timer per key and minute instead of a firing and a
 * cleanup timer per key and minute.
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
 * firing, the largest cost of the job before this list. A minute's one timer, at its end, emits it;
 * any firing of the key also forgets the minutes whose end plus {@code L} it has reached, so with
 * {@code L} a whole number of minutes a key active minute after minute needs no other timer. A
 * minute left behind (its key quiet afterwards) gets one timer at its end plus {@code L}. Once the
 * watermark passes every minute's end plus {@code L}, the key has neither state nor timers.
 *
 * <p>A firing reads the list and the minutes it names, nothing else: on RocksDB state reads are
 * most of the job's cost, and every timer is a listed minute's end or its end plus {@code L}. A
 * timer that is neither can only come from state kept without the list (release {@code c22577f} and
 * older), which is not supported: such a savepoint fails at a restored minute's timer with an error
 * naming the upgrade path (resume it with {@code f66bd0b} first).
 *
 * @param <K> the key
 * @param <IN> what is counted
 * @param <ACC> a minute's accumulator
 * @param <OUT> a minute's row
 */
public final class AggregateByMinute<K, IN, ACC, OUT> extends KeyedProcessFunction<K, IN, OUT>
        implements ResultTypeQueryable<OUT> {

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

    /**
     * This subtask's copy of {@code open-minutes} for the keys that have open minutes: written with
     * the state, dropped with it, never stored; a key missing here is read from the state (after a
     * start, a restore or a rescale). It saves the list's reads (with RocksDB, a lookup each) at a
     * key's every firing and new minute, and the tally's read of a minute not open. Its size is the
     * number of keys with open minutes.
     */
    private transient Map<K, long[]> cachedOpenMinutes;

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

    @Override
    public void open(OpenContext openContext) {
        tallies = getRuntimeContext().getMapState(talliesDescriptor);
        openMinutes = getRuntimeContext().getState(OPEN_MINUTES);
        cachedOpenMinutes = new HashMap<>();
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
        long[] open = openMinutes(key);
        // The list names every minute with a tally: one not in it has none, no lookup needed.
        ACC tally =
                open != null && Arrays.binarySearch(open, minute) >= 0 ? tallies.get(minute) : null;
        if (tally == null) {
            tally = aggregate.createAccumulator();
            // Emitted now if already past its end, else by the timer at its end.
            timers.registerEventTimeTimer(end <= watermark ? end + allowedLatenessMillis : end);
            updateOpenMinutes(key, withMinute(open, minute));
        }
        tally = aggregate.add(value, tally);
        tallies.put(minute, tally);
        if (end <= watermark) {
            out.collect(row.of(key, minute, tally));
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<OUT> out) throws Exception {
        K key = ctx.getCurrentKey();
        long[] open = openMinutes(key);
        if (open == null) {
            throw unsupportedState(key, timestamp);
        }
        long nextForgetting = Long.MAX_VALUE;
        long[] left = new long[open.length];
        int kept = 0;
        boolean expected = false;
        for (long minute : open) {
            long end = minute + EventMinute.MILLIS - 1;
            if (end == timestamp) {
                out.collect(row.of(key, minute, tallies.get(minute)));
                expected = true;
            }
            if (end + allowedLatenessMillis <= timestamp) {
                tallies.remove(minute);
                expected |= end + allowedLatenessMillis == timestamp;
                continue;
            }
            if (end <= timestamp) {
                nextForgetting = Math.min(nextForgetting, end + allowedLatenessMillis);
            }
            left[kept++] = minute;
        }
        if (!expected) {
            throw unsupportedState(key, timestamp);
        }
        if (nextForgetting != Long.MAX_VALUE) {
            // Usually a later minute's own timer (Flink keeps one timer per key and instant).
            ctx.timerService().registerEventTimeTimer(nextForgetting);
        }
        if (kept == 0) {
            openMinutes.clear();
            cachedOpenMinutes.remove(key);
        } else if (kept < open.length) {
            updateOpenMinutes(key, Arrays.copyOf(left, kept));
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

    /** The key's open minutes: from this subtask's copy, or read (and copied) once. */
    private long[] openMinutes(K key) throws Exception {
        long[] open = cachedOpenMinutes.get(key);
        if (open == null) {
            open = openMinutes.value();
            if (open != null) {
                cachedOpenMinutes.put(key, open);
            }
        }
        return open;
    }

    private void updateOpenMinutes(K key, long[] open) throws Exception {
        openMinutes.update(open);
        cachedOpenMinutes.put(key, open);
    }

    /** {@code open} with {@code minute} in its place (ascending); {@code open} may be null. */
    private static long[] withMinute(long[] open, long minute) {
        if (open == null) {
            return new long[] {minute};
        }
        int at = Arrays.binarySearch(open, minute);
        if (at >= 0) {
            return open;
        }
        int insert = -at - 1;
        long[] grown = new long[open.length + 1];
        System.arraycopy(open, 0, grown, 0, insert);
        grown[insert] = minute;
        System.arraycopy(open, insert, grown, insert + 1, open.length - insert);
        return grown;
    }

    @Override
    public TypeInformation<OUT> getProducedType() {
        return outType;
    }
}
