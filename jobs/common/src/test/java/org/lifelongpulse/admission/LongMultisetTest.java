package org.lifelongpulse.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LongMultisetTest {

    /**
     * Against a map of counts: random values sharing their low bits (long probe runs), zero,
     * repeats, and removals that empty slots in the middle of runs, through growth.
     */
    @Test
    void holdsWhatAMapOfCountsHolds() {
        Random random = new Random(7);
        LongMultiset ours = new LongMultiset();
        Map<Long, Integer> reference = new HashMap<>();
        List<Long> seen = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            int op = random.nextInt(10);
            if (op < 4 || reference.isEmpty()) {
                long v = random.nextInt(10) == 0 ? 0L : (random.nextLong() << 12) | 5;
                if (random.nextInt(4) == 0 && !seen.isEmpty()) {
                    v = seen.get(random.nextInt(seen.size())); // a repeat
                }
                ours.add(v);
                reference.merge(v, 1, Integer::sum);
                seen.add(v);
            } else if (op < 8) {
                long v = seen.get(random.nextInt(seen.size()));
                if (reference.containsKey(v)) {
                    ours.remove(v);
                    reference.computeIfPresent(v, (k, c) -> c == 1 ? null : c - 1);
                } else {
                    assertThat(ours.contains(v)).isFalse();
                }
            } else {
                long v =
                        random.nextBoolean()
                                ? seen.get(random.nextInt(seen.size()))
                                : (random.nextLong() << 12) | 5;
                assertThat(ours.contains(v)).isEqualTo(reference.containsKey(v));
            }
            assertThat(ours.size()).isEqualTo(reference.size());
        }
        for (long v : seen) {
            assertThat(ours.contains(v)).isEqualTo(reference.containsKey(v));
        }
        // emptied value by value, every count to zero, nothing is left
        for (Map.Entry<Long, Integer> e : reference.entrySet()) {
            for (int c = 0; c < e.getValue(); c++) {
                assertThat(ours.contains(e.getKey())).isTrue();
                ours.remove(e.getKey());
            }
        }
        assertThat(ours.size()).isZero();
        for (long v : seen) {
            assertThat(ours.contains(v)).isFalse();
        }
    }

    @Test
    void removingAValueNotThereFails() {
        LongMultiset set = new LongMultiset();
        set.add(3);
        set.remove(3);
        assertThatThrownBy(() -> set.remove(3)).isInstanceOf(IllegalStateException.class);
    }
}
