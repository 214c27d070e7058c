package org.lifelongpulse.participation.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lifelongpulse.participation.Activities.at;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;
import org.lifelongpulse.participation.records.DistinctScope;
import org.lifelongpulse.participation.records.DistinctToken;
import org.lifelongpulse.participation.records.MinuteDistinct;

/** Allowed lateness 60 s: minute 09:00 is final once the watermark reaches 09:01:59.999. */
class RunningDistinctByMinuteTest {

    private static final DistinctScope SCOPE = new DistinctScope("week", "ALL");
    private static final DistinctScope MOOC = new DistinctScope("MOOC-01", "ALL");
    private static final List<String> CATEGORIES =
            List.of("participant", "COURSE_ENROLL", "MOOC_PROGRESS");

    @Test
    void countsNewAndReturningInEventTimeOrderWhateverTheArrivalOrder() throws Exception {
        var harness = harness();
        // L2 is first seen at 09:01 but its 09:00 visit arrives afterwards (out of order).
        token(harness, "L1", at(0, 10));
        token(harness, "L2", at(1, 5));
        token(harness, "L2", at(0, 50));
        token(harness, "L1", at(0, 20)); // a second visit in the same minute
        token(harness, "L1", at(1, 30));
        token(harness, "L3", at(1, 40));

        harness.processWatermark(at(2, 0) - 1); // 09:00 final, 09:01 not yet
        assertThat(harness.extractOutputValues())
                .containsExactly(
                        new MinuteDistinct(SCOPE, at(0, 0), Map.of("participant", 2L), 2, 2, 3));

        harness.processWatermark(at(3, 0) - 1);
        List<MinuteDistinct> rows = harness.extractOutputValues();
        // 09:01: L2, L1 and L3 active; L3 new; L1 and L2 returning; 3 distinct so far.
        assertThat(rows.get(1))
                .isEqualTo(new MinuteDistinct(SCOPE, at(1, 0), Map.of("participant", 3L), 3, 1, 3));

        assertThat(harness.numEventTimeTimers()).isZero();
        // What stays: the three members seen and the running total, nothing pending.
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
    }

    @Test
    void countsEachCategorySeparately() throws Exception {
        var harness = harness();
        harness.processElement(new DistinctToken(MOOC, "COURSE_ENROLL", "L1", at(0, 1)), at(0, 1));
        harness.processElement(new DistinctToken(MOOC, "MOOC_PROGRESS", "L1", at(0, 2)), at(0, 2));
        harness.processElement(new DistinctToken(MOOC, "COURSE_ENROLL", "L2", at(0, 3)), at(0, 3));
        harness.processElement(new DistinctToken(MOOC, "COURSE_ENROLL", "L1", at(0, 4)), at(0, 4));
        // 09:01: L1 again in a step it was in; L2 in a step new to it; L3 new in two steps
        harness.processElement(new DistinctToken(MOOC, "MOOC_PROGRESS", "L1", at(1, 1)), at(1, 1));
        harness.processElement(new DistinctToken(MOOC, "MOOC_PROGRESS", "L2", at(1, 2)), at(1, 2));
        harness.processElement(new DistinctToken(MOOC, "COURSE_ENROLL", "L3", at(1, 3)), at(1, 3));
        harness.processElement(new DistinctToken(MOOC, "MOOC_PROGRESS", "L3", at(1, 4)), at(1, 4));
        harness.processWatermark(Long.MAX_VALUE);
        // per minute: totals so far, members active, members new to a step, tokens
        assertThat(harness.extractOutputValues())
                .containsExactly(
                        new MinuteDistinct(
                                MOOC,
                                at(0, 0),
                                Map.of("COURSE_ENROLL", 2L, "MOOC_PROGRESS", 1L),
                                2,
                                2,
                                4),
                        new MinuteDistinct(
                                MOOC,
                                at(1, 0),
                                Map.of("COURSE_ENROLL", 3L, "MOOC_PROGRESS", 3L),
                                3,
                                2,
                                4));
    }

