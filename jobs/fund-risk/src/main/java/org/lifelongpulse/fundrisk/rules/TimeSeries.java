package org.lifelongpulse.fundrisk.rules;

import java.util.Arrays;

/**
 * Values at event times, kept sorted by time, summed over windows {@code (from, to]} (the start
 * excluded, as the rules define their trailing windows). Old values are pruned once no window
 * can reach them. A Flink POJO (kept in keyed state).
 */
public class TimeSeries {

    public long[] times = new long[0];
    public long[] values = new long[0];
    public int size;

    public TimeSeries() {}

    /** Adds a value; an earlier time than the latest is inserted in place. */
    public void add(long time, long value) {
        if (size == times.length) {
            int capacity = Math.max(16, size * 2);
            times = Arrays.copyOf(times, capacity);
            values = Arrays.copyOf(values, capacity);
        }
        int at = upper(time);
        System.arraycopy(times, at, times, at + 1, size - at);
        System.arraycopy(values, at, values, at + 1, size - at);
        times[at] = time;
        values[at] = value;
        size++;
    }

    /** Sum of the values with {@code from < time <= to}. */
    public long sum(long from, long to) {
        long sum = 0;
        for (int i = upper(from); i < size && times[i] <= to; i++) {
            sum += values[i];
        }
        return sum;
    }

    /** Drops the values at or before {@code time}: no window reaches them any more. */
    public void pruneUpTo(long time) {
        int cut = upper(time);
        if (cut == 0) {
            return;
        }
        System.arraycopy(times, cut, times, 0, size - cut);
        System.arraycopy(values, cut, values, 0, size - cut);
        size -= cut;
        if (times.length > 64 && size < times.length / 4) {
            times = Arrays.copyOf(times, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** Index of the first time greater than t. */
    private int upper(long t) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (times[mid] <= t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
