package org.lifelongpulse.generator;

import java.time.Instant;
import java.time.ZoneId;
import org.lifelongpulse.contracts.JsonForm;

/** Simulated event time is epoch milliseconds; these are its units and its printed form. */
final class Time {

    static final long SECOND = 1_000L;
    static final long MINUTE = 60 * SECOND;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    static final ZoneId ZONE = JsonForm.ZONE;

    private Time() {}

    static String format(long millis) {
        return JsonForm.formatInstant(Instant.ofEpochMilli(millis));
    }

    /**
     * Hour of the world's day: hours since the last midnight of the world's day grid, which starts
     * at {@code gridStart}. For a world starting at a local midnight (the default) this is the
     * local hour in Asia/Shanghai; a world placed at another minute keeps its rhythm.
     */
    static int hourOfDay(long millis, long gridStart) {
        return (int) (Math.floorMod(millis - gridStart, DAY) / HOUR);
    }
}
