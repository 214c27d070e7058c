package org.lifelongpulse.generator;

import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.lifelongpulse.avro.Severity;

/**
 * What the rules flag in a world under other thresholds than RULES.md's: the generator's own
 * evaluation of the fund side ({@link AlertTruth}) with some parameters changed, as a back-test of
 * those settings must find it. Parameters are named as on {@code fund.rules.v1} ({@code
 * R2.max_amount_yuan}); only those the truth models on their own can be changed (not the card caps,
 * which R3 and R12 share in the truth but not on the rules topic).
 */
public final class ThresholdTrial {

    /**
     * A rule that fired at an institution: its first detection and the severity it reached.
     *
     * @param firstDetectedAt event time in epoch milliseconds
     */
    public record Fired(
            String ruleId, String institutionId, long firstDetectedAt, Severity severity)
            implements Comparable<Fired> {

        @Override
        public int compareTo(Fired o) {
            return Comparator.comparing(Fired::ruleId)
                    .thenComparing(Fired::institutionId)
                    .thenComparingLong(Fired::firstDetectedAt)
                    .compare(this, o);
        }
    }

    private static final String R1_DAYS = "R1.max_covered_days";
    private static final String R2_AMOUNT = "R2.max_amount_yuan";
    private static final String R8_MIN_WEEK = "R8.min_week_sales_yuan";
    private static final String R13_SILENCE = "R13.silence_hours";

    /** The parameters the truth can change. */
    private static final Set<String> PARAMETERS =
            new TreeSet<>(List.of(R1_DAYS, R2_AMOUNT, R8_MIN_WEEK, R13_SILENCE));

    private final RuleThresholds limits;

    private ThresholdTrial(RuleThresholds limits) {
        this.limits = limits;
    }

    /** RULES.md's thresholds, the ones the world's truth is computed with. */
    public static ThresholdTrial defaults() {
        return new ThresholdTrial(RuleThresholds.defaults());
    }

    /** The parameters that can be changed, e.g. {@code R2.max_amount_yuan}. */
    public static Set<String> parameterNames() {
        return new TreeSet<>(PARAMETERS);
    }

    /** These thresholds with one parameter changed ({@code R2.max_amount_yuan}, 3000). */
    public ThresholdTrial with(String parameter, double value) {
        if (!PARAMETERS.contains(parameter)) {
            throw new IllegalArgumentException(
                    "the truth cannot change " + parameter + "; it can change " + parameterNames());
        }
        RuleThresholds l = limits;
        return new ThresholdTrial(
                new RuleThresholds(
                        parameter.equals(R1_DAYS) ? (int) value : l.maxCoveredDays(),
                        l.maxClassHours(),
                        parameter.equals(R2_AMOUNT) ? Math.round(value * 100) : l.maxChargeFen(),
                        l.anonymousCapFen(),
                        l.registeredCapFen(),
                        l.outsideRedFen(),
                        l.outsideWindow(),
                        l.minLiabilityFen(),
                        parameter.equals(R8_MIN_WEEK) ? Math.round(value * 100) : l.surgeMinFen(),
                        l.collapseMinBaselineFen(),
                        l.refundSpikeMinCount(),
                        l.refundYellowAfter(),
                        l.refundRedAfter(),
                        l.structuringWindow(),
                        l.structuringCount(),
                        parameter.equals(R13_SILENCE) ? Math.round(value * Time.HOUR) : l.silence(),
                        l.compositeWindow(),
                        l.cooldown(),
                        l.quiet()));
    }

    /**
     * The first detection of every rule at every institution of the world under these thresholds:
     * its fund messages as sent, each txn id once, malformed ones left out, timers up to the last
     * watermark real events produce.
     */
    public Set<Fired> fired(World world) {
        FundTruth truth =
                new FundTruth(world.messages(), world.institutions(), world.parameters(), limits);
        Set<Fired> fired = new TreeSet<>();
        truth.outcomes.forEach(
                (id, outcome) ->
                        outcome.fired()
                                .forEach(
                                        (rule, d) ->
                                                fired.add(
                                                        new Fired(
                                                                rule.name(),
                                                                id,
                                                                d.firstDetectedAt(),
                                                                d.severity()))));
        return fired;
    }
}
