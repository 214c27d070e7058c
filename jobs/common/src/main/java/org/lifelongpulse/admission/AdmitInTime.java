package org.lifelongpulse.admission;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.lifelongpulse.avro.DeadLetter;

/**
 * Right after the source: passes on decoded events, sends dead letters to {@link #DEAD_LETTERS},
 * and sends events too late for their one-minute window to {@link #LATE}.
 *
 * <p>Lateness is judged against each Kafka partition's {@link PartitionClock}, the very clock the
 * source's {@link LiveWatermarks} emit for that partition: the newest event time seen on it minus
 * the out-of-orderness bound, moving on with the wall clock while a live partition is quiet. The
 * clock is read here, in the task that emits the partition's watermark, after every watermark the
 * source has emitted before this event, so Flink's combined watermark (the minimum over all
 * partitions, never leaving a quiet one out) is never ahead of it: what is let through here no
 * window or timer downstream finds late. On a replay the clock depends only on the order of
 * messages within a partition, so a replay at any speed classifies the same events as late.
 *
 * <p>Run it as {@link #operator}: at the end of a bounded input (or a drain) it first hands on the
 * watermark its partitions' clocks stand at, then the end of event time. Flink's periodic
 * watermarks can trail a fast replay by hours of event time, and the end of input jumps straight to
 * {@code Long.MAX_VALUE}, which functions with deadlines do not take for real event time; so
 * without that last real watermark, how far a replay's deadlines got would depend on timing.
 */
