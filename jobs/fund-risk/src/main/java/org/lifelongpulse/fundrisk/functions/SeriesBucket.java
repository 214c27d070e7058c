package org.lifelongpulse.fundrisk.functions;

import org.lifelongpulse.fundrisk.rules.Series;

/**
 * The map key of one bucket of one series in an institution's keyed state. {@link #hashCode} uses
 * the series' name, not the enum's identity hash, so that it is the same in every JVM.
 */
public record SeriesBucket(Series series, long start) {

    @Override
    public int hashCode() {
        return 31 * series.name().hashCode() + Long.hashCode(start);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SeriesBucket b && series == b.series && start == b.start;
    }
}
