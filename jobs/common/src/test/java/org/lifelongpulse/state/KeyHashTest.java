package org.lifelongpulse.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Objects;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KeyHashTest {

    /** The JDK's own Objects.hash is the reference: key groups, and so savepoints, depend on it. */
    @Test
    void equalsObjectsHashForAnyParts() {
        Random random = new Random(7);
        for (int i = 0; i < 10_000; i++) {
            String a = part(random), b = part(random), c = part(random), d = part(random);
            assertThat(KeyHash.of(a, b)).isEqualTo(Objects.hash(a, b));
            assertThat(KeyHash.of(a, b, c, d)).isEqualTo(Objects.hash(a, b, c, d));
        }
    }

    @Test
    void handWorkedCase() {
        // 31 * (31 * 1 + "a".hashCode()) + 0 = 31 * (31 + 97) = 3968
        assertThat(KeyHash.of("a", null)).isEqualTo(3968);
    }

    private static String part(Random random) {
        return random.nextInt(10) == 0 ? null : Long.toString(random.nextLong(), 36);
    }
}
