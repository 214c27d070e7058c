package org.lifelongpulse.cli.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Nearest-rank percentiles of measured values. */
final class Percentiles {

    private Percentiles() {}

    /** The nearest-rank {@code p} percentile (0 < p ≤ 1); -1 when there is nothing measured. */
    static long of(List<Long> values, double p) {
        if (values.isEmpty()) {
            return -1;
        }
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size(), rank) - 1));
    }
}
