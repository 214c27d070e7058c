package org.lifelongpulse.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lifelongpulse.participation.Activities.activity;
import static org.lifelongpulse.participation.Activities.at;
import static org.lifelongpulse.participation.Activities.onPartition;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;
import org.lifelongpulse.avro.DeadLetter;
import org.lifelongpulse.participation.records.Activity;

/**
 * Out-of-orderness bound 10 s and allowed lateness 60 s: a partition whose newest event is at
 * 09:10:30 has a watermark of 09:10:19.999, so minute 09:09 (last ms 09:09:59.999, + 60 s =
 * 09:10:59.999) is still open and minute 09:08 (closes at 09:09:59.999) is gone.
 */
class AdmitInTimeTest {

    @Test
    void judgesLatenessOnEachPartitionsOwnClock() throws Exception {
        var harness = harness();
        send(harness, onPartition(activity("a", at(10, 30), "L1"), 0, 1));
        send(harness, onPartition(activity("b", at(9, 59), "L1"), 0, 2)); // window open
        send(harness, onPartition(activity("c", at(8, 59), "L1"), 0, 3)); // window gone
        send(harness, onPartition(activity("d", at(8, 59), "L1"), 1, 1)); // other partition

        assertThat(harness.extractOutputValues())
                .extracting(Activity::eventId)
                .containsExactly("a", "b", "d");
        assertThat(harness.getSideOutput(AdmitInTime.LATE))
                .singleElement()
                .satisfies(
                        r -> {
                            LateEvent late = r.getValue();
                            assertThat(late.eventId()).isEqualTo("c");
                            assertThat(late.watermark()).isEqualTo(at(10, 20) - 1);
                            assertThat(late.latenessMs()).isEqualTo(at(10, 20) - 1 - at(8, 59));
                        });
    }

    @Test
    void theEdgeOfTheAllowedLatenessIsExact() throws Exception {
        var harness = harness();
        // Newest 09:10:11 → watermark 09:10:00.999 → minute 09:09 closes at 09:10:59.999: open.
        send(harness, activity("a", at(10, 11), "L1"));
        send(harness, activity("b", at(9, 0), "L1"));
        // Newest 09:11:10 → watermark 09:10:59.999: minute 09:09 is now exactly gone.
        send(harness, activity("c", at(11, 10), "L1"));
        send(harness, activity("d", at(9, 30), "L1"));
        assertThat(harness.extractOutputValues())
                .extracting(Activity::eventId)
                .containsExactly("a", "b", "c");
        assertThat(harness.getSideOutput(AdmitInTime.LATE))
                .extracting(r -> r.getValue().eventId())
                .containsExactly("d");
    }

    @Test
    void deadLettersGoToTheirSideOutput() throws Exception {
        var harness = harness();
        DeadLetter letter =
                DeadLetter.newBuilder()
                        .setSourceTopic("t")
                        .setSourcePartition(0)
                        .setSourceOffset(4L)
                        .setStage("decode")
                        .setReason("garbage")
                        .setRaw(ByteBuffer.wrap(new byte[] {1}))
                        .setFailedAt(Instant.EPOCH)
                        .build();
        harness.processElement(new Decoded<>(null, letter), 0L);
        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.getSideOutput(AdmitInTime.DEAD_LETTERS))
                .singleElement()
                .satisfies(r -> assertThat(r.getValue()).isEqualTo(letter));
    }

    @Test
    void thePartitionClocksSurviveARestore() throws Exception {
        var harness = harness();
        send(harness, activity("a", at(30, 0), "L1"));
        OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
        harness.close();

        var restored =
                new OneInputStreamOperatorTestHarness<>(
                        new org.apache.flink.streaming.api.operators.ProcessOperator<>(admit()));
        restored.initializeState(snapshot);
        restored.open();
        send(restored, activity("late", at(5, 0), "L1"));
        assertThat(restored.extractOutputValues()).isEmpty();
        assertThat(restored.getSideOutput(AdmitInTime.LATE)).hasSize(1);
    }

    @Test
    void theEndOfInputFirstHandsOnTheWatermarkThePartitionsReached() throws Exception {
        var harness = new OneInputStreamOperatorTestHarness<>(admit().operator());
        harness.open();
        send(harness, onPartition(activity("a", at(10, 30), "L1"), 0, 1));
        send(harness, onPartition(activity("b", at(12, 0), "L2"), 1, 1));
        // the periodic watermark trails the replay
        harness.processWatermark(new Watermark(at(1, 0)));
        harness.processWatermark(Watermark.MAX_WATERMARK);
        // the lower clock of the two partitions: 09:10:30 - 10 s - 1 ms, then the end
        assertThat(watermarks(harness)).containsExactly(at(1, 0), at(10, 20) - 1, Long.MAX_VALUE);
    }

    @Test
    void aWatermarkAlreadyBeyondTheClocksIsNeverTakenBack() throws Exception {
        var harness = new OneInputStreamOperatorTestHarness<>(admit().operator());
        harness.open();
        send(harness, activity("a", at(10, 30), "L1"));
        harness.processWatermark(new Watermark(at(11, 0)));
        harness.processWatermark(Watermark.MAX_WATERMARK);
        assertThat(watermarks(harness)).containsExactly(at(11, 0), Long.MAX_VALUE);
    }

    @Test
    void withoutAnyEventTheEndOfInputIsAllThereIs() throws Exception {
        var harness = new OneInputStreamOperatorTestHarness<>(admit().operator());
        harness.open();
        harness.processWatermark(Watermark.MAX_WATERMARK);
        assertThat(watermarks(harness)).containsExactly(Long.MAX_VALUE);
    }

    private static List<Long> watermarks(
            OneInputStreamOperatorTestHarness<Decoded<Activity>, Activity> h) {
        return h.getOutput().stream()
                .filter(Watermark.class::isInstance)
                .map(w -> ((Watermark) w).getTimestamp())
                .toList();
    }

    private static AdmitInTime<Activity> admit() {
        return new AdmitInTime<>(
                Activity.class,
                "test",
                Duration.ofSeconds(10),
                Duration.ofMinutes(5),
                Duration.ofSeconds(60));
    }

    private static OneInputStreamOperatorTestHarness<Decoded<Activity>, Activity> harness()
            throws Exception {
        return ProcessFunctionTestHarnesses.forProcessFunction(admit());
    }

    private static void send(
            OneInputStreamOperatorTestHarness<Decoded<Activity>, Activity> h, Activity a)
            throws Exception {
        h.processElement(new Decoded<>(a, null), a.eventTime());
    }
}
