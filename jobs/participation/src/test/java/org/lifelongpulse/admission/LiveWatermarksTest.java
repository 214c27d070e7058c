package org.lifelongpulse.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.lifelongpulse.participation.Activities;
import org.lifelongpulse.participation.records.Activity;

/**
 * The promise admission makes to every window and timer downstream: an event it lets through is
 * never behind a watermark the source emitted before it. Checked on random feeds of one partition —
 * live and replayed, with bursts, quiet stretches, out-of-order and very late events — in the order
 * Flink runs them in one task: the record goes down the chain (admission) before the split's
 * generator sees it, and periodic emits fall between records.
 */
class LiveWatermarksTest {

    private static final AtomicLong WALL = new AtomicLong();
    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final Duration HORIZON = Duration.ofMinutes(5);
    private static final long LATENESS = 60_000;

    @Test
    void nothingAdmittedIsBehindAWatermarkAlreadyEmitted() throws Exception {
        for (int seed = 0; seed < 40; seed++) {
            checkFeed(new Random(seed), seed % 2 == 0);
        }
    }

    @Test
    void aQuietLiveFeedClosesItsLastMinuteWithoutNewEvents() {
        WALL.set(Activities.at(30, 0));
        WatermarkGenerator<Decoded<Activity>> generator = generator();
        List<Long> emitted = new ArrayList<>();
        long last = Activities.at(29, 40);
        generator.onEvent(
                new Decoded<>(Activities.activity("a", last, "L1"), null), last, output(emitted));
        WALL.addAndGet(31_000); // 31 s of silence at 09:30:31 wall time
        generator.onPeriodicEmit(output(emitted));
        // 09:29:40 + 31 s (from its arrival at 09:30:00) - 10 s - 1 ms: minute 09:29 is over
        assertThat(emitted).last().isEqualTo(Activities.at(30, 1) - 1);
    }

    private static void checkFeed(Random random, boolean live) throws Exception {
        long start = Activities.at(0, 0);
        WALL.set(live ? start + 1_000 : start + 86_400_000L * 365);
        var admission =
                new OneInputStreamOperatorTestHarness<>(
                        new ProcessOperator<>(
                                new AdmitInTime<>(
                                        Activity.class,
                                        "test",
                                        BOUND,
                                        HORIZON,
                                        Duration.ofMillis(LATENESS),
                                        WALL::get)));
        admission.open();
        WatermarkGenerator<Decoded<Activity>> generator = generator();
        List<Long> emitted = new ArrayList<>();
        long eventTime = start;
        for (int i = 0; i < 2_000; i++) {
            int step = random.nextInt(10);
            WALL.addAndGet(step == 0 ? random.nextInt(240_000) : random.nextInt(300));
            if (random.nextInt(4) == 0) {
                generator.onPeriodicEmit(output(emitted));
            }
            eventTime += random.nextInt(live ? 2_000 : 60_000);
            long time =
                    switch (random.nextInt(20)) {
                        case 0 -> eventTime - random.nextInt(20_000); // out of order
                        case 1 -> eventTime - 120_000 - random.nextInt(3_600_000); // very late
                        default -> eventTime;
                    };
            Activity a = Activities.activity("e" + i, time, "L" + random.nextInt(50));
            int before = admission.extractOutputValues().size();
            admission.processElement(new Decoded<>(a, null), time);
            boolean admitted = admission.extractOutputValues().size() > before;
            long highest = emitted.isEmpty() ? Long.MIN_VALUE : emitted.get(emitted.size() - 1);
            if (admitted) {
                assertThat(AdmitInTime.isLate(time, highest, LATENESS))
                        .as("event %d at %d admitted behind watermark %d", i, time, highest)
                        .isFalse();
            }
            generator.onEvent(new Decoded<>(a, null), time, output(emitted));
        }
        assertThat(admission.getSideOutput(AdmitInTime.LATE)).isNotEmpty();
        admission.close();
    }

    private static WatermarkGenerator<Decoded<Activity>> generator() {
        return new LiveWatermarks<Activity>(BOUND, HORIZON, WALL::get)
                .createWatermarkGenerator(null);
    }

    /** Keeps the highest watermark emitted, as Flink's split output does. */
    private static WatermarkOutput output(List<Long> emitted) {
        return new WatermarkOutput() {
            @Override
            public void emitWatermark(Watermark watermark) {
                if (emitted.isEmpty()
                        || watermark.getTimestamp() > emitted.get(emitted.size() - 1)) {
                    emitted.add(watermark.getTimestamp());
                }
            }

            @Override
            public void markIdle() {
                throw new AssertionError("the generator never marks a partition idle");
            }

            @Override
            public void markActive() {}
        };
    }
}
