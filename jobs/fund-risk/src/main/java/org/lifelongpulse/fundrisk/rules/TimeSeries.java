package org.lifelongpulse.fundrisk.rules;

import java.util.Arrays;

/**
 * Values at event times, kept sorted by time, summed over windows {@code (from, to]} (the start
 * excluded, as the rules define their trailing windows). The points of one bucket of a {@link
 * SeriesBuckets}; a Flink POJO (fields reached through their accessors).
 */
public class TimeSeries implements WindowSums {

    private long[] times = new long[0];
    private long[] values = new long[0];
    private int size;

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

    @Override
    public long sum(long from, long to) {
        long sum = 0;
        for (int i = upper(from); i < size && times[i] <= to; i++) {
            sum += values[i];
        }
        return sum;
    }

    /**
     * Drops the values at or before {@code time}: no window reaches them any more.
     *
     * @return whether any value was dropped
     */
    public boolean pruneUpTo(long time) {
        int cut = upper(time);
        if (cut == 0) {
            return false;
        }
        System.arraycopy(times, cut, times, 0, size - cut);
        System.arraycopy(values, cut, values, 0, size - cut);
        size -= cut;
        if (times.length > 64 && size < times.length / 4) {
            times = Arrays.copyOf(times, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        return true;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** The earliest time; Long.MAX_VALUE when empty. */
    public long firstTime() {
        return size == 0 ? Long.MAX_VALUE : times[0];
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

    // Flink POJO accessors: the state serializer's view, not for the rules

    public long[] getTimes() {
        return times;
    }

    public void setTimes(long[] times) {
        this.times = times;
    }

    public long[] getValues() {
        return values;
    }

    public void setValues(long[] values) {
        this.values = values;
    }

    public int getSize() {
        return size;
    }

    public void setSize(int size) {
        this.size = size;
    }
}
