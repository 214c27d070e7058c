package org.lifelongpulse.stack;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A process the stack started, identified by its pid and its start instant, so that a reused pid is
 * never mistaken for ours and {@code down} stops exactly what {@code up} started.
 */
public record ManagedProcess(String name, long pid, Instant startedAt) {

    /** Wraps a freshly started process. */
    public static ManagedProcess of(String name, Process process) {
        Instant start = process.info().startInstant().orElse(Instant.EPOCH);
        return new ManagedProcess(name, process.pid(), start);
    }

    /** The live process when it is still the one we started. */
    public Optional<ProcessHandle> handle() {
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(h -> h.info().startInstant().map(this::sameStart).orElse(false));
    }

    public boolean isAlive() {
        return handle().isPresent();
    }

    /**
     * Stops the process and its descendants: a polite SIGTERM first, SIGKILL after the grace
     * period. Returns true when something was stopped.
     */
    public boolean stop(Duration grace) {
        Optional<ProcessHandle> handle = handle();
        if (handle.isEmpty()) {
            return false;
        }
        ProcessHandle root = handle.get();
        var descendants = root.descendants().toList();
        root.destroy();
        descendants.forEach(ProcessHandle::destroy);
        waitFor(root, grace);
        if (root.isAlive()) {
            root.destroyForcibly();
            waitFor(root, Duration.ofSeconds(10));
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        return true;
    }

    /**
     * Kills the process and its descendants with SIGKILL, as a crash would (no shutdown hooks, no
     * drain), and waits until it is gone: for fault drills. Returns true when it was alive.
     */
    public boolean kill() {
        Optional<ProcessHandle> handle = handle();
        if (handle.isEmpty()) {
            return false;
        }
        ProcessHandle root = handle.get();
        var descendants = root.descendants().toList();
        root.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        waitFor(root, Duration.ofSeconds(10));
        return true;
    }

    private static void waitFor(ProcessHandle handle, Duration timeout) {
        try {
            handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // still alive after the timeout: the caller escalates
        }
    }

    private boolean sameStart(Instant actual) {
        // /proc start times have clock-tick resolution; allow a little slack.
        return Math.abs(Duration.between(startedAt, actual).toMillis()) < 1000;
    }
}
