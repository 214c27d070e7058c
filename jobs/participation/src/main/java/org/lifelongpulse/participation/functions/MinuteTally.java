package org.lifelongpulse.participation.functions;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.lifelongpulse.pseudonyms.PseudonymHalves;

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
        PseudonymHalves.split(
                learner,
                (high, low, other) -> {
                    addLearner(high, low, other);
                    return null;
                });
    }

    /**
     * Counts a learner once: {@code other} when its id is not a pseudonym, else the pseudonym's
     * halves.
     */
    public void addLearner(long high, long low, String other) {
        if (other != null) {
            learners.add(other);
        } else if (learners.isEmpty() || !learners.contains(PseudonymHalves.of(high, low))) {
            addPseudonym(high, low); // (a tally from an older savepoint has it as a string)
        }
    }

    /** Every learner of {@code other} (counted once). */
    public void addLearners(MinuteTally other) {
        for (String learner : other.learners) {
            addLearner(learner);
        }
        if (other.pseudonyms != null) {
            for (int i = 0; i < other.pseudonyms.length; i += 2) {
                addLearner(other.pseudonyms[i], other.pseudonyms[i + 1], null);
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
}
