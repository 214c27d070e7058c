package org.lifelongpulse.admission;

import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Admits each event once, and only while its one-minute window can still be updated. Keyed by
 * event id. A resend of an admitted id goes to {@link #DUPLICATES}; an event whose window's end
 * plus the allowed lateness is already behind the watermark goes to {@link #LATE} — the same rule
 * Flink's window operator uses to drop elements, applied once here so that nothing downstream is
 * silently dropped and every consumer sees the same admitted events.
 *
 * <p>The id is remembered for {@code retention} of event time after the event, then forgotten by
 * an event-time timer, so the state stays bounded and is the same after a replay.
 */
public final class AdmissionGate<T extends Admissible> extends KeyedProcessFunction<String, T, T> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<DuplicateEvent> DUPLICATES =
            new OutputTag<>("duplicates", TypeInformation.of(DuplicateEvent.class));
    public static final OutputTag<LateEvent> LATE =
            new OutputTag<>("late-events", TypeInformation.of(LateEvent.class));

    /** The windows whose lateness is checked: one minute of event time. */
    public static final long WINDOW_MILLIS = 60_000L;

    private final String job;
    private final long allowedLatenessMillis;
    private final long retentionMillis;
    private final boolean checkLateness;

    private transient ValueState<Long> admittedAt;
    private transient Counter duplicates;
    private transient Counter late;

    /**
     * @param allowedLateness how long after a window's end its results may still change; null
     *     turns the lateness check off (for streams without windows)
     * @param retention how long, in event time, an admitted id is remembered
     */
    public AdmissionGate(String job, Duration allowedLateness, Duration retention) {
        this.job = job;
        this.checkLateness = allowedLateness != null;
        this.allowedLatenessMillis = allowedLateness == null ? 0 : allowedLateness.toMillis();
        this.retentionMillis = retention.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        admittedAt = getRuntimeContext().getState(
                new ValueStateDescriptor<>("admitted-event-time", Types.LONG));
        duplicates = getRuntimeContext().getMetricGroup().counter("duplicatesDropped");
        late = getRuntimeContext().getMetricGroup().counter("lateEvents");
    }

    @Override
    public void processElement(T event, Context ctx, Collector<T> out) throws Exception {
        long now = System.currentTimeMillis();
        if (admittedAt.value() != null) {
            duplicates.inc();
            ctx.output(DUPLICATES, new DuplicateEvent(job, event.sourceTopic(),
                    event.sourcePartition(), event.sourceOffset(), event.eventId(),
                    event.eventTime(), now));
            return;
        }
        admittedAt.update(event.eventTime());
        ctx.timerService().registerEventTimeTimer(event.eventTime() + retentionMillis);
        long watermark = ctx.timerService().currentWatermark();
        if (checkLateness && isLate(event.eventTime(), watermark, allowedLatenessMillis)) {
            late.inc();
            ctx.output(LATE, new LateEvent(job, event.sourceTopic(), event.eventId(),
                    event.eventTime(), watermark, watermark - event.eventTime(), now));
            return;
        }
        out.collect(event);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<T> out) {
        admittedAt.clear();
    }

    /** Flink's rule: a window is gone once its last millisecond plus lateness is watermarked. */
    public static boolean isLate(long eventTime, long watermark, long allowedLatenessMillis) {
        long windowMaxTimestamp = Math.floorDiv(eventTime, WINDOW_MILLIS) * WINDOW_MILLIS
                + WINDOW_MILLIS - 1;
        return windowMaxTimestamp + allowedLatenessMillis <= watermark;
    }
}
