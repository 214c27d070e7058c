package org.lifelongpulse.admission;

/**
 * A set of 64-bit values in one array (open addressing, linear probing), without boxing: 8 bytes
 * per slot, at most two thirds full. No removal; a set is rebuilt instead.
 */
final class LongHashSet {

    private static final long EMPTY = 0L;

    private long[] slots = new long[16];
    private int size;
    private boolean hasEmptyValue;

    int size() {
        return size + (hasEmptyValue ? 1 : 0);
    }

    boolean contains(long value) {
        if (value == EMPTY) {
            return hasEmptyValue;
        }
        int mask = slots.length - 1;
        for (int i = indexOf(value, mask); ; i = (i + 1) & mask) {
            long v = slots[i];
            if (v == value) {
                return true;
            }
            if (v == EMPTY) {
                return false;
            }
        }
    }

    /** Adds {@code value}; true if it was not there. */
    boolean add(long value) {
        if (value == EMPTY) {
            boolean added = !hasEmptyValue;
            hasEmptyValue = true;
            return added;
        }
        if (3 * (size + 1) > 2 * slots.length) {
            grow();
        }
        int mask = slots.length - 1;
        for (int i = indexOf(value, mask); ; i = (i + 1) & mask) {
            long v = slots[i];
            if (v == value) {
                return false;
            }
            if (v == EMPTY) {
                slots[i] = value;
                size++;
                return true;
            }
        }
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        int mask = slots.length - 1;
        for (long v : old) {
            if (v != EMPTY) {
                int i = indexOf(v, mask);
                while (slots[i] != EMPTY) {
                    i = (i + 1) & mask;
                }
                slots[i] = v;
            }
        }
    }

    /** A slot from all the value's bits (the values of one bucket share their low bits). */
    private static int indexOf(long value, int mask) {
        return (int) ((value * 0x9E3779B97F4A7C15L) >>> 32) & mask;
    }
}
