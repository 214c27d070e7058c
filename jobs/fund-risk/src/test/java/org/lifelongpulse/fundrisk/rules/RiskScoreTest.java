package org.lifelongpulse.fundrisk.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link RiskScore} by hand: YELLOW 10, RED 30, the absconding pattern 40 whatever its level,
 * capped at 100; SHADOW episodes do not count.
 */
class RiskScoreTest {

    static Episode open(RuleId rule, Level level) {
        return Episode.open(rule + "-INST-T-0", rule, level, 0);
    }

    static Episode shadow(RuleId rule, Level level) {
        RuleSettings trial = new RuleSettings(rule, 2, true, true, level, Map.of(), null);
        return open(rule, level)
                .reporting(new Finding(rule, level, 0, 0, 0, 0, "trial"), trial, true);
    }

    @Test
    void nothingOpenScoresZero() {
        assertThat(RiskScore.of(List.of())).isEqualTo(new RiskScore.Summary(0, 0, 0));
    }

    @Test
    void yellowAddsTenRedThirty() {
        assertThat(RiskScore.of(List.of(open(RuleId.R3, Level.YELLOW))))
                .isEqualTo(new RiskScore.Summary(10, 1, 0));
        // R5 RED 30 + R8 YELLOW 10 + R13 YELLOW 10 = 50
        assertThat(
                        RiskScore.of(
                                List.of(
                                        open(RuleId.R5, Level.RED),
                                        open(RuleId.R8, Level.YELLOW),
                                        open(RuleId.R13, Level.YELLOW))))
                .isEqualTo(new RiskScore.Summary(50, 3, 1));
    }

    @Test
    void oneRedOutweighsTwoYellows() {
        double red = RiskScore.of(List.of(open(RuleId.R4, Level.RED))).score();
        double twoYellows =
                RiskScore.of(List.of(open(RuleId.R4, Level.YELLOW), open(RuleId.R10, Level.YELLOW)))
                        .score();
        assertThat(red).isEqualTo(30);
        assertThat(twoYellows).isEqualTo(20);
    }

    @Test
    void theAbscondingPatternAddsForty() {
        // COMPOSITE 40 + R9 RED 30 + R8 YELLOW 10 = 80; two of the three are RED
        assertThat(
                        RiskScore.of(
                                List.of(
                                        open(RuleId.COMPOSITE, Level.RED),
                                        open(RuleId.R9, Level.RED),
                                        open(RuleId.R8, Level.YELLOW))))
                .isEqualTo(new RiskScore.Summary(80, 3, 2));
        // a composite lowered to YELLOW by its settings still adds 40
        assertThat(RiskScore.of(List.of(open(RuleId.COMPOSITE, Level.YELLOW))))
                .isEqualTo(new RiskScore.Summary(40, 1, 0));
    }

    @Test
    void isCappedAt100() {
        // 40 + 4 x 30 = 160, capped; the counts are not
        List<Episode> many = new ArrayList<>();
        many.add(open(RuleId.COMPOSITE, Level.RED));
        for (RuleId r : List.of(RuleId.R1, RuleId.R2, RuleId.R5, RuleId.R6)) {
            many.add(open(r, Level.RED));
        }
        assertThat(RiskScore.of(many)).isEqualTo(new RiskScore.Summary(100, 5, 5));
        // exactly 100: 3 RED + 1 YELLOW
        assertThat(
                        RiskScore.of(
                                List.of(
                                        open(RuleId.R1, Level.RED),
                                        open(RuleId.R2, Level.RED),
                                        open(RuleId.R5, Level.RED),
                                        open(RuleId.R3, Level.YELLOW))))
                .isEqualTo(new RiskScore.Summary(100, 4, 3));
    }

    @Test
    void shadowEpisodesDoNotCount() {
        assertThat(
                        RiskScore.of(
                                List.of(
                                        shadow(RuleId.R5, Level.RED),
                                        open(RuleId.R3, Level.YELLOW),
                                        shadow(RuleId.COMPOSITE, Level.RED))))
                .isEqualTo(new RiskScore.Summary(10, 1, 0));
    }
}
