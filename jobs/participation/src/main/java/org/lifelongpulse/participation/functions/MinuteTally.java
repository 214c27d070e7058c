package org.lifelongpulse.participation.functions;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * What one minute of one group adds up to: visits, exact distinct learners, seconds, credits.
 *
 * <p>A learner whose id is a pseudonym as {@code LearnerPseudonym} writes it (32 lowercase hex
 * digits, 128 bits) is kept as its two 64-bit halves in {@link #pseudonyms}, pairs in ascending
 * order: the same information as the string, without a string to serialize at every state access
 * (on RocksDB each event reads and writes its minute's tally). Any other id is kept as it is in
 * {@link #learners}, which is also where a tally restored from a savepoint before this field keeps
 * its learners; no learner is in both, so their sizes add up to the distinct count.
 */
public class MinuteTally {

    public long visits;
    public long learningSeconds;
    public long creditPoints;

    /** Learners whose id is not a pseudonym, and those of a tally from an older savepoint. */
    public Set<String> learners = new HashSet<>();

    /**
     * Pseudonymous learners: high and low half of each, as consecutive pairs in ascending order
     * (unsigned); null when there are none.
     */
    public long[] pseudonyms;

    public MinuteTally() {}

    public long uniqueLearners() {
        return learners.size() + (pseudonyms == null ? 0 : pseudonyms.length / 2);
    }

    /** Counts {@code learner} once. */
    public void addLearner(String learner) {
        if (!isPseudonym(learner)) {
            learners.add(learner);
            return;
        }
        if (!learners.isEmpty() && learners.contains(learner)) {
            return; // restored as a string
        }
        addPseudonym(halfOf(learner, 0), halfOf(learner, 16));
    }

    /** Every learner of {@code other} (counted once). */
    public void addLearners(MinuteTally other) {
        for (String learner : other.learners) {
            addLearner(learner);
        }
        if (other.pseudonyms != null) {
            for (int i = 0; i < other.pseudonyms.length; i += 2) {
                long high = other.pseudonyms[i];
                long low = other.pseudonyms[i + 1];
                if (learners.isEmpty() || !learners.contains(pseudonymOf(high, low))) {
                    addPseudonym(high, low);
                }
            }
        }
    }

    private void addPseudonym(long high, long low) {
        if (pseudonyms == null) {
            pseudonyms = new long[] {high, low};
            return;
        }
        int pairs = pseudonyms.length / 2;
        int lo = 0;
        int hi = pairs - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = compare(pseudonyms[2 * mid], pseudonyms[2 * mid + 1], high, low);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return;
            }
        }
        long[] grown = Arrays.copyOf(pseudonyms, pseudonyms.length + 2);
        System.arraycopy(pseudonyms, 2 * lo, grown, 2 * lo + 2, pseudonyms.length - 2 * lo);
        grown[2 * lo] = high;
        grown[2 * lo + 1] = low;
        pseudonyms = grown;
    }

    private static int compare(long aHigh, long aLow, long bHigh, long bLow) {
        int c = Long.compareUnsigned(aHigh, bHigh);
        return c != 0 ? c : Long.compareUnsigned(aLow, bLow);
    }

    /** 32 characters, each {@code 0-9} or {@code a-f}: one string per 128-bit value. */
    static boolean isPseudonym(String id) {
        if (id == null || id.length() != 32) {
            return false;
        }
        for (int i = 0; i < 32; i++) {
            char c = id.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    private static long halfOf(String id, int from) {
        long v = 0;
        for (int i = from; i < from + 16; i++) {
            char c = id.charAt(i);
            v = (v << 4) | (c <= '9' ? c - '0' : c - 'a' + 10);
        }
        return v;
    }

    /** The pseudonym whose halves are {@code high} and {@code low}. */
    static String pseudonymOf(long high, long low) {
        return String.format("%016x%016x", high, low);
    }
}
