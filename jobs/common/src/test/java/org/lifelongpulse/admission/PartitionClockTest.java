package org.lifelongpulse.admission;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Bound 10 s, live horizon 5 min. Hand-worked: an event at event time T that arrives at wall time W
 * stands the clock at T - 10 s - 1 ms; if W - T is at most 5 min, the clock then gains what the
 * wall clock gains after W.
 */
class PartitionClockTest {

    private static final long BOUND = 10_000;
    private static final long HORIZON = 300_000;
    private static final long T = 1_700_000_000_000L;

    @Test
    void holdsBackUntilTheFirstEvent() {
        PartitionClock clock = new PartitionClock(BOUND, HORIZON);
        assertThat(clock.watermarkAt(T)).isEqualTo(Long.MIN_VALUE);
        clock.onEvent(Long.MIN_VALUE, T); // a dead letter carries no time
        assertThat(clock.watermarkAt(T + 60_000)).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void aReplayOnlyMovesWithItsEvents() {
        PartitionClock clock = new PartitionClock(BOUND, HORIZON);
        long old = T - 86_400_000L; // a day behind the wall clock
        clock.onEvent(old, T);
        assertThat(clock.live()).isFalse();
        assertThat(clock.watermarkAt(T)).isEqualTo(old - BOUND - 1);
        assertThat(clock.watermarkAt(T + 3_600_000)).isEqualTo(old - BOUND - 1);
        clock.onEvent(old + 30_000, T + 3_600_000);
        assertThat(clock.watermarkAt(T + 3_600_000)).isEqualTo(old + 30_000 - BOUND - 1);
    }

    @Test
    void aQuietLivePartitionKeepsPaceWithTheWallClock() {
        PartitionClock clock = new PartitionClock(BOUND, HORIZON);
        clock.onEvent(T, T + 2_000); // arrived 2 s after it happened: live
        assertThat(clock.live()).isTrue();
        assertThat(clock.watermarkAt(T + 2_000)).isEqualTo(T - BOUND - 1);
        // 45 s of silence: event time has moved 45 s on, still 10 s behind
        assertThat(clock.watermarkAt(T + 47_000)).isEqualTo(T + 45_000 - BOUND - 1);
    }

    @Test
    void neverGoesBack() {
        PartitionClock clock = new PartitionClock(BOUND, HORIZON);
        clock.onEvent(T, T);
        long paced = clock.watermarkAt(T + 60_000);
        assertThat(paced).isEqualTo(T + 60_000 - BOUND - 1);
        // an older event, and then a newer one that is still behind what the wall clock gave
        clock.onEvent(T - 5_000, T + 60_000);
        assertThat(clock.watermarkAt(T + 60_000)).isEqualTo(paced);
        clock.onEvent(T + 20_000, T + 61_000);
        assertThat(clock.watermarkAt(T + 61_000)).isEqualTo(paced);
        // it paces on from the newer event, and passes what it had once that is further on
        assertThat(clock.watermarkAt(T + 101_000)).isEqualTo(paced);
        assertThat(clock.watermarkAt(T + 111_000)).isEqualTo(T + 20_000 + 50_000 - BOUND - 1);
    }

    @Test
    void anEventFurtherBehindThanTheHorizonEndsLivePacing() {
        PartitionClock clock = new PartitionClock(BOUND, HORIZON);
        clock.onEvent(T, T);
        clock.onEvent(T + 1_000, T + 1_000 + HORIZON + 1); // a backlog now
        long stood = clock.watermarkAt(T + 1_000 + HORIZON + 1);
        assertThat(clock.watermarkAt(T + 2 * HORIZON)).isEqualTo(stood);
    }

    @Test
    void aRestoredClockKeepsItsPlaceAndWaitsForANewerEventToPaceAgain() {
        PartitionClock clock = PartitionClock.restored(BOUND, HORIZON, T, T + 30_000);
        assertThat(clock.live()).isFalse();
        assertThat(clock.watermarkAt(T + 600_000)).isEqualTo(T + 30_000);
        clock.onEvent(T - 1_000, T + 600_000); // replayed after the restore: not newer
        assertThat(clock.watermarkAt(T + 700_000)).isEqualTo(T + 30_000);
        clock.onEvent(T + 700_000, T + 700_500);
        assertThat(clock.live()).isTrue();
        assertThat(clock.watermarkAt(T + 710_500)).isEqualTo(T + 710_000 - BOUND - 1);
    }

    @Test
    void aNegativeHorizonTurnsTheWallClockOff() {
        PartitionClock clock = new PartitionClock(BOUND, -1);
        clock.onEvent(T, T);
        assertThat(clock.watermarkAt(T + 600_000)).isEqualTo(T - BOUND - 1);
    }
}