public final class AdmitInTime<O extends Admissible> extends ProcessFunction<Decoded<O>, O>
        implements CheckpointedFunction, ResultTypeQueryable<O> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));
    public static final OutputTag<LateEvent> LATE =
            new OutputTag<>("late-events", TypeInformation.of(LateEvent.class));

    private final Class<O> eventClass;
    private final String job;
    private final long outOfOrdernessMillis;
    private final long allowedLatenessMillis;
    private final boolean checkLateness;
    private final long liveHorizonMillis;
    private final WallClock wallClock;

    private transient Map<String, PartitionClock> clocks;
    private transient Set<String> read;
    private transient ListState<Tuple2<String, Long>> checkpointedNewest;
    private transient ListState<Tuple2<String, Long>> checkpointedWatermarks;
    private transient Counter late;
    private transient Counter deadLettered;

    /**
     * @param outOfOrderness and
     * @param liveHorizon as given to the source's {@link LiveWatermarks}
     * @param allowedLateness how long after a window's end its results may still change; null turns
     *     the lateness check off (for jobs without windows)
     */
    public AdmitInTime(
            Class<O> eventClass,
            String job,
            Duration outOfOrderness,
            Duration liveHorizon,
            Duration allowedLateness) {
        this(eventClass, job, outOfOrderness, liveHorizon, allowedLateness, WallClock.SYSTEM);
    }

    /** On a given wall clock (tests). */
    public AdmitInTime(
            Class<O> eventClass,
            String job,
            Duration outOfOrderness,
            Duration liveHorizon,
            Duration allowedLateness,
            WallClock wallClock) {
        this.eventClass = eventClass;
        this.job = job;
        this.outOfOrdernessMillis = outOfOrderness.toMillis();
        this.liveHorizonMillis = liveHorizon.toMillis();
        this.checkLateness = allowedLateness != null;
        this.allowedLatenessMillis = allowedLateness == null ? 0 : allowedLateness.toMillis();
        this.wallClock = wallClock;
    }

    @Override
    public void open(OpenContext openContext) {
        late = getRuntimeContext().getMetricGroup().counter("lateEvents");
        deadLettered = getRuntimeContext().getMetricGroup().counter("recordsDeadLettered");
    }

    @Override
    public void processElement(Decoded<O> decoded, Context ctx, Collector<O> out) {
        if (decoded.value == null) {
            deadLettered.inc();
            ctx.output(DEAD_LETTERS, decoded.deadLetter);
            return;
        }
        O event = decoded.value;
        String partition = event.sourceTopic() + "#" + event.sourcePartition();
        read.add(partition);
        PartitionClock clock =
                clocks.computeIfAbsent(
                        partition,
                        p -> new PartitionClock(outOfOrdernessMillis, liveHorizonMillis));
        long now = wallClock.getAsLong();
        // the clock as it stood before this event: every watermark the source emitted for
        // this partition so far is at most this
        long partitionWatermark = clock.watermarkAt(now);
        if (checkLateness
                && partitionWatermark != Long.MIN_VALUE
                && isLate(event.eventTime(), partitionWatermark, allowedLatenessMillis)) {
            late.inc();
            ctx.output(
                    LATE,
                    new LateEvent(
                            job,
                            event.sourceTopic(),
                            event.eventId(),
                            event.eventTime(),
                            partitionWatermark,
                            partitionWatermark - event.eventTime(),
                            System.currentTimeMillis()));
            return;
        }
        clock.onEvent(event.eventTime(), now);
        out.collect(event);
    }

    /**
     * The watermark the partitions this subtask has read in this run stand at: the lowest of their
     * clocks, as the source's watermarks would next emit them; {@link Long#MIN_VALUE} before any
     * event.
     */
    long lastWatermark() {
        long now = wallClock.getAsLong();
        long lowest = Long.MAX_VALUE;
        for (String partition : read) {
            lowest = Math.min(lowest, clocks.get(partition).watermarkAt(now));
        }
        return read.isEmpty() ? Long.MIN_VALUE : lowest;
    }

    /** The function as the operator to run it with (see the class comment). */
    public OneInputStreamOperator<Decoded<O>, O> operator() {
        return new Operator<>(this);
    }

    /** Hands on the partitions' last real watermark before the end of event time. */
    static final class Operator<O extends Admissible> extends ProcessOperator<Decoded<O>, O> {

        private static final long serialVersionUID = 1L;

        private transient long forwarded;

        Operator(AdmitInTime<O> function) {
            super(function);
        }

        @Override
        public void open() throws Exception {
            super.open();
            forwarded = Long.MIN_VALUE;
        }

        @Override
        public void processWatermark(Watermark mark) throws Exception {
            if (mark.getTimestamp() == Long.MAX_VALUE) {
                long last = ((AdmitInTime<O>) userFunction).lastWatermark();
                if (last > forwarded && last != Long.MAX_VALUE) {
                    forwarded = last;
                    super.processWatermark(new Watermark(last));
                }
            }
            forwarded = Math.max(forwarded, mark.getTimestamp());
            super.processWatermark(mark);
        }
    }

    /** Flink's rule: a window is gone once its last millisecond plus lateness is watermarked. */
    public static boolean isLate(long eventTime, long watermark, long allowedLatenessMillis) {
        // the windows whose lateness is judged: one event minute
        long windowMaxTimestamp = EventMinute.lastMilliOf(eventTime);
        return windowMaxTimestamp + allowedLatenessMillis <= watermark;
    }

    @Override
    public TypeInformation<O> getProducedType() {
        return TypeInformation.of(eventClass);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        checkpointedNewest.clear();
        checkpointedWatermarks.clear();
        long now = wallClock.getAsLong();
        for (Map.Entry<String, PartitionClock> e : clocks.entrySet()) {
            checkpointedNewest.add(Tuple2.of(e.getKey(), e.getValue().newest()));
            checkpointedWatermarks.add(Tuple2.of(e.getKey(), e.getValue().watermarkAt(now)));
        }
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        // Union state: after a rescale every subtask sees every partition's clock, whichever
        // partitions it is then assigned.
        checkpointedNewest =
                context.getOperatorStateStore()
                        .getUnionListState(
                                new ListStateDescriptor<>(
                                        "newest-event-time-by-partition",
                                        Types.TUPLE(Types.STRING, Types.LONG)));
        // Where each clock stood (ahead of newest - bound when the wall clock moved it); absent
        // in savepoints of versions before it was kept.
        checkpointedWatermarks =
                context.getOperatorStateStore()
                        .getUnionListState(
                                new ListStateDescriptor<>(
                                        "watermark-by-partition",
                                        Types.TUPLE(Types.STRING, Types.LONG)));
        Map<String, Long> newest = new HashMap<>();
        for (Tuple2<String, Long> clock : checkpointedNewest.get()) {
            newest.merge(clock.f0, clock.f1, Math::max);
        }
        Map<String, Long> watermarks = new HashMap<>();
        for (Tuple2<String, Long> clock : checkpointedWatermarks.get()) {
            watermarks.merge(clock.f0, clock.f1, Math::max);
        }
        clocks = new HashMap<>();
        read = new HashSet<>();
        newest.forEach(
                (partition, time) ->
                        clocks.put(
                                partition,
                                PartitionClock.restored(
                                        outOfOrdernessMillis,
                                        liveHorizonMillis,
                                        time,
                                        watermarks.getOrDefault(partition, Long.MIN_VALUE))));
    }
}
