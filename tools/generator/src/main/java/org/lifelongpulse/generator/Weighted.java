package org.lifelongpulse.generator;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** A fixed list of choices with weights, drawn by binary search over the cumulative weights. */
final class Weighted<T> {

    private final List<T> items;
    private final double[] cumulative;

    Weighted(List<T> items, double[] weights) {
        if (items.size() != weights.length || items.isEmpty()) {
            throw new IllegalArgumentException("one weight per item, at least one item");
        }
        this.items = List.copyOf(items);
        this.cumulative = new double[weights.length];
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            sum += weights[i];
            cumulative[i] = sum;
        }
    }

    T draw(SplittableRandom random) {
        return items.get(drawIndex(random));
    }

    int drawIndex(SplittableRandom random) {
        double u = random.nextDouble() * cumulative[cumulative.length - 1];
        int i = Arrays.binarySearch(cumulative, u);
        return Math.min(i >= 0 ? i + 1 : -i - 1, cumulative.length - 1);
    }
}
