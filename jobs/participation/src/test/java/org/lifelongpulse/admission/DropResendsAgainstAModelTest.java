package org.lifelongpulse.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lifelongpulse.participation.Activities.activity;
import static org.lifelongpulse.participation.Activities.at;
import static org.lifelongpulse.participation.Activities.withIdHash;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lifelongpulse.participation.records.Activity;

/**
 * The resend check against a hand-written model of its contract (an id is a duplicate while it was
 * admitted less than the retention before the watermark), on random streams: a few buckets holding
 * many ids, ids resent before, at and after their retention (so admitted again while still held,
 * under another sweep or the same), event times behind the watermark, restores from a snapshot at
 * random steps, and in-memory hashes that collide (the model knows nothing of hashes, sweeps or
 * memory). Run with what a subtask may keep in memory unlimited and with a limit that the stream
 * passes, so both ways of sweeping and their hand-over are compared.
 */
class DropResendsAgainstAModelTest {

    private static final Duration RETENTION = Duration.ofHours(1);
    private static final long R = RETENTION.toMillis();

    /** Ten hashes for all ids, 0 among them: most ids share theirs with others. */
    private static final DropResends.IdHash COLLIDING = id -> Math.floorMod(id.hashCode(), 10);

    @ParameterizedTest(name = "ids in memory at most {0}")
    @ValueSource(longs = {Long.MAX_VALUE, 40})
    void letsThroughAndDropsWhatTheModelDoes(long maxIdsInMemory) throws Exception {
        compareSeeds(1, 40, maxIdsInMemory, HashMapStateBackend::new);
    }

    /** The same on RocksDB, the production backend, where what the state holds is a copy. */
    @ParameterizedTest(name = "ids in memory at most {0}")
    @ValueSource(longs = {Long.MAX_VALUE, 40})
    void letsThroughAndDropsWhatTheModelDoesOnRocksDb(long maxIdsInMemory) throws Exception {
        compareSeeds(101, 104, maxIdsInMemory, EmbeddedRocksDBStateBackend::new);
    }

    /** Seeds {@code from} to {@code to}, every other one with colliding in-memory hashes. */
    private static void compareSeeds(
            int from, int to, long maxIdsInMemory, Supplier<StateBackend> backend)
            throws Exception {
        for (int seed = from; seed <= to; seed++) {
            compare(
                    new Random(seed),
                    maxIdsInMemory,
                    seed % 2 == 0 ? COLLIDING : EventIdHash::of,
                    backend);
        }
    }

    private static void compare(
            Random random,
            long maxIdsInMemory,
            DropResends.IdHash hash,
            Supplier<StateBackend> backend)
            throws Exception {
        // three buckets, forced through the carried hash
        long[] bucketHashes = {11, 12 + DropResends.BUCKETS, 4000};
        Map<String, Long> modelAdmitted = new HashMap<>();
        List<String> expectedOut = new ArrayList<>();
        List<String> expectedDuplicates = new ArrayList<>();
        List<String> out = new ArrayList<>();
        List<String> duplicates = new ArrayList<>();

        var harness = open(null, maxIdsInMemory, hash, backend.get());
        long watermark = at(0, 0);
        harness.processWatermark(watermark);
        long operatorWatermark = watermark;
        int ambiguous = 0;
        for (int step = 0; step < 600; step++) {
            int what = random.nextInt(100);
            if (what < 70) {
                String id = "e" + random.nextInt(50);
                long time = watermark + (long) ((random.nextDouble() * 1.5 - 0.5) * R);
                Activity a =
                        withIdHash(
                                activity(id, time, "L"),
                                bucketHashes[Math.floorMod(id.hashCode(), bucketHashes.length)]);
                Long admitted = modelAdmitted.get(id);
                int before = harness.getOutput().size();
                harness.processElement(a, time);
                boolean dropped = harness.getOutput().size() == before; // no watermark in between
                boolean duplicate;
                if (operatorWatermark == Long.MIN_VALUE
                        && admitted != null
                        && admitted + R <= watermark) {
                    // Restored, before its first watermark: an id past its retention at the
                    // last one is let through if a sweep removed it before the snapshot, else
                    // dropped (nothing is forgotten yet). Either is taken; the model follows.
                    duplicate = dropped;
                    ambiguous++;
                } else {
                    duplicate = admitted != null && admitted + R > operatorWatermark;
                }
                if (duplicate) {
                    expectedDuplicates.add(id);
                } else {
                    modelAdmitted.put(id, time);
                    expectedOut.add(id);
                }
                assertThat(dropped)
                        .as(
                                "step %d: %s at %d, admitted at %s, watermark %d",
                                step, id, time, admitted, operatorWatermark)
                        .isEqualTo(duplicate);
            } else if (what < 97) {
                // at times onto a sweep instant (multiples of 15 min), at times between
                watermark +=
                        random.nextBoolean()
                                ? random.nextInt(40) * 60_000L
                                : (R / 4) - Math.floorMod(watermark, R / 4);
                harness.processWatermark(watermark);
                operatorWatermark = watermark;
            } else {
                OperatorSubtaskState snapshot = harness.snapshot(step, step);
                collect(harness, out, duplicates);
                harness.close();
                harness = open(snapshot, maxIdsInMemory, hash, backend.get());
                // a restored operator has seen no watermark yet: nothing is forgotten; most
                // often the sources' next one comes before any event
                operatorWatermark = Long.MIN_VALUE;
                if (random.nextInt(3) > 0) {
                    harness.processWatermark(watermark);
                    operatorWatermark = watermark;
                }
            }
        }
        harness.processWatermark(Long.MAX_VALUE);
        // what every state holds, counted the same way on every backend
        var state = harness.getOperator().getKeyedStateBackend();
        for (String name : List.of("admitted-ids", "next-sweep")) {
            try (var keys = state.getKeys(name, VoidNamespace.INSTANCE)) {
                assertThat(keys.count()).as(name).isZero();
            }
        }
        assertThat(harness.numEventTimeTimers()).isZero();
        collect(harness, out, duplicates);
        harness.close();
        assertThat(out).isEqualTo(expectedOut);
        // most verdicts are the model's own, not followed
        assertThat(ambiguous).isLessThan(expectedOut.size() / 5);
        assertThat(duplicates).isEqualTo(expectedDuplicates);
    }

    private static void collect(
            KeyedOneInputStreamOperatorTestHarness<Integer, Activity, Activity> harness,
            List<String> out,
            List<String> duplicates) {
        harness.extractOutputValues().forEach(a -> out.add(a.eventId()));
        var side = harness.getSideOutput(DropResends.DUPLICATES);
        if (side != null) { // null while none was output
            side.forEach(r -> duplicates.add(r.getValue().eventId()));
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<Integer, Activity, Activity> open(
            OperatorSubtaskState snapshot,
            long maxIdsInMemory,
            DropResends.IdHash hash,
            StateBackend backend)
            throws Exception {
        var harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new DropResends<>(
                                        Activity.class, "test", RETENTION, hash, maxIdsInMemory)),
                        new DropResends.Bucket<Activity>(),
                        Types.INT);
        harness.setStateBackend(backend);
        if (snapshot != null) {
            harness.initializeState(snapshot);
        }
        harness.open();
        return harness;
    }
}
