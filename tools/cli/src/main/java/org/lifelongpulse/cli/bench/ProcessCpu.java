package org.lifelongpulse.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPU time another process has used so far (the local ClickHouse server's): user plus system
 * time from {@code /proc/<pid>/stat}, every thread of the process included. Read before and after a
 * run, the difference is what the process spent meanwhile. Unknown ({@code NaN}) when there is no
 * such file: a stack given by endpoints only, a server in a container, a system without /proc.
 */
public final class ProcessCpu {

    /** Linux's USER_HZ: the unit of the times in {@code /proc/<pid>/stat} on every architecture. */
    static final double TICKS_PER_SECOND = 100.0;

    /** No process to read: every reading is unknown. */
    public static final ProcessCpu NONE = new ProcessCpu(null);

    private final Path stat;

    private ProcessCpu(Path stat) {
        this.stat = stat;
    }

    /** The process with this pid. */
    public static ProcessCpu of(long pid) {
        return new ProcessCpu(Path.of("/proc", Long.toString(pid), "stat"));
    }

    /** Whether readings can be known at all. */
    public boolean known() {
        return stat != null && Files.isReadable(stat);
    }

    /** CPU seconds the process has used since it started; NaN when unknown. */
    public double seconds() {
        if (stat == null) {
            return Double.NaN;
        }
        try {
            return secondsOf(Files.readString(stat));
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /**
     * User plus system time of a {@code /proc/<pid>/stat} line, in seconds. The command name (the
     * second field, in parentheses) may hold spaces and parentheses itself, so the fields are
     * counted from the last {@code ')'}: after it come state (field 3) ... utime (14), stime (15).
     */
    static double secondsOf(String statLine) {
        int end = statLine.lastIndexOf(')');
        if (end < 0) {
            throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + statLine);
        }
        String[] fields = statLine.substring(end + 1).trim().split("\\s+");
        // fields[0] is field 3 (state): utime is field 14, stime field 15
        long utime = Long.parseLong(fields[14 - 3]);
        long stime = Long.parseLong(fields[15 - 3]);
        return (utime + stime) / TICKS_PER_SECOND;
    }
}
