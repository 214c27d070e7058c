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

    /** Local hour of day in Asia/Shanghai, a whole-hour offset from UTC (+8, no DST since 1991). */
    static int localHour(long millis) {
        return (int) Math.floorMod(millis + 8 * HOUR, DAY) / (int) HOUR;
    }
}
