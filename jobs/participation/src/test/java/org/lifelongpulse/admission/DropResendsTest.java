package org.lifelongpulse.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lifelongpulse.participation.Activities.activity;
import static org.lifelongpulse.participation.Activities.at;
import static org.lifelongpulse.participation.Activities.withIdHash;

import java.time.Duration;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;
import org.lifelongpulse.participation.records.Activity;

class DropResendsTest {

    @Test
    void letsAnIdThroughOnceAndForgetsItAfterTheRetention() throws Exception {
        var harness = harness(Duration.ofHours(1));
        Activity first = activity("e1", at(0, 5), "L1");
        harness.processElement(first, first.eventTime());
        harness.processElement(first, first.eventTime()); // resent
        harness.processElement(activity("e2", at(0, 7), "L2"), at(0, 7));

        assertThat(harness.extractOutputValues())
                .extracting(Activity::eventId)
                .containsExactly("e1", "e2");
        assertThat(harness.getSideOutput(DropResends.DUPLICATES))
                .singleElement()
                .satisfies(r -> assertThat(r.getValue().eventId()).isEqualTo("e1"));

        // An hour of event time after e1 (at 01:00:05) it is forgotten, whatever the sweeps do:
        // resent then, it is let through again; e2 (2 s later) is still remembered.
        harness.processWatermark(at(60, 5));
        harness.processElement(first, first.eventTime());
        harness.processElement(activity("e2", at(0, 7), "L2"), at(0, 7));
        assertThat(harness.extractOutputValues())
                .extracting(Activity::eventId)
                .containsExactly("e1", "e2", "e1");
        assertThat(harness.getSideOutput(DropResends.DUPLICATES)).hasSize(2);
    }

    @Test
    void oneTimerPerBucketSweepsItsExpiredIdsAndLeavesNothing() throws Exception {
        // Retention 1 h: sweeps every 15 min (1 h / 4).
        var harness = harness(Duration.ofHours(1));
        // Thirty ids, more than one per bucket for some hashes and one for others.
        java.util.Set<Integer> buckets = new java.util.HashSet<>();
        for (int i = 0; i < 30; i++) {
            Activity a = activity("e" + i, at(0, i), "L" + i);
            buckets.add(DropResends.bucketOf(a));
            harness.processElement(a, a.eventTime());
        }
        assertThat(harness.extractOutputValues()).hasSize(30);
        // One timer per bucket (not per id); per bucket a map of ids and the pending sweep.
        assertThat(harness.numEventTimeTimers()).isEqualTo(buckets.size());
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2 * buckets.size());

