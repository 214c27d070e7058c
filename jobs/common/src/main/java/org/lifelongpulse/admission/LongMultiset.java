package org.lifelongpulse.admission;

/**
 * A multiset of 64-bit values: per value, how many times it was added and not yet removed. Two
 * arrays, of values and of counts (open addressing, linear probing, removal by shifting the entries
 * after a hole back into it), without boxing: 12 bytes per slot, at most two thirds full. A count
 * of 0 marks a free slot, so every value, 0 among them, can be held.
 */
final class LongMultiset {

    private long[] values = new long[16];
    private int[] counts = new int[16];
    private int size;

    /** How many distinct values it holds. */
    int size() {
        return size;
    }

    boolean contains(long value) {
        return counts[slotOf(value)] > 0;
    }

    /** Adds one of {@code value}. */
    void add(long value) {
        if (3 * (size + 1) > 2 * values.length) {
            grow();
        }
        int i = slotOf(value);
        if (counts[i] == 0) {
            values[i] = value;
            size++;
        }
        counts[i]++;
    }

    /**
     * Removes one of {@code value}; the value is gone once removed as often as it was added.
     *
     * @throws IllegalStateException if {@code value} is not there
     */
    void remove(long value) {
        int i = slotOf(value);
        if (counts[i] == 0) {
            throw new IllegalStateException("not in the multiset: " + value);
        }
        if (--counts[i] == 0) {
            size--;
            closeHole(i);
        }
    }

    /** The slot holding {@code value}, else the free slot where it would go. */
    private int slotOf(long value) {
        int mask = values.length - 1;
        int i = indexOf(value, mask);
        while (counts[i] != 0 && values[i] != value) {
            i = (i + 1) & mask;
        }
        return i;
    }

    /**
     * Moves back into the free slot {@code hole} the next entry of the run after it that may sit
     * there (its home slot is not between the hole and itself), and so on, so that every value is
     * found again by probing from its home slot.
     */
    private void closeHole(int hole) {
        int mask = values.length - 1;
        for (int i = (hole + 1) & mask; counts[i] != 0; i = (i + 1) & mask) {
            int home = indexOf(values[i], mask);
            if (((i - home) & mask) >= ((i - hole) & mask)) {
                values[hole] = values[i];
                counts[hole] = counts[i];
                counts[i] = 0;
                hole = i;
            }
        }
    }

    private void grow() {
        long[] oldValues = values;
        int[] oldCounts = counts;
        values = new long[oldValues.length * 2];
        counts = new int[oldValues.length * 2];
        int mask = values.length - 1;
        for (int j = 0; j < oldValues.length; j++) {
            if (oldCounts[j] != 0) {
                int i = indexOf(oldValues[j], mask);
                while (counts[i] != 0) {
                    i = (i + 1) & mask;
                }
                values[i] = oldValues[j];
                counts[i] = oldCounts[j];
            }
        }
    }

    /** A slot from all the value's bits (the values of one bucket share their low bits). */
    private static int indexOf(long value, int mask) {
        return (int) ((value * 0x9E3779B97F4A7C15L) >>> 32) & mask;
    }
}