    @Test
    void aTokenForAMinuteAlreadyFinalGoesOutInsteadOfASecondPartialRow() throws Exception {
        var harness = harness();
        token(harness, "L1", at(0, 10));
        harness.processWatermark(at(2, 0) - 1); // 09:00 final and emitted
        token(harness, "L2", at(0, 30)); // behind the watermark: cannot be counted
        harness.processWatermark(at(5, 0));

        assertThat(harness.extractOutputValues())
                .singleElement()
                .satisfies(m -> assertThat(m.newMembers()).isEqualTo(1));
        assertThat(harness.getSideOutput(RunningDistinctByMinute.BEHIND_WATERMARK))
                .singleElement()
                .satisfies(r -> assertThat(r.getValue().member()).isEqualTo("L2"));
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    /**
     * A savepoint of release c22577f holds a pending minute's tokens as one list: restored, the
     * minute counts them with the tokens that arrive after the restore, once.
     */
    @Test
    void aMinuteRestoredWithItsTokensAsOneListCountsThemWithTheNewOnes() throws Exception {
        var before =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        new TokensAsInC22577f(),
                        DistinctToken::scope,
                        TypeInformation.of(DistinctScope.class));
        token(before, "L1", at(0, 10));
        token(before, "L2", at(0, 20));
        var snapshot = before.snapshot(1, 1);
        before.close();

        var after = restored(snapshot, List.of("participant"));
        token(after, "L1", at(0, 30)); // L1 again: one member, a third token
        token(after, "L3", at(0, 40));
        after.processWatermark(at(2, 0) - 1);
        // L1, L2 and L3 active and new; four tokens in all, two of them restored
        assertThat(after.extractOutputValues())
                .containsExactly(
                        new MinuteDistinct(SCOPE, at(0, 0), Map.of("participant", 3L), 3, 3, 4));
        assertThat(after.numEventTimeTimers()).isZero();
        assertThat(after.numKeyedStateEntries()).isEqualTo(2); // members seen, the total
    }

    /** What c22577f kept of a pending minute: its tokens as one list, a timer at its end. */
    private static final class TokensAsInC22577f
            extends org.apache.flink.streaming.api.functions.KeyedProcessFunction<
                    DistinctScope, DistinctToken, MinuteDistinct> {

        private transient org.apache.flink.api.common.state.MapState<Long, List<String>> pending;

        @Override
        public void open(org.apache.flink.api.common.functions.OpenContext context) {
            pending =
                    getRuntimeContext()
                            .getMapState(
                                    new org.apache.flink.api.common.state.MapStateDescriptor<>(
                                            "pending-tokens-by-minute",
                                            org.apache.flink.api.common.typeinfo.Types.LONG,
                                            org.apache.flink.api.common.typeinfo.Types.LIST(
                                                    org.apache.flink.api.common.typeinfo.Types
                                                            .STRING)));
        }

        @Override
        public void processElement(
                DistinctToken t, Context ctx, org.apache.flink.util.Collector<MinuteDistinct> out)
                throws Exception {
            long minute = t.eventTime() - Math.floorMod(t.eventTime(), 60_000L);
            List<String> tokens = pending.get(minute);
            if (tokens == null) {
                tokens = new java.util.ArrayList<>();
                ctx.timerService().registerEventTimeTimer(minute + 59_999 + 60_000);
            }
            tokens.add(t.category() + "\u0002" + t.member());
            pending.put(minute, tokens);
        }
    }

    /**
     * A restore with minutes pending gives the same rows as no restore: the restored function reads
     * those minutes' token counts from the state (its in-memory copy starts empty), numbers the new
     * tokens after the restored ones and counts both.
     */
    @Test
    void aRestoreWithMinutesPendingChangesNoRow() throws Exception {
        restoreWithMinutesPendingChangesNoRow(new HashMapStateBackend(), new HashMapStateBackend());
    }

