package org.lifelongpulse.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.lifelongpulse.avro.PrepaidTransaction;
import org.lifelongpulse.avro.Severity;
import org.lifelongpulse.avro.TransactionType;
import org.lifelongpulse.contracts.Topic;

/** The truth under other thresholds: R2 at another limit, checked against a scan of the sales. */
class ThresholdTrialTest {

    private static final World WORLD = Generator.build(SmallWorlds.small(11));

    @Test
    void aLowerChargeLimitFlagsEveryInstitutionWithASaleAboveItAtItsFirstSuchSale() {
        Set<ThresholdTrial.Fired> fired =
                ThresholdTrial.defaults().with("R2.max_amount_yuan", 3000).fired(WORLD);

        Map<String, Long> expected = firstSaleAbove(300_000);
        assertThat(expected).as("the world has sales above 3,000 yuan").hasSizeGreaterThan(3);
        Map<String, Long> r2 =
                fired.stream()
                        .filter(f -> f.ruleId().equals("R2"))
                        .collect(
                                Collectors.toMap(
                                        ThresholdTrial.Fired::institutionId,
                                        ThresholdTrial.Fired::firstDetectedAt,
                                        (a, b) -> a,
                                        TreeMap::new));
        assertThat(r2).isEqualTo(expected);
        assertThat(fired.stream().filter(f -> f.ruleId().equals("R2")))
                .allMatch(f -> f.severity() == Severity.RED);
    }

    @Test
    void theDefaultsAreRulesMdsLimitAndOnlyTheChangedRuleMoves() {
        Set<ThresholdTrial.Fired> defaults = ThresholdTrial.defaults().fired(WORLD);
        Set<ThresholdTrial.Fired> lower =
                ThresholdTrial.defaults().with("R2.max_amount_yuan", 3000).fired(WORLD);

        Map<String, Long> r2 =
                defaults.stream()
                        .filter(f -> f.ruleId().equals("R2"))
                        .collect(
                                Collectors.toMap(
                                        ThresholdTrial.Fired::institutionId,
                                        ThresholdTrial.Fired::firstDetectedAt,
                                        (a, b) -> a,
                                        TreeMap::new));
        assertThat(r2).isEqualTo(firstSaleAbove(500_000));
        Set<ThresholdTrial.Fired> others = new HashSet<>(defaults);
        others.removeIf(f -> f.ruleId().equals("R2"));
        Set<ThresholdTrial.Fired> othersLower = new HashSet<>(lower);
        othersLower.removeIf(f -> f.ruleId().equals("R2"));
        assertThat(othersLower).isEqualTo(others);
    }

    @Test
    void aParameterTheTruthDoesNotModelIsRefused() {
        assertThatThrownBy(() -> ThresholdTrial.defaults().with("R3.anonymous_cap_yuan", 500))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("R2.max_amount_yuan");
        assertThat(ThresholdTrial.parameterNames()).contains("R2.max_amount_yuan");
    }

    /**
     * Institution to the event time of its first sale or top-up above {@code fen}, each txn once.
     */
    private static Map<String, Long> firstSaleAbove(long fen) {
        Set<String> seen = new HashSet<>();
        Map<String, Long> first = new TreeMap<>();
        for (Message m : WORLD.messages()) {
            if (m.topic() != Topic.FUND_TRANSACTIONS
                    || m.malformed()
                    || !(m.record() instanceof PrepaidTransaction t)
                    || !seen.add(t.getTxnId().toString())) {
                continue;
            }
            boolean sale =
                    t.getType() == TransactionType.CARD_SALE
                            || t.getType() == TransactionType.TOP_UP;
            if (sale && t.getAmountFen() > fen) {
                first.merge(
                        t.getInstitutionId().toString(),
                        t.getOccurredAt().toEpochMilli(),
                        Math::min);
            }
        }
        return first;
    }
}
