package org.lifelongpulse.admission;

import java.time.Duration;

/**
 * The one definition of "the minute" of an event: minutes of event time since the epoch (UTC and
 * Asia/Shanghai agree on minute boundaries). Per-minute windows, the lateness check, running
 * distinct counts and ledger minutes all floor event time with it.
 */
public final class EventMinute {

    /** The length of a minute of event time. */
    public static final Duration LENGTH = Duration.ofMinutes(1);

    /** The same in milliseconds. */
    public static final long MILLIS = LENGTH.toMillis();

    private EventMinute() {}

    /** Start of the minute holding {@code eventTime} (floored, also before the epoch). */
    public static long startOf(long eventTime) {
        return Math.floorDiv(eventTime, MILLIS) * MILLIS;
    }

    /** The last millisecond of the minute holding {@code eventTime}: its window's max time. */
    public static long lastMilliOf(long eventTime) {
        return startOf(eventTime) + MILLIS - 1;
    }
}
