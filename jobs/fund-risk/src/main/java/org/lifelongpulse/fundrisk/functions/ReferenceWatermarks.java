package org.lifelongpulse.fundrisk.functions;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.apache.flink.api.common.eventtime.TimestampAssigner;
import org.apache.flink.api.common.eventtime.TimestampAssignerSupplier;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.lifelongpulse.fundrisk.records.ReferenceUpdate;

/**
 * Event time of the broadcast side (institution versions and rule settings): the newest update's
 * time while the reference topics are delivering, idle once they have caught up.
 *
 * <p>A transaction is judged once the watermark passes it, and the watermark is the lesser of the
 * transactions' and this side's. Holding this side at its newest update until the generic idleness
 * timeout (30 s) would stall every transaction behind each new institution version in a live feed.
 * So: before the first update arrives, the side holds back for {@code startup} (a fresh job must
 * read the reference data before judging anything); after it, {@code quiet} of silence means caught
 * up and the side goes idle. A later update makes it active again; it holds the watermark back only
 * when its time lies ahead of what was already emitted.
 */
public final class ReferenceWatermarks implements WatermarkStrategy<ReferenceUpdate> {

    private static final long serialVersionUID = 1L;

    private final long startupNanos;
    private final long quietNanos;

    /**
     * @param startup silence before the first update after which the side goes idle anyway (empty
     *     reference topics)
     * @param quiet silence after an update after which the side counts as caught up
     */
    public ReferenceWatermarks(Duration startup, Duration quiet) {
        this.startupNanos = startup.toNanos();
        this.quietNanos = quiet.toNanos();
    }

    @Override
    public WatermarkGenerator<ReferenceUpdate> createWatermarkGenerator(
            WatermarkGeneratorSupplier.Context context) {
        return new Generator(startupNanos, quietNanos, System::nanoTime);
    }

    @Override
    public TimestampAssigner<ReferenceUpdate> createTimestampAssigner(
            TimestampAssignerSupplier.Context context) {
        return (update, previous) -> update.effectiveAt();
    }

    /** The generator, on a given clock (tests). */
    static final class Generator implements WatermarkGenerator<ReferenceUpdate> {

        private final long startupNanos;
        private final long quietNanos;
        private final LongSupplier clock;
        private long newest = Long.MIN_VALUE;
        private boolean seen;
        private long lastArrival;

        Generator(long startupNanos, long quietNanos, LongSupplier clock) {
            this.startupNanos = startupNanos;
            this.quietNanos = quietNanos;
            this.clock = clock;
            this.lastArrival = clock.getAsLong();
        }

        @Override
        public void onEvent(ReferenceUpdate update, long timestamp, WatermarkOutput output) {
            newest = Math.max(newest, timestamp);
            seen = true;
            lastArrival = clock.getAsLong();
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            long silent = clock.getAsLong() - lastArrival;
            if (silent >= (seen ? quietNanos : startupNanos)) {
                output.markIdle();
            } else if (newest != Long.MIN_VALUE) {
                // an update at t applies to transactions at t: they wait for it
                output.emitWatermark(new Watermark(newest - 1));
            }
        }
    }
}
