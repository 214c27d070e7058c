package org.lifelongpulse.pseudonyms;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PseudonymHalvesTest {

    @Test
    void everyPseudonymComesBackFromItsHalves() {
        LearnerPseudonym pseudonym = new LearnerPseudonym("halves");
        for (int i = 0; i < 2_000; i++) {
            String id = pseudonym.hash("learner-" + i);
            assertThat(PseudonymHalves.isPseudonym(id)).isTrue();
            assertThat(PseudonymHalves.of(PseudonymHalves.high(id), PseudonymHalves.low(id)))
                    .isEqualTo(id);
        }
        assertThat(PseudonymHalves.high("fedcba98765432100123456789abcdef"))
                .isEqualTo(0xfedcba9876543210L);
        assertThat(PseudonymHalves.low("fedcba98765432100123456789abcdef"))
                .isEqualTo(0x0123456789abcdefL);
    }

    @Test
    void onlyOneSpellingOfAValueIsAPseudonym() {
        assertThat(PseudonymHalves.isPseudonym("FEDCBA98765432100123456789ABCDEF")).isFalse();
        assertThat(PseudonymHalves.isPseudonym("fedcba98765432100123456789abcde")).isFalse();
        assertThat(PseudonymHalves.isPseudonym("fedcba98765432100123456789abcdefa")).isFalse();
        assertThat(PseudonymHalves.isPseudonym("gedcba98765432100123456789abcdef")).isFalse();
        assertThat(PseudonymHalves.isPseudonym(null)).isFalse();
    }
}