        // Sweeps fall on multiples of 15 min since the epoch, 10:00 Shanghai among them. The ids
        // of 09:00:00–09:00:29 are forgotten from 10:00:00 to 10:00:29: only e0's bucket sweeps
        // at 10:00 (the rest, and e0's bucket again if it holds more, at 10:15).
        harness.processWatermark(at(74, 59));
        assertThat(harness.numKeyedStateEntries()).isPositive();
        harness.processWatermark(at(75, 0));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aSweepKeepsTheIdsStillWithinTheRetentionAndSchedulesTheNextOne() throws Exception {
        var harness = harness(Duration.ofHours(1));
        Activity early = activity("early", at(0, 0), "L1");
        Activity late = withIdOfSameBucket(early, at(30, 0));
        harness.processElement(early, early.eventTime());
        harness.processElement(late, late.eventTime());
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        // Past the first sweep (10:00: early's expiry, a multiple of 15 min), before 10:30.
        harness.processWatermark(at(64, 0));
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
        harness.processElement(late, late.eventTime()); // still remembered
        harness.processElement(early, early.eventTime()); // forgotten: admitted again
        assertThat(harness.extractOutputValues())
                .extracting(Activity::eventId)
                .containsExactly("early", late.eventId(), "early");
        assertThat(harness.getSideOutput(DropResends.DUPLICATES))
                .singleElement()
                .satisfies(r -> assertThat(r.getValue().eventId()).isEqualTo(late.eventId()));

        // The re-admitted "early" (event time 09:00) is already past its retention: the next
        // sweep, at 10:30 (late's expiry), takes both.
        harness.processWatermark(at(89, 59));
        assertThat(harness.numKeyedStateEntries()).isPositive();
        harness.processWatermark(at(90, 0));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aResendArrivingOutOfOrderIsStillDropped() throws Exception {
        var harness = harness(Duration.ofDays(1));
        harness.processElement(activity("e1", at(3, 0), "L1"), at(3, 0));
        harness.processElement(activity("e0", at(1, 0), "L1"), at(1, 0));
        harness.processElement(activity("e1", at(3, 0), "L1"), at(3, 0));
        assertThat(harness.extractOutputValues())
                .extracting(Activity::eventId)
                .containsExactly("e1", "e0");
        assertThat(harness.getSideOutput(DropResends.DUPLICATES)).hasSize(1);
    }

    @Test
    void idsWhoseHashesCollideAreStillTwoIds() throws Exception {
        var harness = harness(Duration.ofDays(1));
        Activity a = activity("a", at(0, 0), "L1");
        Activity b = withIdHash(activity("b", at(0, 1), "L2"), a.eventIdHash());
        harness.processElement(a, a.eventTime());
        harness.processElement(b, b.eventTime());
        harness.processElement(b, b.eventTime());
        assertThat(harness.extractOutputValues())
                .extracting(Activity::eventId)
                .containsExactly("a", "b");
        assertThat(harness.getSideOutput(DropResends.DUPLICATES))
                .singleElement()
                .satisfies(r -> assertThat(r.getValue().eventId()).isEqualTo("b"));
    }

    @Test
    void theIdHashIsFixedAcrossReleases() {
        // FNV-1a 64 over the chars, then MurmurHash3's fmix64, computed outside Java (Python):
        // the buckets, and so the state, depend on these values staying the same.
        assertThat(EventIdHash.of("e1")).isEqualTo(0x50295bda7c69a087L);
        assertThat(EventIdHash.of("TXN-000001")).isEqualTo(0x180680991eebf338L);
        assertThat(DropResends.bucketOf(activity("e1", at(0, 0), "L1"))).isEqualTo(135);
    }

    /** A second activity in the same bucket as {@code a}, at {@code time}. */
    private static Activity withIdOfSameBucket(Activity a, long time) {
        for (int i = 0; ; i++) {
            Activity b = activity("same-bucket-" + i, time, "L2");
            if (DropResends.bucketOf(b) == DropResends.bucketOf(a)) {
                return b;
            }
        }
    }

    /**
     * Whether a bucket's sweep is pending is remembered beside the state: after a restore, after a
     * sweep that emptied the bucket and after one that left ids, every bucket with ids has exactly
     * one sweep pending.
     */
    @Test
    void everyBucketWithIdsHasItsSweepAfterARestoreAndAfterSweeps() throws Exception {
        var harness = harness(Duration.ofHours(1));
        Activity a = activity("a", at(0, 5), "L1");
        harness.processElement(a, a.eventTime());
        var snapshot = harness.snapshot(1, 1);
        harness.close();

        var restored = restored(snapshot, Duration.ofHours(1));
        assertThat(restored.numEventTimeTimers()).isEqualTo(1);
        // a new id of the same bucket: its pending sweep is read once, not registered again
        Activity b = sameBucketAs(a, "b", at(0, 20));
        restored.processElement(b, b.eventTime());
        assertThat(restored.numEventTimeTimers()).isEqualTo(1);
        // 10:15 sweeps both out; the bucket is empty, and its next id gets a sweep of its own
        restored.processWatermark(at(75, 0));
        assertThat(restored.numEventTimeTimers()).isZero();
        assertThat(restored.numKeyedStateEntries()).isZero();
        Activity c = sameBucketAs(a, "c", at(80, 0));
        restored.processElement(c, c.eventTime());
        assertThat(restored.numEventTimeTimers()).isEqualTo(1);
        // a sweep that leaves an id re-registers, and the id after it adds no second timer
        Activity d = sameBucketAs(a, "d", at(110, 0));
        restored.processElement(d, d.eventTime());
        // c (10:20) is forgotten at 11:20 and swept at 11:30; d (10:50) is left, swept at 12:00
        restored.processWatermark(at(150, 0));
        assertThat(restored.numEventTimeTimers()).isEqualTo(1);
        Activity e = sameBucketAs(a, "e", at(111, 0));
        restored.processElement(e, e.eventTime());
        assertThat(restored.numEventTimeTimers()).isEqualTo(1);
        restored.processWatermark(Long.MAX_VALUE);
        assertThat(restored.numEventTimeTimers()).isZero();
        assertThat(restored.numKeyedStateEntries()).isZero();
        assertThat(restored.extractOutputValues())
                .extracting(Activity::eventId)
                .containsExactly("b", "c", "d", "e");
    }

    /**
     * A restored subtask does not know which ids its buckets hold until a bucket's sweep lists
     * them: resends of ids admitted before the restore are dropped before that sweep (read from the
     * state) and after it (known from it), and so are resends of ids admitted after the restore.
     */
    @Test
    void resendsOfIdsAdmittedBeforeARestoreAreDroppedBeforeAndAfterTheBucketsSweep()
            throws Exception {
        var harness = harness(Duration.ofHours(1));
        Activity a = activity("a", at(0, 5), "L1");
        Activity x = sameBucketAs(a, "x", at(40, 0));
        harness.processElement(a, a.eventTime());
        harness.processElement(x, x.eventTime());
        var snapshot = harness.snapshot(1, 1);
        harness.close();

        var restored = restored(snapshot, Duration.ofHours(1));
        restored.processElement(a, a.eventTime()); // before the sweep
        // 10:15 sweeps: a (forgotten at 10:00:05) goes, x (until 10:40) stays
        restored.processWatermark(at(75, 0));
        restored.processElement(x, x.eventTime()); // after it
        Activity y = sameBucketAs(a, "y", at(76, 0));
        restored.processElement(y, y.eventTime());
        restored.processElement(y, y.eventTime());
        // another bucket, never swept since the restore
        Activity z = activity("z", at(76, 0), "L3");
        restored.processElement(z, z.eventTime());
        restored.processElement(z, z.eventTime());
        assertThat(restored.extractOutputValues())
                .extracting(Activity::eventId)
                .containsExactly("y", "z");
        assertThat(restored.getSideOutput(DropResends.DUPLICATES))
                .extracting(r -> r.getValue().eventId())
                .containsExactly("a", "x", "y", "z");
    }

    /** An activity with id {@code id} in {@code a}'s bucket (its hash forced to {@code a}'s). */
    private static Activity sameBucketAs(Activity a, String id, long time) {
        return withIdHash(activity(id, time, "L1"), a.eventIdHash());
    }

    /** The check with {@code retention}, resumed from {@code snapshot}. */
    private static KeyedOneInputStreamOperatorTestHarness<Integer, Activity, Activity> restored(
            org.apache.flink.runtime.checkpoint.OperatorSubtaskState snapshot, Duration retention)
            throws Exception {
        var restored =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new org.apache.flink.streaming.api.operators.KeyedProcessOperator<>(
                                new DropResends<>(Activity.class, "test", retention)),
                        new DropResends.Bucket<Activity>(),
                        Types.INT);
        restored.initializeState(snapshot);
        restored.open();
        return restored;
    }

    private static KeyedOneInputStreamOperatorTestHarness<Integer, Activity, Activity> harness(
            Duration retention) throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new DropResends<>(Activity.class, "test", retention),
                new DropResends.Bucket<>(),
                Types.INT);
    }
}
