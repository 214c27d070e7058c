package org.lifelongpulse.admission;

/**
 * The event-time clock of one Kafka partition: the one notion of "how far event time has got" that
 * both the source's watermark ({@link LiveWatermarks}) and the lateness check ({@link AdmitInTime})
 * read, so that what admission lets through no window or timer downstream can find behind its
 * watermark.
 *
 * <p>The clock stands at the newest event time seen minus the out-of-orderness bound (minus 1 ms,
 * as Flink's bounded-out-of-orderness generator does). A partition that has seen no event holds the
 * clock back: the job's event time waits for every partition it reads.
 *
 * <p><b>Live partitions keep pace with the wall clock.</b> When the newest event arrived at most
 * {@code liveHorizon} after its own event time, the partition is live: from then on, while no newer
 * event arrives, its event time moves on with the wall clock from that event, still {@code
 * outOfOrderness} behind. So the last minutes of an evening close, and a night-time payment is
 * judged, without waiting for the next morning's first event. A replay of old data, or a backlog
 * after an outage, is never live: its clock moves only with its events, so the same events are late
 * whatever the speed of the replay.
 *
 * <p>The clock never goes back. Plain Java and single-threaded; wall-clock time is passed in.
 */
public final class PartitionClock {

    private final long outOfOrdernessMillis;
    private final long liveHorizonMillis;

    private long newest = Long.MIN_VALUE;
    private long newestArrivedAt;
    private boolean live;
    private long watermark = Long.MIN_VALUE;

    /**
     * @param outOfOrdernessMillis how far behind the newest event an event may arrive
     * @param liveHorizonMillis the most an event may arrive after its event time for its partition
     *     to count as live; negative turns the wall clock off
     */
    public PartitionClock(long outOfOrdernessMillis, long liveHorizonMillis) {
        this.outOfOrdernessMillis = outOfOrdernessMillis;
        this.liveHorizonMillis = liveHorizonMillis;
    }

    /**
     * A clock restored from a checkpoint: it stands where it stood, and is not live until a newer
     * event shows that the partition is (the restart itself is no quiet stretch).
     */
    public static PartitionClock restored(
            long outOfOrdernessMillis, long liveHorizonMillis, long newest, long watermark) {
        PartitionClock clock = new PartitionClock(outOfOrdernessMillis, liveHorizonMillis);
        clock.newest = newest;
        clock.watermark = Math.max(watermark, boundedBy(newest, outOfOrdernessMillis));
        return clock;
    }

    /** An event with this event time arrived at wall-clock time {@code now}. */
    public void onEvent(long eventTime, long now) {
        if (eventTime == Long.MIN_VALUE || (newest != Long.MIN_VALUE && eventTime <= newest)) {
            return;
        }
        newest = eventTime;
        newestArrivedAt = now;
        live = liveHorizonMillis >= 0 && now - eventTime <= liveHorizonMillis;
        watermark = Math.max(watermark, boundedBy(newest, outOfOrdernessMillis));
    }

    /**
     * The clock at wall-clock time {@code now}: the watermark this partition stands at. Reading it
     * moves it on (a live partition's clock keeps what the wall clock gave it).
     */
    public long watermarkAt(long now) {
        if (live && now > newestArrivedAt) {
            long paced = boundedBy(newest, outOfOrdernessMillis) + (now - newestArrivedAt);
            watermark = Math.max(watermark, paced);
        }
        return watermark;
    }

    /** The newest event time seen, {@link Long#MIN_VALUE} before the first event. */
    public long newest() {
        return newest;
    }

    /** Whether the newest event arrived close enough to its event time to pace with the wall. */
    public boolean live() {
        return live;
    }

    private static long boundedBy(long newest, long outOfOrdernessMillis) {
        return newest == Long.MIN_VALUE ? Long.MIN_VALUE : newest - outOfOrdernessMillis - 1;
    }
}
