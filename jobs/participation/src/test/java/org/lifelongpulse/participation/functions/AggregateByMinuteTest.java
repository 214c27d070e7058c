package org.lifelongpulse.participation.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lifelongpulse.participation.Activities.at;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.triggers.EventTimeTrigger;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.runtime.operators.windowing.WindowOperatorBuilder;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;
import org.lifelongpulse.participation.records.ParticipationGroup;
import org.lifelongpulse.participation.records.ParticipationRow;
import org.lifelongpulse.participation.records.ParticipationVisit;

/**
 * Allowed lateness 60 s: minute 09:00 ends at 09:00:59.999, is emitted when the watermark reaches
 * that, corrected by each event of it until the watermark reaches 09:01:59.999, and forgotten then.
 */
class AggregateByMinuteTest {

    private static final Duration LATENESS = Duration.ofSeconds(60);
    private static final ParticipationGroup XUHUI =
            new ParticipationGroup("XUHUI", "LESSON_ATTEND", "WEB", "AGE_60_69");
    private static final ParticipationGroup PUDONG =
            new ParticipationGroup("PUDONG", "LESSON_ATTEND", "APP", "AGE_70_PLUS");
    private static final OutputTag<ParticipationVisit> BEHIND =
            new OutputTag<>("behind", TypeInformation.of(ParticipationVisit.class));

