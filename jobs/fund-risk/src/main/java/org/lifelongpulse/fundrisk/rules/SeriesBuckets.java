package org.lifelongpulse.fundrisk.rules;

/**
 * A series kept in buckets of one week of event time, so that adding a value reads and writes one
 * bucket, a window sum reads the buckets it spans, and old buckets are evicted whole. It keeps
 * exactly the points one {@link TimeSeries} pruned with {@link #prune} would keep: window sums are
 * the same, whatever the bucket width.
 */
public final class SeriesBuckets implements WindowSums {

    /** Width of a bucket. */
    public static final long WIDTH = 7 * RuleSettings.DAY;

    private final BucketStore store;

    public SeriesBuckets(BucketStore store) {
        this.store = store;
    }

    /** Start of the bucket holding {@code time}. */
    public static long bucketOf(long time) {
        return Math.floorDiv(time, WIDTH) * WIDTH;
    }

    /** Adds a value at {@code time}. */
    public void add(long time, long value) {
        long bucket = bucketOf(time);
        TimeSeries points = store.get(bucket);
        if (points == null) {
            points = new TimeSeries();
        }
        points.add(time, value);
        store.put(bucket, points);
        Long earliest = store.earliest();
        if (earliest == null || bucket < earliest) {
            store.setEarliest(bucket);
        }
    }

    @Override
    public long sum(long from, long to) {
        Long earliest = store.earliest();
        if (earliest == null || to <= from) {
            return 0;
        }
        long sum = 0;
        for (long b = Math.max(bucketOf(from), earliest); b <= bucketOf(to); b += WIDTH) {
            TimeSeries points = store.get(b);
            if (points != null) {
                sum += points.sum(from, to);
            }
        }
        return sum;
    }

    /**
     * Once the oldest value is more than a day older than {@code now - lookback}, drops every value
     * at or before {@code now - lookback} (no window reaches them) and the buckets left empty: a
     * day's worth at a time rather than after every transaction. Values are never later than {@code
     * now}.
     */
    public void prune(long now, long lookback) {
        Long earliest = store.earliest();
        if (earliest == null) {
            return;
        }
        TimeSeries first = store.get(earliest);
        if (first != null && first.firstTime() >= now - lookback - RuleSettings.DAY) {
            return;
        }
        long cut = now - lookback;
        for (long b = earliest; b <= bucketOf(now); b += WIDTH) {
            TimeSeries points = store.get(b);
            if (points == null) {
                continue;
            }
            if (points.pruneUpTo(cut)) {
                if (points.isEmpty()) {
                    store.remove(b);
                    continue;
                }
                store.put(b, points);
            }
            store.setEarliest(b);
            return;
        }
        store.setEarliest(null);
    }
}
