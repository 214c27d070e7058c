package org.lifelongpulse.fundrisk.functions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.Test;
import org.lifelongpulse.fundrisk.records.ReferenceUpdate;

/** The broadcast side's clock: held back while catching up, idle once quiet. */
class ReferenceWatermarksTest {

    private static final long SECOND = 1_000_000_000L;

    private long now;
    private final Recorder out = new Recorder();
    private final ReferenceWatermarks.Generator generator =
            new ReferenceWatermarks.Generator(30 * SECOND, SECOND, () -> now);

    @Test
    void holdsEverythingBackUntilTheStartupTimeoutWhenNothingArrives() {
        now = 29 * SECOND;
        generator.onPeriodicEmit(out);
        assertThat(out.events).isEmpty(); // neither a watermark nor idle: transactions wait

        now = 30 * SECOND;
        generator.onPeriodicEmit(out);
        assertThat(out.events).containsExactly("idle");
    }

    @Test
    void emitsTheNewestUpdateTimeWhileUpdatesArriveAndGoesIdleOnceQuiet() {
        now = 2 * SECOND;
        generator.onEvent(new ReferenceUpdate(), 5_000, out);
        generator.onEvent(new ReferenceUpdate(), 3_000, out);
        now += SECOND / 2;
        generator.onPeriodicEmit(out);
        // transactions at 5000 wait for the update at 5000: they are judged after it
        assertThat(out.events).containsExactly("4999");

        now = 3 * SECOND - 1;
        generator.onPeriodicEmit(out);
        now = 3 * SECOND;
        generator.onPeriodicEmit(out);
        assertThat(out.events).containsExactly("4999", "4999", "idle");

        // a later version: active again, with its time
        generator.onEvent(new ReferenceUpdate(), 9_000, out);
        generator.onPeriodicEmit(out);
        now = 4 * SECOND;
        generator.onPeriodicEmit(out);
        assertThat(out.events).containsExactly("4999", "4999", "idle", "8999", "idle");
    }

    private static final class Recorder implements WatermarkOutput {
        final List<String> events = new ArrayList<>();

        @Override
        public void emitWatermark(Watermark watermark) {
            events.add(Long.toString(watermark.getTimestamp()));
        }

        @Override
        public void markIdle() {
            events.add("idle");
        }

        @Override
        public void markActive() {
            events.add("active");
        }
    }
}