    @Test
    void emitsAtTheMinutesEndThenAHigherVersionPerLateEventThenDropsBehindTheEdge()
            throws Exception {
        var harness = harness(tally());
        visit(harness, XUHUI, "L1", 600, at(0, 5));
        visit(harness, XUHUI, "L2", 300, at(0, 30));
        visit(harness, XUHUI, "L1", 60, at(1, 10));
        // The key's list of open minutes, its tallies and its schedule are kept in memory and
        // written to the state before a snapshot: the list and the tallies by minute then, and a
        // Flink timer at each minute's end (09:00:59.999 and 09:01:59.999).
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        harness.snapshot(1, 1);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
        assertThat(harness.numEventTimeTimers()).isEqualTo(2);

        harness.processWatermark(at(1, 0) - 2);
        assertThat(harness.extractOutputValues()).isEmpty();
        harness.processWatermark(at(1, 0) - 1); // 09:00 ends: 2 visits, 2 learners, 900 s
        assertThat(harness.extractOutputValues())
                .containsExactly(row(XUHUI, at(0, 0), 2, 2, 900, 2));
        // the timer the watermark passed is deleted by the schedule, not fired by Flink
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        // Late within the lateness: re-emitted at once, version 3.
        harness.processWatermark(at(1, 20));
        visit(harness, XUHUI, "L3", 120, at(0, 40));
        assertThat(harness.extractOutputValues())
                .last()
                .isEqualTo(row(XUHUI, at(0, 0), 3, 3, 1020, 3));

        // One millisecond before the edge (09:01:59.998): still counted, version 4.
        harness.processWatermark(at(2, 0) - 2);
        visit(harness, XUHUI, "L1", 30, at(0, 59));
        assertThat(harness.extractOutputValues())
                .last()
                .isEqualTo(row(XUHUI, at(0, 0), 4, 3, 1050, 4));

        // At the edge 09:01:59.999: 09:01 is emitted, 09:00 forgotten; its events now dropped.
        harness.processWatermark(at(2, 0) - 1);
        visit(harness, XUHUI, "L4", 10, at(0, 1));
        assertThat(harness.extractOutputValues())
                .hasSize(4)
                .last()
                .isEqualTo(row(XUHUI, at(1, 0), 1, 1, 60, 1));
        assertThat(harness.getSideOutput(BEHIND))
                .singleElement()
                .satisfies(r -> assertThat(r.getValue().learnerHash()).isEqualTo("L4"));

        // 09:01 is forgotten at 09:02:59.999: nothing left of the key, in the state as of the
        // next snapshot (its tallies at once; its list, written at the last one, then).
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
        assertThat(harness.numEventTimeTimers()).isZero();
        harness.processWatermark(at(3, 0) - 1);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        harness.snapshot(2, 2);
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.extractOutputValues()).hasSize(4);
    }

    @Test
    void aMinuteFirstSeenLateIsEmittedAtOnceAndForgottenAfterTheLateness() throws Exception {
        var harness = harness(tally());
        harness.processWatermark(at(1, 30));
        visit(harness, PUDONG, "L9", 100, at(0, 15));
        assertThat(harness.extractOutputValues())
                .containsExactly(row(PUDONG, at(0, 0), 1, 1, 100, 1));
        // its one pending instant, a snapshot's timer: its end plus the lateness
        harness.snapshot(1, 1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
        harness.processWatermark(at(2, 0) - 2);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
        harness.processWatermark(at(2, 0) - 1);
        assertThat(harness.numEventTimeTimers()).isZero();
        // its tally at once; its list, written at the snapshot, as of the next one
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        harness.snapshot(2, 2);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.extractOutputValues()).hasSize(1);
    }

    @Test
    void aKeyActiveMinuteAfterMinuteHasNoFlinkTimerBetweenSnapshots() throws Exception {
        var harness = harness(tally());
        for (int m = 0; m < 10; m++) {
            visit(harness, XUHUI, "L1", m + 1, at(m, 0));
        }
        assertThat(harness.numEventTimeTimers()).isZero();
        // A snapshot registers the ten minutes' ends; each watermark deletes those it passed.
        harness.snapshot(1, 1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(10);
        for (int m = 0; m < 10; m++) {
            harness.processWatermark(at(m + 1, 0) - 1);
            assertThat(harness.numEventTimeTimers()).as("after minute %d", m).isEqualTo(9 - m);
            assertThat(harness.extractOutputValues())
                    .as("after minute %d", m)
                    .hasSize(m + 1)
                    .last()
                    .isEqualTo(row(XUHUI, at(m, 0), 1, 1, m + 1, 1));
        }
        // The last minute's end plus the lateness, pending in memory: a snapshot registers it.
        harness.snapshot(2, 2);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
        harness.processWatermark(at(11, 0) - 1);
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1); // its list, until the next
        harness.snapshot(3, 3);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.extractOutputValues()).hasSize(10);
    }

    /**
     * A savepoint of release c22577f holds the tallies by minute and their timers, but no list of
     * open minutes. This release refuses it at the restored minute's timer, naming the way through
     * (f66bd0b resumes it), instead of leaving the minute unwritten.
     */
    @Test
    void aMinuteRestoredFromTheStateBeforeTheListOfOpenMinutesIsRefusedWithTheUpgradePath()
            throws Exception {
        for (boolean newMinuteFirst : new boolean[] {false, true}) {
            var before =
                    new KeyedOneInputStreamOperatorTestHarness<>(
                            new KeyedProcessOperator<>(new TalliesAsInC22577f()),
                            ParticipationVisit::group,
                            TypeInformation.of(ParticipationGroup.class));
            before.open();
            visit(before, XUHUI, "L1", 600, at(0, 5));
            visit(before, XUHUI, "L2", 300, at(0, 30));
            var snapshot = before.snapshot(1, 1);
            before.close();

            var after = restored(snapshot);
            if (newMinuteFirst) {
                // the key gets its list now, without the restored minute in it
                visit(after, XUHUI, "L5", 10, at(1, 10));
            }
            assertThatThrownBy(() -> after.processWatermark(at(1, 0) - 1))
                    .as(newMinuteFirst ? "after a new minute of the key" : "alone")
                    .hasMessageContaining("before f66bd0b")
                    .hasMessageContaining("upgrade runbook");
        }
    }

    /**
     * What c22577f's per-minute tally kept: the tallies by minute and a timer at a minute's end.
     */
    private static final class TalliesAsInC22577f
            extends org.apache.flink.streaming.api.functions.KeyedProcessFunction<
                    ParticipationGroup, ParticipationVisit, ParticipationRow> {

        private transient org.apache.flink.api.common.state.MapState<Long, MinuteTally> tallies;

        @Override
        public void open(org.apache.flink.api.common.functions.OpenContext context) {
            tallies =
                    getRuntimeContext()
                            .getMapState(
                                    AggregateByMinute.talliesState(
                                            TypeInformation.of(MinuteTally.class)));
        }

        @Override
        public void processElement(
                ParticipationVisit v, Context ctx, Collector<ParticipationRow> out)
                throws Exception {
            long minute = ctx.timestamp() - Math.floorMod(ctx.timestamp(), 60_000L);
            MinuteTally t = tallies.get(minute);
            if (t == null) {
                t = new MinuteTally();
                ctx.timerService().registerEventTimeTimer(minute + 59_999);
            }
            tallies.put(minute, new TallyActivities<ParticipationVisit>().add(v, t));
        }
    }

    /**
     * Today's semantics are those of Flink's own window with allowed lateness: random visits (on
     * time, late within the lateness, behind it, out of order, several keys) and watermarks through
     * both, the same rows and the same dropped visits between the same watermarks. Snapshots at
     * random steps (which turn the schedule in memory into Flink timers, deleted again as the
     * watermark passes them) change nothing.
     */
    @Test
    void emitsWhatFlinksWindowWithAllowedLatenessEmits() throws Exception {
        for (long lateness : new long[] {0, 30_000, 60_000, 150_000}) {
            for (int seed = 0; seed < 20; seed++) {
                Duration l = Duration.ofMillis(lateness);
                var ours =
                        harness(
                                new AggregateByMinute<>(
                                        l,
                                        new TallyActivities<>(),
                                        TypeInformation.of(MinuteTally.class),
                                        new EmitParticipationRow(),
                                        TypeInformation.of(ParticipationRow.class),
                                        BEHIND));
                var flinks = harness(window(l));
                Random random = new Random(seed);
                long watermark = at(0, 0);
                List<ParticipationGroup> keys = List.of(XUHUI, PUDONG);
                long checkpoint = 0;
                for (int step = 0; step < 300; step++) {
                    if (seed % 4 >= 2 && random.nextInt(25) == 0) {
                        checkpoint++;
                        ours.snapshot(checkpoint, checkpoint);
                    } else if (random.nextInt(5) == 0) {
                        watermark += random.nextInt(40_000);
                        ours.processWatermark(watermark);
                        flinks.processWatermark(watermark);
                    } else {
                        long time = watermark - 200_000 + random.nextInt(260_000);
                        ParticipationVisit v =
                                ParticipationVisit.of(
                                        keys.get(random.nextInt(2)),
                                        // odd seeds: pseudonyms, as the job's learners are
                                        seed % 2 == 0
                                                ? "L" + random.nextInt(6)
                                                : String.format("%032x", random.nextInt(6)),
                                        random.nextInt(100),
                                        random.nextInt(3));
                        ours.processElement(v, time);
                        flinks.processElement(v, time);
                    }
                }
                ours.processWatermark(Long.MAX_VALUE);
                flinks.processWatermark(Long.MAX_VALUE);
                String run = "lateness " + lateness + " seed " + seed;
                assertThat(segments(ours.getOutput()))
                        .as(run)
                        .isEqualTo(segments(flinks.getOutput()));
                assertThat(ours.getSideOutput(BEHIND))
                        .as(run)
                        .containsExactlyInAnyOrderElementsOf(flinks.getSideOutput(BEHIND));
                // lists written at a snapshot are cleared at the next one
                ours.snapshot(checkpoint + 1, checkpoint + 1);
                assertThat(ours.numKeyedStateEntries()).as(run).isZero();
                assertThat(ours.numEventTimeTimers()).as(run).isZero();
            }
        }
    }

    /**
     * A restore in the middle gives the same rows as no restore: the snapshot holds what was
     * counted in memory, and the restored function reads its keys' open minutes and tallies from
     * the state (its memory starts empty). The snapshot restored is not the last one taken: what
     * was counted after it must not have changed it.
     */
    @Test
    void aRestoreInTheMiddleChangesNoRow() throws Exception {
        restoreInTheMiddleChangesNoRow(HashMapStateBackend::new, 20);
    }

    /** The same with RocksDB, where every state value is serialized (the production backend). */
    @Test
    void aRestoreInTheMiddleChangesNoRowOnRocksDb() throws Exception {
        restoreInTheMiddleChangesNoRow(EmbeddedRocksDBStateBackend::new, 4);
    }

    private static void restoreInTheMiddleChangesNoRow(Supplier<StateBackend> backend, int seeds)
            throws Exception {
        boolean heap = backend.get() instanceof HashMapStateBackend;
        for (int seed = 0; seed < seeds; seed++) {
            List<Object[]> steps = new ArrayList<>();
            Random random = new Random(seed);
            long watermark = at(0, 0);
            List<ParticipationGroup> keys = List.of(XUHUI, PUDONG);
            for (int step = 0; step < 300; step++) {
                if (random.nextInt(5) == 0) {
                    watermark += random.nextInt(40_000);
                    steps.add(new Object[] {watermark});
                } else {
                    long time = watermark - 100_000 + random.nextInt(160_000);
                    steps.add(
                            new Object[] {
                                ParticipationVisit.of(
                                        keys.get(random.nextInt(2)),
                                        String.format("%032x", random.nextInt(6)),
                                        random.nextInt(100),
                                        0),
                                time
                            });
                }
            }
            var whole = harness(tally());
            play(whole, steps, 0, steps.size());
            whole.processWatermark(Long.MAX_VALUE);

            int cut = 100 + random.nextInt(100);
            var first = harness(tally().operator(), backend.get());
            play(first, steps, 0, cut);
            List<String> rows = rowsOf(first.getOutput());
            var snapshot = first.snapshot(1, 1);
            play(first, steps, cut, cut + 50);
            first.snapshot(2, 2);
            play(first, steps, cut + 50, steps.size());
            first.close();
            var second = restored(snapshot, backend.get());
            for (int i = cut - 1; i >= 0; i--) { // the watermark resumes where it was
                if (steps.get(i).length == 1) {
                    second.processWatermark((Long) steps.get(i)[0]);
                    break;
                }
            }
            play(second, steps, cut, steps.size());
            second.processWatermark(Long.MAX_VALUE);
            rows.addAll(rowsOf(second.getOutput()));
            rows.sort(null);

            assertThat(rows).as("seed %d", seed).isEqualTo(rowsOf(whole.getOutput()));
            if (heap) {
                // as of the next snapshot (the harness counts entries of heap state only)
                second.snapshot(steps.size() + 2L, steps.size() + 2L);
                assertThat(second.numKeyedStateEntries()).isZero();
            }
            assertThat(second.numEventTimeTimers()).isZero();
        }
    }

    private static void play(
            KeyedOneInputStreamOperatorTestHarness<?, ParticipationVisit, ?> harness,
            List<Object[]> steps,
            int from,
            int to)
            throws Exception {
        for (Object[] step : steps.subList(from, to)) {
            if (step.length == 1) {
                harness.processWatermark((Long) step[0]);
            } else {
                harness.processElement((ParticipationVisit) step[0], (Long) step[1]);
            }
        }
    }

    /** The rows of an output, sorted. */
    private static List<String> rowsOf(Iterable<Object> output) {
        List<String> rows = new ArrayList<>();
        for (Object o : output) {
            if (o instanceof StreamRecord<?> r) {
                rows.add(r.getValue().toString());
            }
        }
        rows.sort(null);
        return rows;
    }

    /** The rows between consecutive watermarks, each stretch as a sorted list. */
    private static List<List<String>> segments(Iterable<Object> output) {
        List<List<String>> segments = new ArrayList<>();
        List<String> current = new ArrayList<>();
        for (Object o : output) {
            if (o instanceof Watermark) {
                current.sort(null);
                segments.add(current);
                current = new ArrayList<>();
            } else {
                current.add(((StreamRecord<?>) o).getValue().toString());
            }
        }
        current.sort(null);
        segments.add(current);
        return segments;
    }

    private static AggregateByMinute<
                    ParticipationGroup, ParticipationVisit, MinuteTally, ParticipationRow>
            tally() {
        return new AggregateByMinute<>(
                LATENESS,
                new TallyActivities<>(),
                TypeInformation.of(MinuteTally.class),
                new EmitParticipationRow(),
                TypeInformation.of(ParticipationRow.class),
                BEHIND);
    }

    /** The participation-minute operator as it was: Flink's window, the same row. */
    private static OneInputStreamOperator<ParticipationVisit, ParticipationRow> window(
            Duration lateness) {
        var builder =
                new WindowOperatorBuilder<>(
                        TumblingEventTimeWindows.of(Duration.ofMinutes(1)),
                        EventTimeTrigger.create(),
                        new ExecutionConfig(),
                        TypeInformation.of(ParticipationVisit.class),
                        ParticipationVisit::group,
                        TypeInformation.of(ParticipationGroup.class));
        builder.allowedLateness(lateness);
        builder.sideOutputLateData(BEHIND);
        return builder.aggregate(
                new TallyActivities<ParticipationVisit>(),
                new ProcessWindowFunction<
                        MinuteTally, ParticipationRow, ParticipationGroup, TimeWindow>() {
                    @Override
                    public void process(
                            ParticipationGroup key,
                            Context ctx,
                            Iterable<MinuteTally> tallies,
                            Collector<ParticipationRow> out) {
                        MinuteTally t = tallies.iterator().next();
                        out.collect(
                                new ParticipationRow(
                                        ctx.window().getStart(),
                                        key.district(),
                                        key.activityType(),
                                        key.channel(),
                                        key.ageBand(),
                                        t.visits,
                                        t.uniqueLearners(),
                                        t.learningSeconds,
                                        t.creditPoints,
                                        t.visits));
                    }
                },
                TypeInformation.of(MinuteTally.class));
    }

    private static KeyedOneInputStreamOperatorTestHarness<
                    ParticipationGroup, ParticipationVisit, ParticipationRow>
            harness(
                    AggregateByMinute<
                                    ParticipationGroup,
                                    ParticipationVisit,
                                    MinuteTally,
                                    ParticipationRow>
                            function)
                    throws Exception {
        return harness(function.operator());
    }

    private static KeyedOneInputStreamOperatorTestHarness<
                    ParticipationGroup, ParticipationVisit, ParticipationRow>
            harness(OneInputStreamOperator<ParticipationVisit, ParticipationRow> operator)
                    throws Exception {
        return harness(operator, new HashMapStateBackend());
    }

    private static KeyedOneInputStreamOperatorTestHarness<
                    ParticipationGroup, ParticipationVisit, ParticipationRow>
            harness(
                    OneInputStreamOperator<ParticipationVisit, ParticipationRow> operator,
                    StateBackend backend)
                    throws Exception {
        var harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        operator,
                        ParticipationVisit::group,
                        TypeInformation.of(ParticipationGroup.class));
        harness.setStateBackend(backend);
        harness.open();
        return harness;
    }

    /** {@link #tally()} resumed from {@code snapshot}. */
    private static KeyedOneInputStreamOperatorTestHarness<
                    ParticipationGroup, ParticipationVisit, ParticipationRow>
            restored(OperatorSubtaskState snapshot) throws Exception {
        return restored(snapshot, new HashMapStateBackend());
    }

    private static KeyedOneInputStreamOperatorTestHarness<
                    ParticipationGroup, ParticipationVisit, ParticipationRow>
            restored(OperatorSubtaskState snapshot, StateBackend backend) throws Exception {
        var harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        tally().operator(),
                        ParticipationVisit::group,
                        TypeInformation.of(ParticipationGroup.class));
        harness.setStateBackend(backend);
        harness.initializeState(snapshot);
        harness.open();
        return harness;
    }

    private static void visit(
            KeyedOneInputStreamOperatorTestHarness<?, ParticipationVisit, ?> harness,
            ParticipationGroup group,
            String learner,
            long seconds,
            long time)
            throws Exception {
        harness.processElement(ParticipationVisit.of(group, learner, seconds, 0), time);
    }

    private static ParticipationRow row(
            ParticipationGroup g, long minute, long visits, long learners, long seconds, long v) {
        return new ParticipationRow(
                minute,
                g.district(),
                g.activityType(),
                g.channel(),
                g.ageBand(),
                visits,
                learners,
                seconds,
                0,
                v);
    }
}
