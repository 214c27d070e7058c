package org.lifelongpulse.participation.functions;

import java.io.Serializable;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
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
 * tallies-by-minute}, by minute start). A minute's one timer, at its end, emits it; any firing of
 * the key also forgets the minutes whose end plus {@code L} it has reached, so with {@code L} a
 * whole number of minutes a key active minute after minute needs no other timer. A minute left
 * behind (its key quiet afterwards) gets one timer at its end plus {@code L}. Once the watermark
 * passes every minute's end plus {@code L}, the key has neither state nor timers.
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

    private transient MapState<Long, ACC> tallies;

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
        ACC tally = tallies.get(minute);
        if (tally == null) {
            tally = aggregate.createAccumulator();
            // Emitted now if already past its end, else by the timer at its end.
            timers.registerEventTimeTimer(end <= watermark ? end + allowedLatenessMillis : end);
        }
        tally = aggregate.add(value, tally);
        tallies.put(minute, tally);
        if (end <= watermark) {
            out.collect(row.of(ctx.getCurrentKey(), minute, tally));
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<OUT> out) throws Exception {
        long nextForgetting = Long.MAX_VALUE;
        boolean openLater = false;
        Iterator<Map.Entry<Long, ACC>> minutes = tallies.iterator();
        while (minutes.hasNext()) {
            Map.Entry<Long, ACC> m = minutes.next();
            long end = m.getKey() + EventMinute.MILLIS - 1;
            if (end == timestamp) {
                out.collect(row.of(ctx.getCurrentKey(), m.getKey(), m.getValue()));
            }
            if (end + allowedLatenessMillis <= timestamp) {
                minutes.remove();
            } else if (end <= timestamp) {
                nextForgetting = Math.min(nextForgetting, end + allowedLatenessMillis);
            } else {
                openLater = true;
            }
        }
        if (nextForgetting != Long.MAX_VALUE) {
            // Usually a later minute's own timer (Flink keeps one timer per key and instant).
            ctx.timerService().registerEventTimeTimer(nextForgetting);
        } else if (!openLater) {
            tallies.clear();
        }
    }

    @Override
    public TypeInformation<OUT> getProducedType() {
        return outType;
    }
}
