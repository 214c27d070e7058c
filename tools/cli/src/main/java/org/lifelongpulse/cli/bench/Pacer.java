package org.lifelongpulse.cli.bench;

import java.util.concurrent.locks.LockSupport;

/** A steady sending rate: message {@code i} is due {@code i / rate} seconds after the start. */
final class Pacer {

    private final long start = System.nanoTime();
    private final double nanosPerMessage;

    Pacer(double ratePerSecond) {
        this.nanosPerMessage = 1e9 / ratePerSecond;
    }

    /** Waits until message {@code i} is due. */
    void await(long i) {
        long due = start + (long) (i * nanosPerMessage);
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
            LockSupport.parkNanos(Math.min(wait, 200_000));
        }
    }
}
