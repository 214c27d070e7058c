package org.lifelongpulse.admission;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.TimestampAssigner;
import org.apache.flink.api.common.eventtime.TimestampAssignerSupplier;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * The sources' watermarks: one {@link PartitionClock} per Kafka partition (Flink creates a
 * generator per split), the same clock {@link AdmitInTime} judges lateness by.
 *
 * <p>There is deliberately no idleness timeout. Flink leaves an idle partition out of the combined
 * watermark, so a partition that wakes up behind the others would have its events dropped by the
 * windows although admission, on the partition's own clock, had let them through. Instead a quiet
 * <em>live</em> partition moves on with the wall clock (see {@link PartitionClock}); a quiet
 * partition of a replay holds event time where its events left it, and a drain or the end of a
 * bounded input ends event time as usual.
 */
public final class LiveWatermarks<O extends Admissible> implements WatermarkStrategy<Decoded<O>> {

    private static final long serialVersionUID = 1L;

    private final long outOfOrdernessMillis;
    private final long liveHorizonMillis;
    private final WallClock wallClock;

    public LiveWatermarks(Duration outOfOrderness, Duration liveHorizon) {
        this(outOfOrderness, liveHorizon, WallClock.SYSTEM);
    }

    /** On a given wall clock (tests). */
    public LiveWatermarks(Duration outOfOrderness, Duration liveHorizon, WallClock wallClock) {
        this.outOfOrdernessMillis = outOfOrderness.toMillis();
        this.liveHorizonMillis = liveHorizon.toMillis();
        this.wallClock = wallClock;
    }

    @Override
    public WatermarkGenerator<Decoded<O>> createWatermarkGenerator(
            WatermarkGeneratorSupplier.Context context) {
        return new Generator<>(
                new PartitionClock(outOfOrdernessMillis, liveHorizonMillis), wallClock);
    }

    @Override
    public TimestampAssigner<Decoded<O>> createTimestampAssigner(
            TimestampAssignerSupplier.Context context) {
        return (decoded, previous) -> decoded.eventTime();
    }

    /** One partition's generator. */
    static final class Generator<O extends Admissible> implements WatermarkGenerator<Decoded<O>> {

        private final PartitionClock clock;
        private final WallClock wallClock;

        Generator(PartitionClock clock, WallClock wallClock) {
            this.clock = clock;
            this.wallClock = wallClock;
        }

        @Override
        public void onEvent(Decoded<O> decoded, long timestamp, WatermarkOutput output) {
            clock.onEvent(timestamp, wallClock.getAsLong());
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            long watermark = clock.watermarkAt(wallClock.getAsLong());
            if (watermark != Long.MIN_VALUE) {
                output.emitWatermark(new Watermark(watermark));
            }
        }
    }
}
