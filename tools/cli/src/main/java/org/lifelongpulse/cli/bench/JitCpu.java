package org.lifelongpulse.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * CPU seconds this JVM's JIT compiler threads ({@code C1 CompilerThread#}, {@code C2
 * CompilerThread#}) have spent so far, read from {@code /proc/self/task}: a run's JVM CPU includes
 * compiling the code it runs for the first time, which a long-running job pays once. The JVM may
 * stop a compiler thread it no longer needs, and a stopped thread's time is gone from {@code
 * /proc}, so a difference over a run is at least what the compilers spent. NaN where {@code /proc}
 * is not there.
 */
final class JitCpu {

    private static final Path TASKS = Path.of("/proc/self/task");

    private JitCpu() {}

    static double seconds() {
        if (!Files.isDirectory(TASKS)) {
            return Double.NaN;
        }
        long ticks = 0;
        try (Stream<Path> tasks = Files.list(TASKS)) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                ticks += compilerTicks(task.resolve("stat"));
            }
        } catch (IOException e) {
            return Double.NaN;
        }
        return ticks / 100.0; // USER_HZ: 100 on Linux
    }

    /**
     * Waits until the compiler threads have been quiet for {@code quiet} (less than a tenth of it
     * spent compiling), or {@code max} has passed: code compiled during a warm-up is queued for the
     * optimizing compiler, and on a busy machine that queue is still being worked off during the
     * next run. Returns the compilers' CPU seconds spent while waiting (NaN without {@code /proc}).
     */
    static double awaitQuiet(Duration quiet, Duration max) throws InterruptedException {
        double start = seconds();
        if (Double.isNaN(start)) {
            return Double.NaN;
        }
        long deadline = System.nanoTime() + max.toNanos();
        double last = start;
        while (System.nanoTime() < deadline) {
            Thread.sleep(quiet.toMillis());
            double now = seconds();
            if (now - last < quiet.toMillis() / 1000.0 / 10) {
                return now - start;
            }
            last = now;
        }
        return last - start;
    }

    /** utime + stime of a compiler thread's {@code stat}; 0 for any other thread or one gone. */
    private static long compilerTicks(Path stat) {
        String line;
        try {
            line = Files.readString(stat);
        } catch (IOException gone) {
            return 0;
        }
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        if (open < 0 || close < open) {
            return 0;
        }
        String name = line.substring(open + 1, close);
        if (!name.startsWith("C1 CompilerThre") && !name.startsWith("C2 CompilerThre")) {
            return 0;
        }
        // after the name: state (field 3), ..., utime (14), stime (15)
        String[] fields = line.substring(close + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
