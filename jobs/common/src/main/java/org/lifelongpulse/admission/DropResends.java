package org.lifelongpulse.admission;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
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
 * <p>Beside the state, a subtask knows of each bucket (see {@link Known}) the hashes of the ids it
 * holds, so that an id never admitted is told without a state read, and which ids each sweep will
 * remove, so that a sweep removes those by key instead of reading every id the bucket holds. Both
 * are derived from the state, never stored: after a restore a bucket is read in full at its first
 * sweep, as every sweep did before.
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

    /**
     * At most this many ids listed in memory per subtask (see {@link Known}): about 26 bytes each
     * beside the id itself (a hash slot of 12 bytes in a table at most two thirds full, a list
     * reference), which with heap state is the state's own string and with RocksDB a copy (about 80
     * bytes for a 36-character id). Beyond it the subtask drops what it knows for its life, and
     * every event reads the state and every sweep reads its bucket, as they always may.
     */
    static final long MAX_IDS_IN_MEMORY = 1_000_000;

    public static final OutputTag<DuplicateEvent> DUPLICATES =
            new OutputTag<>("duplicates", TypeInformation.of(DuplicateEvent.class));

    private static final MapStateDescriptor<String, Long> ADMITTED =
            new MapStateDescriptor<>("admitted-ids", Types.STRING, Types.LONG);
    private static final ValueStateDescriptor<Long> NEXT_SWEEP =
            new ValueStateDescriptor<>("next-sweep", Types.LONG);

    /** How the check hashes an id for what it knows in memory (tests force collisions). */
    @FunctionalInterface
    interface IdHash extends Serializable {
        long of(String eventId);
    }

    private final Class<T> eventClass;
    private final String job;
    private final long retentionMillis;
    private final long sweepMillis;
    private final IdHash idHash;
    private final long maxIdsInMemory;

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
     * Per bucket of this subtask, what is known of its ids beside the state, or null where not
     * known: known from the start when the subtask starts without a restore; after a restore from a
     * bucket's first sweep on, which reads its ids in full. The whole array null once the ids
     * listed would exceed {@code maxIdsInMemory}.
     */
    private transient Known[] known;

    private transient long idsInMemory;
    private transient boolean restored;

    /**
     * What a subtask knows of one bucket's ids beside its state. Every id the state holds is listed
     * under the sweep that will remove it (the first at or after its admission time plus the
     * retention), and its hash is counted once. An id admitted again while still held (past its
     * retention, before its sweep) under another sweep is listed twice: such ids are counted in
     * {@link #listedMoreThanOnce}, and a sweep reads their time before removing them. Any other
     * listed id is removed by key, unread.
     */
    private static final class Known {

        final LongMultiset hashes = new LongMultiset();
        final TreeMap<Long, ArrayList<String>> bySweep = new TreeMap<>();

        /**
         * Ids listed more than once, with how many listings are left; null while there are none.
         */
        HashMap<String, Integer> listedMoreThanOnce;

        boolean listedMoreThanOnce(String id) {
            return listedMoreThanOnce != null && listedMoreThanOnce.containsKey(id);
        }
    }

    /**
     * @param retention how long, in event time, an id is remembered
     */
    public DropResends(Class<T> eventClass, String job, Duration retention) {
        this(eventClass, job, retention, EventIdHash::of, MAX_IDS_IN_MEMORY);
    }

    DropResends(
            Class<T> eventClass,
            String job,
            Duration retention,
            IdHash idHash,
            long maxIdsInMemory) {
        this.eventClass = eventClass;
        this.job = job;
        this.retentionMillis = retention.toMillis();
        long sweep = retentionMillis / SWEEPS_PER_RETENTION;
        this.sweepMillis = Math.max(EventMinute.MILLIS, sweep - sweep % EventMinute.MILLIS);
        this.idHash = idHash;
        this.maxIdsInMemory = maxIdsInMemory;
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
        known = new Known[BUCKETS];
        idsInMemory = 0;
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
        Known ids = knownOf(bucket);
        String id = event.eventId();
        // from the id itself, as a sweep computes it (whatever hash the event was built with)
        long hash = ids == null ? 0 : idHash.of(id);
        Long admitted =
                ids != null && !ids.hashes.contains(hash)
                        ? null // never admitted: not in the state
                        : admittedAt.get(id);
        if (admitted != null && !forgotten(admitted, ctx.timerService().currentWatermark())) {
            duplicates.inc();
            ctx.output(
                    DUPLICATES,
                    new DuplicateEvent(
                            job,
                            event.sourceTopic(),
                            event.sourcePartition(),
                            event.sourceOffset(),
                            id,
                            event.eventTime(),
                            System.currentTimeMillis()));
            return;
        }
        long time = event.eventTime();
        admittedAt.put(id, time);
        if (ids != null) {
            long sweep = sweepAfter(time + retentionMillis);
            if (admitted == null) {
                ids.hashes.add(hash);
                list(ids, sweep, id);
            } else if (sweep != sweepAfter(admitted + retentionMillis)) {
                // still held, listed under another sweep: that listing stays
                if (ids.listedMoreThanOnce == null) {
                    ids.listedMoreThanOnce = new HashMap<>();
                }
                ids.listedMoreThanOnce.putIfAbsent(id, 1); // its listing so far; list counts on
                list(ids, sweep, id);
            }
        }
        if (!sweepKnown[bucket]) {
            // once per bucket and subtask life: after that the flag follows the state
            if (nextSweep.value() == null) {
                long at = sweepAfter(time + retentionMillis);
                ctx.timerService().registerEventTimeTimer(at);
                nextSweep.update(at);
            }
            sweepKnown[bucket] = true;
        }
        out.collect(event);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<T> out) throws Exception {
        int bucket = ctx.getCurrentKey();
        Known ids = known == null ? null : known[bucket];
        long next = ids != null ? sweepListed(ids, timestamp) : sweepAll(bucket, timestamp);
        if (next == Long.MAX_VALUE) {
            admittedAt.clear();
            nextSweep.clear();
            sweepKnown[bucket] = false;
        } else {
            ctx.timerService().registerEventTimeTimer(next);
            nextSweep.update(next);
        }
    }

    /**
     * Removes the ids listed under sweeps up to {@code timestamp}: each is past its retention then,
     * unless it was listed more than once and holds a later time. Returns the next listed sweep,
     * {@link Long#MAX_VALUE} if none (the bucket's state is then empty).
     */
    private long sweepListed(Known ids, long timestamp) throws Exception {
        SortedMap<Long, ArrayList<String>> due = ids.bySweep.headMap(timestamp, true);
        for (ArrayList<String> listed : due.values()) {
            for (String id : listed) {
                if (ids.listedMoreThanOnce(id)) {
                    ids.listedMoreThanOnce.compute(id, (key, left) -> left == 1 ? null : left - 1);
                    Long admitted = admittedAt.get(id);
                    if (admitted == null || !forgotten(admitted, timestamp)) {
                        continue; // removed by an earlier listing, or admitted again since
                    }
                }
                admittedAt.remove(id);
                ids.hashes.remove(idHash.of(id));
            }
            idsInMemory -= listed.size();
        }
        due.clear();
        if (ids.listedMoreThanOnce != null && ids.listedMoreThanOnce.isEmpty()) {
            ids.listedMoreThanOnce = null;
        }
        return ids.bySweep.isEmpty() ? Long.MAX_VALUE : ids.bySweep.firstKey();
    }

    /**
     * Reads every id of the bucket, removes those past their retention at {@code timestamp} and,
     * unless the subtask has dropped what it knows, lists the others (the bucket is known from then
     * on). Returns the next sweep, {@link Long#MAX_VALUE} if none is left.
     */
    private long sweepAll(int bucket, long timestamp) throws Exception {
        long earliestLeft = Long.MAX_VALUE;
        Known left = known == null ? null : new Known();
        Iterator<Map.Entry<String, Long>> all = admittedAt.iterator();
        while (all.hasNext()) {
            Map.Entry<String, Long> id = all.next();
            long admitted = id.getValue();
            if (forgotten(admitted, timestamp)) {
                all.remove();
            } else {
                earliestLeft = Math.min(earliestLeft, admitted);
                if (left != null && known != null) {
                    left.hashes.add(idHash.of(id.getKey()));
                    list(left, sweepAfter(admitted + retentionMillis), id.getKey());
                }
            }
        }
        if (known != null && left != null) {
            known[bucket] = left; // it holds exactly the ids the state holds now
        }
        return earliestLeft == Long.MAX_VALUE
                ? Long.MAX_VALUE
                : sweepAfter(earliestLeft + retentionMillis);
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return TypeInformation.of(eventClass);
    }

    /** What is known of the bucket's ids (see {@link #known}), else null. */
    private Known knownOf(int bucket) {
        if (known == null) {
            return null;
        }
        Known ids = known[bucket];
        if (ids == null && !restored) {
            // without a restore, the state holds only what this subtask admitted
            ids = new Known();
            known[bucket] = ids;
        }
        return ids;
    }

    /** Lists {@code id} under {@code sweep}, noting an id listed before. */
    private void list(Known ids, long sweep, String id) {
        ids.bySweep.computeIfAbsent(sweep, s -> new ArrayList<>()).add(id);
        if (ids.listedMoreThanOnce(id)) {
            ids.listedMoreThanOnce.merge(id, 1, Integer::sum);
        }
        idsInMemory++;
        if (idsInMemory > maxIdsInMemory) {
            known = null; // every event reads the state from now on, as it always may
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
