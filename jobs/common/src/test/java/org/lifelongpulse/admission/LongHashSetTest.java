package org.lifelongpulse.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LongHashSetTest {

    /** Against java.util.HashSet: random values sharing their low bits, zero and repeats. */
    @Test
    void holdsWhatAHashSetHolds() {
        Random random = new Random(7);
        LongHashSet ours = new LongHashSet();
        Set<Long> reference = new HashSet<>();
        for (int i = 0; i < 50_000; i++) {
            long v = random.nextInt(10) == 0 ? 0L : (random.nextLong() << 12) | 5;
            if (random.nextInt(4) == 0 && !reference.isEmpty()) {
                v = reference.iterator().next(); // a repeat
            }
            assertThat(ours.add(v)).isEqualTo(reference.add(v));
        }
        assertThat(ours.size()).isEqualTo(reference.size());
        for (long v : reference) {
            assertThat(ours.contains(v)).isTrue();
        }
        for (int i = 0; i < 10_000; i++) {
            long v = (random.nextLong() << 12) | 5;
            assertThat(ours.contains(v)).isEqualTo(reference.contains(v));
        }
    }
}
