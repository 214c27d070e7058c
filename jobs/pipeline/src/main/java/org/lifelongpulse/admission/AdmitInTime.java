package org.lifelongpulse.admission;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
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
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.lifelongpulse.adapters.kafka.Decoded;
import org.lifelongpulse.avro.DeadLetter;

/**
 * Right after the source: passes on decoded events, sends dead letters to {@link #DEAD_LETTERS},
 * and sends events too late for their one-minute window to {@link #LATE}.
 *
 * <p>Lateness is judged against each Kafka partition's own clock — the newest event time seen
 * on that partition, minus the out-of-orderness bound — exactly as the source's per-partition
 * watermark will be. It depends only on the order of messages within a partition, so a replay
 * at any speed classifies the same events as late; Flink's own watermark (the minimum over all
 * partitions, emitted periodically) is never ahead of it, so windows and timers downstream never
 * drop what was let through here.
 */
public final class AdmitInTime<O extends Admissible> extends ProcessFunction<Decoded<O>, O>
        implements CheckpointedFunction, ResultTypeQueryable<O> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));
    public static final OutputTag<LateEvent> LATE =
            new OutputTag<>("late-events", TypeInformation.of(LateEvent.class));

    /** The windows whose lateness is judged: one minute of event time. */
    public static final long WINDOW_MILLIS = 60_000L;

    private final Class<O> eventClass;
    private final String job;
    private final long outOfOrdernessMillis;
    private final long allowedLatenessMillis;
    private final boolean checkLateness;

    private transient Map<String, Long> newestByPartition;
    private transient ListState<Tuple2<String, Long>> checkpointedClocks;
    private transient Counter late;
    private transient Counter deadLettered;

    /**
     * @param allowedLateness how long after a window's end its results may still change; null
     *     turns the lateness check off (for jobs without windows)
     */
    public AdmitInTime(Class<O> eventClass, String job, Duration outOfOrderness,
            Duration allowedLateness) {
        this.eventClass = eventClass;
        this.job = job;
        this.outOfOrdernessMillis = outOfOrderness.toMillis();
        this.checkLateness = allowedLateness != null;
        this.allowedLatenessMillis = allowedLateness == null ? 0 : allowedLateness.toMillis();
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
        Long newest = newestByPartition.get(partition);
        if (newest != null && checkLateness) {
            // The watermark a bounded-out-of-orderness generator emits: newest - bound - 1.
            long partitionWatermark = newest - outOfOrdernessMillis - 1;
            if (isLate(event.eventTime(), partitionWatermark,
                    allowedLatenessMillis)) {
                late.inc();
                ctx.output(LATE, new LateEvent(job, event.sourceTopic(), event.eventId(),
                        event.eventTime(), partitionWatermark,
                        partitionWatermark - event.eventTime(), System.currentTimeMillis()));
                return;
            }
        }
        if (newest == null || event.eventTime() > newest) {
            newestByPartition.put(partition, event.eventTime());
        }
        out.collect(event);
    }

    /** Flink's rule: a window is gone once its last millisecond plus lateness is watermarked. */
    public static boolean isLate(long eventTime, long watermark, long allowedLatenessMillis) {
        long windowMaxTimestamp = Math.floorDiv(eventTime, WINDOW_MILLIS) * WINDOW_MILLIS
                + WINDOW_MILLIS - 1;
        return windowMaxTimestamp + allowedLatenessMillis <= watermark;
    }

    @Override
    public TypeInformation<O> getProducedType() {
        return TypeInformation.of(eventClass);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        checkpointedClocks.clear();
        for (Map.Entry<String, Long> e : newestByPartition.entrySet()) {
            checkpointedClocks.add(Tuple2.of(e.getKey(), e.getValue()));
        }
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        // Union state: after a rescale every subtask sees every partition's clock, whichever
        // partitions it is then assigned.
        checkpointedClocks = context.getOperatorStateStore().getUnionListState(
                new ListStateDescriptor<>("newest-event-time-by-partition",
                        Types.TUPLE(Types.STRING, Types.LONG)));
        newestByPartition = new HashMap<>();
        for (Tuple2<String, Long> clock : checkpointedClocks.get()) {
            newestByPartition.merge(clock.f0, clock.f1, Math::max);
        }
    }
}
