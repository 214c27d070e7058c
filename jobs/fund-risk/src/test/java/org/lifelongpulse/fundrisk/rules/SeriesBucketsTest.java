package org.lifelongpulse.fundrisk.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lifelongpulse.fundrisk.Transactions.DAY;
import static org.lifelongpulse.fundrisk.Transactions.at;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Week buckets: sums across bucket edges, eviction of whole buckets and pruning inside the oldest
 * one, with the values and the buckets left worked out by hand.
 */
class SeriesBucketsTest {

    static final long WEEK = SeriesBuckets.WIDTH;

    /** A bucket start (Thursday 1970-01-01 + k weeks), so that edges are easy to name. */
    static final long B = SeriesBuckets.bucketOf(at("2020-10-01T00:00"));

    /** Buckets in a map, as the keyed state holds them. */
    static final class MapBuckets implements BucketStore {
        final Map<Long, TimeSeries> buckets = new HashMap<>();
        Long earliest;

        @Override
        public TimeSeries get(long start) {
            return buckets.get(start);
        }

        @Override
        public void put(long start, TimeSeries points) {
            buckets.put(start, points);
        }

        @Override
        public void remove(long start) {
            buckets.remove(start);
        }

        @Override
        public Long earliest() {
            return earliest;
        }

        @Override
        public void setEarliest(Long start) {
            earliest = start;
        }
    }

    @Test
    void sumsWindowsAcrossBucketEdgesExcludingTheStart() {
        MapBuckets store = new MapBuckets();
        SeriesBuckets series = new SeriesBuckets(store);
        series.add(B + WEEK - 1, 10); // last milli of bucket 0
        series.add(B + WEEK, 20); // first milli of bucket 1
        series.add(B + 2 * WEEK + DAY, 40);
        assertThat(store.buckets).containsOnlyKeys(B, B + WEEK, B + 2 * WEEK);
        assertThat(store.earliest).isEqualTo(B);

        assertThat(series.sum(B, B + 3 * WEEK)).isEqualTo(70);
        assertThat(series.sum(B + WEEK - 1, B + 3 * WEEK)).isEqualTo(60); // start excluded
        assertThat(series.sum(B + WEEK - 2, B + WEEK)).isEqualTo(30);
        assertThat(series.sum(B + 2 * WEEK + DAY, B + 9 * WEEK)).isZero();
        assertThat(series.sum(B - 10 * WEEK, B - WEEK)).isZero();
    }

    @Test
    void evictsWholeBucketsAndPrunesInsideTheOldestKept() {
        MapBuckets store = new MapBuckets();
        SeriesBuckets series = new SeriesBuckets(store);
        series.add(B + DAY, 1);
        series.add(B + 3 * DAY, 2);
        series.add(B + WEEK + DAY, 4);
        series.add(B + WEEK + 5 * DAY, 8);
        series.add(B + 3 * WEEK, 16);
        long lookback = 2 * WEEK;

        // oldest value (B + 1 d) is not yet more than a day older than now - lookback
        series.prune(B + 2 * WEEK + 2 * DAY, lookback);
        assertThat(store.buckets).containsOnlyKeys(B, B + WEEK, B + 3 * WEEK);

        // now - lookback = B + WEEK + 2 d: bucket 0 goes whole, B + WEEK + 1 d is cut
        series.prune(B + 3 * WEEK + 2 * DAY, lookback);
        assertThat(store.buckets).containsOnlyKeys(B + WEEK, B + 3 * WEEK);
        assertThat(store.earliest).isEqualTo(B + WEEK);
        assertThat(series.sum(Long.MIN_VALUE / 2, B + 4 * WEEK)).isEqualTo(8 + 16);

        // everything older than the last value goes, and then that one too
        series.prune(B + 5 * WEEK - DAY, lookback); // cut at B + 3 w - 1 d
        assertThat(store.buckets).containsOnlyKeys(B + 3 * WEEK);
        series.prune(B + 9 * WEEK, lookback);
        assertThat(store.buckets).isEmpty();
        assertThat(store.earliest).isNull();
        assertThat(series.sum(B, B + 10 * WEEK)).isZero();
    }

    @Test
    void keepsWhatOneSeriesPrunedTheSameWayKeeps() {
        MapBuckets store = new MapBuckets();
        SeriesBuckets buckets = new SeriesBuckets(store);
        TimeSeries whole = new TimeSeries();
        long lookback = 35 * DAY;
        long t = B;
        for (int i = 0; i < 2_000; i++) {
            t += (i * 7919L) % (11 * 3_600_000L); // irregular gaps up to 11 h
            buckets.add(t, i);
            whole.add(t, i);
            buckets.prune(t, lookback);
            if (whole.firstTime() < t - lookback - DAY) {
                whole.pruneUpTo(t - lookback);
            }
            for (long w : new long[] {DAY, 7 * DAY, 30 * DAY, lookback}) {
                assertThat(buckets.sum(t - w, t)).isEqualTo(whole.sum(t - w, t));
            }
        }
        assertThat(buckets.sum(Long.MIN_VALUE / 2, t)).isEqualTo(whole.sum(Long.MIN_VALUE / 2, t));
    }
}
