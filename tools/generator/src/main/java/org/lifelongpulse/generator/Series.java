package org.lifelongpulse.generator;

import java.util.Arrays;

/**
 * Values appended in time order, summed over time windows with two binary searches. A window (from,
 * to] excludes its start; the inclusive variant [from, to] exists so that the truth can reject
 * scenarios whose outcome would depend on that convention.
 */
final class Series {

    private long[] times = new long[64];
    private long[] prefix = new long[65];
    private int size;

    void add(long time, long value) {
        if (size > 0 && time < times[size - 1]) {
            throw new IllegalArgumentException("series values must come in time order");
        }
        if (size == times.length) {
            times = Arrays.copyOf(times, size * 2);
            prefix = Arrays.copyOf(prefix, size * 2 + 1);
        }
        times[size] = time;
        prefix[size + 1] = prefix[size] + value;
        size++;
    }

    /** Sum over (from, to], or [from, to] when {@code inclusiveStart}. */
    long sum(long from, long to, boolean inclusiveStart) {
        int end = upper(to);
        int begin = inclusiveStart ? lower(from) : upper(from);
        return begin >= end ? 0 : prefix[end] - prefix[begin];
    }

    long total() {
        return prefix[size];
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

    /** Index of the first time at or after t. */
    private int lower(long t) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (times[mid] < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