    /**
     * The same on RocksDB, the production backend, where every token written is serialized; the
     * snapshot restored is not the last one taken (tokens counted after it must not be in it).
     */
    @Test
    void aRestoreWithMinutesPendingChangesNoRowOnRocksDb() throws Exception {
        restoreWithMinutesPendingChangesNoRow(
                new EmbeddedRocksDBStateBackend(), new EmbeddedRocksDBStateBackend());
    }

    private static void restoreWithMinutesPendingChangesNoRow(
            StateBackend firstBackend, StateBackend secondBackend) throws Exception {
        var whole = harness();
        var first = harness(firstBackend);
        for (var h : List.of(whole, first)) {
            token(h, "L1", at(0, 10));
            token(h, "L2", at(0, 20));
            token(h, "L3", at(1, 5));
            h.processWatermark(at(1, 10));
        }
        var snapshot = first.snapshot(1, 1);
        token(first, "L9", at(0, 25)); // after the snapshot: not in it
        token(first, "L9", at(1, 25));
        first.snapshot(2, 2);
        first.close();
        var second = restored(snapshot, CATEGORIES, secondBackend);
        second.processWatermark(at(1, 10));
        for (var h : List.of(whole, second)) {
            token(h, "L4", at(0, 30)); // 09:00 had two tokens before the restore
            token(h, "L1", at(1, 20));
            token(h, "L2", at(0, 40));
            h.processWatermark(Long.MAX_VALUE);
        }
        assertThat(second.extractOutputValues())
                .isEqualTo(whole.extractOutputValues())
                .containsExactly(
                        new MinuteDistinct(SCOPE, at(0, 0), Map.of("participant", 3L), 3, 3, 4),
                        new MinuteDistinct(SCOPE, at(1, 0), Map.of("participant", 4L), 2, 1, 2));
        assertThat(second.numEventTimeTimers()).isZero();
    }

    private static void token(
            KeyedOneInputStreamOperatorTestHarness<DistinctScope, DistinctToken, MinuteDistinct> h,
            String learner,
            long time)
            throws Exception {
        h.processElement(new DistinctToken(SCOPE, "participant", learner, time), time);
    }

    private static KeyedOneInputStreamOperatorTestHarness<
                    DistinctScope, DistinctToken, MinuteDistinct>
            harness() throws Exception {
        return harness(new HashMapStateBackend());
    }

    private static KeyedOneInputStreamOperatorTestHarness<
                    DistinctScope, DistinctToken, MinuteDistinct>
            harness(StateBackend backend) throws Exception {
        return opened(CATEGORIES, backend, null);
    }

    /** The function with {@code categories}, resumed from {@code snapshot}. */
    private static KeyedOneInputStreamOperatorTestHarness<
                    DistinctScope, DistinctToken, MinuteDistinct>
            restored(OperatorSubtaskState snapshot, List<String> categories) throws Exception {
        return restored(snapshot, categories, new HashMapStateBackend());
    }

    private static KeyedOneInputStreamOperatorTestHarness<
                    DistinctScope, DistinctToken, MinuteDistinct>
            restored(OperatorSubtaskState snapshot, List<String> categories, StateBackend backend)
                    throws Exception {
        return opened(categories, backend, snapshot);
    }

    /** The function with {@code categories} on {@code backend}, from {@code snapshot} if any. */
    private static KeyedOneInputStreamOperatorTestHarness<
                    DistinctScope, DistinctToken, MinuteDistinct>
            opened(List<String> categories, StateBackend backend, OperatorSubtaskState snapshot)
                    throws Exception {
        var harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new RunningDistinctByMinute(Duration.ofSeconds(60), categories).operator(),
                        DistinctToken::scope,
                        TypeInformation.of(DistinctScope.class));
        harness.setStateBackend(backend);
        if (snapshot != null) {
            harness.initializeState(snapshot);
        }
        harness.open();
        return harness;
    }
}
