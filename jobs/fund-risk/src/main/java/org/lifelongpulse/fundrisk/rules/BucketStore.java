package org.lifelongpulse.fundrisk.rules;

/**
 * Where the buckets of one {@link SeriesBuckets} live: keyed state in the job (one map entry per
 * bucket), a map in tests. Buckets handed out may be changed only through {@link #put}.
 */
public interface BucketStore {

    /** The points of the bucket starting at {@code start}, or null. */
    TimeSeries get(long start);

    void put(long start, TimeSeries points);

    void remove(long start);

    /** Start of the earliest bucket holding points, or null when there is none. */
    Long earliest();

    void setEarliest(Long start);
}
