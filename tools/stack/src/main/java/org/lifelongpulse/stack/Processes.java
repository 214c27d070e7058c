package org.lifelongpulse.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Starting detached server processes and waiting for them. */
final class Processes {

    private Processes() {}

    /**
     * Starts a server in its own session (when {@code setsid} exists), so that a Ctrl-C in the
     * terminal that ran {@code ./pulse stack up} does not reach it; output goes to {@code log}.
     */
    static Process startDetached(List<String> command, Path workDir, Path log) {
        List<String> full = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            full.add("/usr/bin/setsid");
        }
        full.addAll(command);
        try {
            Files.createDirectories(log.getParent());
            return new ProcessBuilder(full)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
        } catch (IOException e) {
            throw new StackException(
                    "could not start " + command.get(0) + ": " + e.getMessage(), e);
        }
    }

    /** Runs a short command to completion; fails with its output when it exits non-zero. */
    static void run(List<String> command, Path workDir, Path log, long timeoutSeconds) {
        try {
            Files.createDirectories(log.getParent());
            Process p =
                    new ProcessBuilder(command)
                            .directory(workDir.toFile())
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                            .start();
            if (!p.waitFor(timeoutSeconds, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new StackException(
                        command.get(0)
                                + " did not finish within "
                                + timeoutSeconds
                                + " s; see "
                                + log);
            }
            if (p.exitValue() != 0) {
                throw new StackException(
                        "command failed (exit "
                                + p.exitValue()
                                + "): "
                                + String.join(" ", command.subList(0, Math.min(6, command.size())))
                                + " ...\n"
                                + tail(log, 15));
            }
        } catch (IOException e) {
            throw new StackException("could not run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while running " + command.get(0), e);
        }
    }

    /** Waits until {@code ready} holds, failing early when the process died, or at the deadline. */
    static void awaitReady(
            String what, Process process, Path log, long timeoutMillis, BooleanSupplier ready) {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (System.nanoTime() < deadline) {
            if (ready.getAsBoolean()) {
                return;
            }
            if (!process.isAlive()) {
                throw new StackException(
                        what
                                + " exited with code "
                                + process.exitValue()
                                + " during start-up. Last lines of "
                                + log
                                + ":\n"
                                + tail(log, 25));
            }
            try {
                process.onExit().get(200, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                // not exited: poll again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StackException("interrupted while waiting for " + what, e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new StackException("waiting for " + what + " failed", e);
            }
        }
        throw new StackException(
                what
                        + " was not ready within "
                        + timeoutMillis / 1000
                        + " s. Last lines of "
                        + log
                        + ":\n"
                        + tail(log, 25));
    }

    static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }
}
