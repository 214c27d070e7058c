package org.lifelongpulse.admission;

import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Lets each event id through once; a resend of an id already let through goes to {@link
 * #DUPLICATES}. An id is remembered until the watermark reaches its event time plus {@code
 * retention}, exactly as if each id had a timer of its own, so the outputs are the same after a
 * replay at any speed; but there is no timer per id.
 *
 * <p>Keyed by {@link Bucket}: one of {@link #BUCKETS} buckets, picked by the id's {@link
 * EventIdHash} (computed once, in the source). A bucket keeps its ids in full with the event time
 * each was admitted at, so two ids whose hashes collide are still two ids: exactness never rests on
 * the hash. An id past its retention counts as forgotten at once; the bucket's one pending
 * event-time timer sweeps such ids out of the state every {@code retention / 4} (at least a
 * minute), so the state holds at most that much more than the retention, and a bucket with nothing
 * left has neither state nor timer.
 *
 * <p>The state's layout (the bucket count, the hash) is part of its meaning: changing either is a
 * state change, and goes with a new operator uid.
 */
public final class DropResends<T extends Admissible> extends KeyedProcessFunction<Integer, T, T>
        implements ResultTypeQueryable<T>, CheckpointedFunction {

    private static final long serialVersionUID = 1L;

    /** How many buckets the ids are spread over: well above any max parallelism we run. */
    public static final int BUCKETS = 4096;

    /** How often, per retention, a bucket's expired ids are swept out. */
    static final int SWEEPS_PER_RETENTION = 4;

    public static final OutputTag<DuplicateEvent> DUPLICATES =
            new OutputTag<>("duplicates", TypeInformation.of(DuplicateEvent.class));

    private static final MapStateDescriptor<String, Long> ADMITTED =
            new MapStateDescriptor<>("admitted-ids", Types.STRING, Types.LONG);
    private static final ValueStateDescriptor<Long> NEXT_SWEEP =
            new ValueStateDescriptor<>("next-sweep", Types.LONG);

    private final Class<T> eventClass;
    private final String job;
    private final long retentionMillis;
    private final long sweepMillis;

    private transient MapState<String, Long> admittedAt;
    private transient ValueState<Long> nextSweep;
    private transient Counter duplicates;

    /**
     * Per bucket of this subtask: whether its sweep is known to be pending, so that an event reads
     * {@code next-sweep} only when its bucket's sweep may be missing (once per bucket after a start
     * or restore, and after a sweep that left the bucket empty), not at every event: with RocksDB
     * each read is a lookup. Derived from the state, never stored.
     */
    private transient boolean[] sweepKnown;

    /**
     * Per bucket of this subtask: the hashes of every id its state holds, when known: an id whose
     * hash is not there was never admitted, so its event needs no read of {@code admitted-ids}
     * (with RocksDB a lookup per event, nearly all of them for ids that are not there). Known from
     * the start when the subtask starts without a restore; after a restore a bucket's hashes are
     * known from its first sweep on, which rebuilds them from the ids left. Null where not known;
     * all dropped for the subtask's life once they would exceed {@link #MAX_HASHES_IN_MEMORY}.
     * Derived from the state, never stored.
     */
    private transient LongHashSet[] admittedHashes;

    private transient long hashesInMemory;
    private transient boolean restored;

    /**
     * At most this many hashes per subtask: 12 to 24 bytes each (a slot of 8, the table kept at
     * most two thirds full), so at most about 48 MB of heap.
     */
    static final long MAX_HASHES_IN_MEMORY = 2_000_000;

    /**
     * @param retention how long, in event time, an id is remembered
     */
    public DropResends(Class<T> eventClass, String job, Duration retention) {
        this.eventClass = eventClass;
        this.job = job;
        this.retentionMillis = retention.toMillis();
        long sweep = retentionMillis / SWEEPS_PER_RETENTION;
        this.sweepMillis = Math.max(EventMinute.MILLIS, sweep - sweep % EventMinute.MILLIS);
    }

    /** The bucket of an event: the low bits of its id's hash. */
    public static int bucketOf(Admissible event) {
        return (int) (event.eventIdHash() & (BUCKETS - 1));
    }

    @Override
    public void open(OpenContext openContext) {
        admittedAt = getRuntimeContext().getMapState(ADMITTED);
        nextSweep = getRuntimeContext().getState(NEXT_SWEEP);
        duplicates = getRuntimeContext().getMetricGroup().counter("duplicatesDropped");
        sweepKnown = new boolean[BUCKETS];
        admittedHashes = new LongHashSet[BUCKETS];
        hashesInMemory = 0;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) {
        restored = context.isRestored();
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) {
        // nothing of its own: everything is in the keyed state
    }

    @Override
    public void processElement(T event, Context ctx, Collector<T> out) throws Exception {
        int bucket = ctx.getCurrentKey();
        LongHashSet hashes = hashesOf(bucket);
        // from the id itself, as the sweep computes it (whatever hash the event was built with)
        long hash = hashes == null ? 0 : EventIdHash.of(event.eventId());
        Long admitted =
                hashes != null && !hashes.contains(hash)
                        ? null // never admitted: not in the state
                        : admittedAt.get(event.eventId());
        if (admitted != null && !forgotten(admitted, ctx.timerService().currentWatermark())) {
            duplicates.inc();
            ctx.output(
                    DUPLICATES,
                    new DuplicateEvent(
                            job,
                            event.sourceTopic(),
                            event.sourcePartition(),
                            event.sourceOffset(),
                            event.eventId(),
                            event.eventTime(),
                            System.currentTimeMillis()));
            return;
        }
        admittedAt.put(event.eventId(), event.eventTime());
        if (hashes != null && hashes.add(hash)) {
            countHash(1);
        }
        if (!sweepKnown[bucket]) {
            // once per bucket and subtask life: after that the flag follows the state
            if (nextSweep.value() == null) {
                long at = sweepAfter(event.eventTime() + retentionMillis);
                ctx.timerService().registerEventTimeTimer(at);
                nextSweep.update(at);
            }
            sweepKnown[bucket] = true;
        }
        out.collect(event);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<T> out) throws Exception {
        long earliestLeft = Long.MAX_VALUE;
        int bucket = ctx.getCurrentKey();
        LongHashSet left = admittedHashes == null ? null : new LongHashSet();
        Iterator<Map.Entry<String, Long>> ids = admittedAt.iterator();
        while (ids.hasNext()) {
            Map.Entry<String, Long> id = ids.next();
            long admitted = id.getValue();
            if (forgotten(admitted, timestamp)) {
                ids.remove();
            } else {
                earliestLeft = Math.min(earliestLeft, admitted);
                if (left != null) {
                    left.add(EventIdHash.of(id.getKey()));
                }
            }
        }
        if (admittedHashes != null) {
            // the bucket's hashes are now exactly those of the ids its state holds
            LongHashSet before = admittedHashes[bucket];
            admittedHashes[bucket] = left;
            countHash(left.size() - (before == null ? 0 : before.size()));
        }
        if (earliestLeft == Long.MAX_VALUE) {
            admittedAt.clear();
            nextSweep.clear();
            sweepKnown[bucket] = false;
        } else {
            long at = sweepAfter(earliestLeft + retentionMillis);
            ctx.timerService().registerEventTimeTimer(at);
            nextSweep.update(at);
        }
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return TypeInformation.of(eventClass);
    }

    /** The bucket's hashes if known (see {@link #admittedHashes}), else null. */
    private LongHashSet hashesOf(int bucket) {
        if (admittedHashes == null) {
            return null;
        }
        LongHashSet hashes = admittedHashes[bucket];
        if (hashes == null && !restored) {
            // without a restore, the state holds only what this subtask admitted
            hashes = new LongHashSet();
            admittedHashes[bucket] = hashes;
        }
        return hashes;
    }

    private void countHash(long added) {
        hashesInMemory += added;
        if (hashesInMemory > MAX_HASHES_IN_MEMORY) {
            admittedHashes = null; // every event reads the state from now on, as it always may
        }
    }

    /**
     * Whether an id admitted at {@code admitted} is forgotten once event time is at {@code now}.
     */
    private boolean forgotten(long admitted, long now) {
        return admitted + retentionMillis <= now;
    }

    /** The first sweep at or after {@code instant}: sweeps fall on multiples of the interval. */
    private long sweepAfter(long instant) {
        return Math.floorDiv(instant, sweepMillis) * sweepMillis
                + (Math.floorMod(instant, sweepMillis) == 0 ? 0 : sweepMillis);
    }

    /** Keys an event by its bucket. */
    public static final class Bucket<T extends Admissible> implements KeySelector<T, Integer> {

        private static final long serialVersionUID = 1L;

        @Override
        public Integer getKey(T event) {
            return bucketOf(event);
        }
    }
}
