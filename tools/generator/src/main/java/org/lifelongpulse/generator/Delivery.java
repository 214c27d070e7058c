package org.lifelongpulse.generator;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Sends messages to a sink in order, optionally paced to a wall-clock rate, reporting progress
 * about once a second and stopping cleanly (after a flush) when asked to. Wall-clock time only
 * paces and reports; it never enters the messages.
 */
public final class Delivery {

    /** How a delivery ended. */
    public record Result(long sent, long planned, boolean complete, long elapsedNanos) {

        public double perSecond() {
            return elapsedNanos == 0 ? 0 : sent * 1e9 / elapsedNanos;
        }
    }

    private final double rate;
    private final Consumer<String> progress;
    private final AtomicBoolean stop = new AtomicBoolean();
    private boolean live;

    /**
     * @param rate messages per second, or 0 for as fast as possible
     * @param progress receives progress lines
     */
    public Delivery(double rate, Consumer<String> progress) {
        this.rate = rate;
        this.progress = progress;
    }

    /**
     * Sends no message before its simulated arrival time, read as epoch milliseconds: a world
     * placed in wall-clock time ({@link LivePlacement}) then arrives as a production feed does once
     * it has caught up, with its quiet stretches. Before that the rate applies.
     */
    public Delivery live() {
        live = true;
        return this;
    }

    /** Asks a running delivery to stop after the message in flight; it then flushes. */
    public void stop() {
        stop.set(true);
    }

    public Result send(List<Message> messages, EventSink sink) throws IOException {
        long begin = System.nanoTime();
        long nextReport = begin + TimeUnit.SECONDS.toNanos(1);
        long sent = 0;
        for (Message message : messages) {
            if (stop.get()) {
                break;
            }
            if (rate > 0) {
                long due = begin + (long) (sent * 1e9 / rate);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
            if (live && !awaitArrival(message, sink)) {
                break;
            }
            sink.send(message);
            sent++;
            if ((sent & 255) == 0 || rate > 0) {
                long now = System.nanoTime();
                if (now >= nextReport) {
                    progress.accept(line(sent, messages.size(), now - begin));
                    nextReport = now + TimeUnit.SECONDS.toNanos(1);
                }
            }
        }
        sink.flush();
        long elapsed = System.nanoTime() - begin;
        progress.accept(
                line(sent, messages.size(), elapsed)
                        + (sent < messages.size() ? " (stopped)" : " (done)"));
        return new Result(sent, messages.size(), sent == messages.size(), elapsed);
    }

    /** Waits for the message's arrival time; false when asked to stop meanwhile. */
    private boolean awaitArrival(Message message, EventSink sink) throws IOException {
        long wait = message.arrivalMillis() - System.currentTimeMillis();
        if (wait <= 0) {
            return true;
        }
        sink.flush(); // what was sent before a quiet stretch arrives now, not after it
        if (wait > 5_000) {
            progress.accept(String.format("live: the next message arrives in %d s", wait / 1000));
        }
        while (wait > 0 && !stop.get()) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(Math.min(wait, 200)));
            wait = message.arrivalMillis() - System.currentTimeMillis();
        }
        return !stop.get();
    }

    private static String line(long sent, long planned, long elapsedNanos) {
        double seconds = elapsedNanos / 1e9;
        double perSecond = seconds == 0 ? 0 : sent / seconds;
        long eta = perSecond == 0 ? 0 : Math.round((planned - sent) / perSecond);
        return String.format(
                "sent %,d of %,d (%.1f%%), %,.0f msg/s, elapsed %.0f s, ETA %d s",
                sent,
                planned,
                planned == 0 ? 100.0 : 100.0 * sent / planned,
                perSecond,
                seconds,
                eta);
    }
}
