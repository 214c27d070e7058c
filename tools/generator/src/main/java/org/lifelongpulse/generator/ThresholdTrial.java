package org.lifelongpulse.generator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;
import org.lifelongpulse.avro.Institution;
import org.lifelongpulse.avro.PrepaidTransaction;
import org.lifelongpulse.avro.Severity;
import org.lifelongpulse.contracts.Topic;

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

    /** How a parameter's value becomes the truth's thresholds. */
    private static final Map<String, BiFunction<RuleThresholds, Double, RuleThresholds>>
            PARAMETERS = parameters();

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
        return new TreeSet<>(PARAMETERS.keySet());
    }

    /** These thresholds with one parameter changed ({@code R2.max_amount_yuan}, 3000). */
    public ThresholdTrial with(String parameter, double value) {
        BiFunction<RuleThresholds, Double, RuleThresholds> change = PARAMETERS.get(parameter);
        if (change == null) {
            throw new IllegalArgumentException(
                    "the truth cannot change " + parameter + "; it can change " + parameterNames());
        }
        return new ThresholdTrial(change.apply(limits, value));
    }

    /**
     * The first detection of every rule at every institution of the world under these thresholds:
     * its fund messages as sent, each txn id once, malformed ones left out, timers up to the last
     * watermark real events produce.
     */
    public Set<Fired> fired(World world) {
        WorldParameters parameters = world.parameters();
        Set<String> seen = new HashSet<>();
        Map<String, List<PrepaidTransaction>> byInstitution = new TreeMap<>();
        Map<String, List<Institution>> versions = new TreeMap<>();
        for (Institution i : world.institutions()) {
            versions.computeIfAbsent(i.getInstitutionId().toString(), k -> new ArrayList<>())
                    .add(i);
        }
        long last = Long.MIN_VALUE;
        for (Message m : world.messages()) {
            if (m.topic() != Topic.FUND_TRANSACTIONS || m.malformed()) {
                continue;
            }
            PrepaidTransaction txn = (PrepaidTransaction) m.record();
            if (seen.add(txn.getTxnId().toString())) {
                byInstitution
                        .computeIfAbsent(txn.getInstitutionId().toString(), k -> new ArrayList<>())
                        .add(txn);
                last = Math.max(last, txn.getOccurredAt().toEpochMilli());
            }
        }
        long watermarkEnd =
                last == Long.MIN_VALUE
                        ? Long.MIN_VALUE
                        : last - parameters.watermarkBound().toMillis();
        AlertTruth rules = new AlertTruth(limits, watermarkEnd, parameters.fundEndMillis());
        Set<Fired> fired = new TreeSet<>();
        byInstitution.forEach(
                (id, txns) -> {
                    txns.sort(
                            Comparator.comparing(PrepaidTransaction::getOccurredAt)
                                    .thenComparing(t -> t.getTxnId().toString()));
                    List<Institution> vs = new ArrayList<>(versions.getOrDefault(id, List.of()));
                    vs.sort(Comparator.comparing(Institution::getUpdatedAt));
                    if (vs.isEmpty()) {
                        throw new IllegalArgumentException(
                                "transactions of " + id + " without reference data");
                    }
                    rules.evaluate(id, txns, vs)
                            .fired()
                            .forEach(
                                    (rule, d) ->
                                            fired.add(
                                                    new Fired(
                                                            rule.name(),
                                                            id,
                                                            d.firstDetectedAt(),
                                                            d.severity())));
                });
        return fired;
    }

    private static Map<String, BiFunction<RuleThresholds, Double, RuleThresholds>> parameters() {
        Map<String, BiFunction<RuleThresholds, Double, RuleThresholds>> p = new TreeMap<>();
        p.put(
                "R1.max_covered_days",
                (l, v) ->
                        new RuleThresholds(
                                v.intValue(),
                                l.maxClassHours(),
                                l.maxChargeFen(),
                                l.anonymousCapFen(),
                                l.registeredCapFen(),
                                l.outsideRedFen(),
                                l.outsideWindow(),
                                l.minLiabilityFen(),
                                l.surgeMinFen(),
                                l.collapseMinBaselineFen(),
                                l.refundSpikeMinCount(),
                                l.refundYellowAfter(),
                                l.refundRedAfter(),
                                l.structuringWindow(),
                                l.structuringCount(),
                                l.silence(),
                                l.compositeWindow(),
                                l.cooldown(),
                                l.quiet()));
        p.put(
                "R2.max_amount_yuan",
                (l, v) ->
                        new RuleThresholds(
                                l.maxCoveredDays(),
                                l.maxClassHours(),
                                Math.round(v * 100),
                                l.anonymousCapFen(),
                                l.registeredCapFen(),
                                l.outsideRedFen(),
                                l.outsideWindow(),
                                l.minLiabilityFen(),
                                l.surgeMinFen(),
                                l.collapseMinBaselineFen(),
                                l.refundSpikeMinCount(),
                                l.refundYellowAfter(),
                                l.refundRedAfter(),
                                l.structuringWindow(),
                                l.structuringCount(),
                                l.silence(),
                                l.compositeWindow(),
                                l.cooldown(),
                                l.quiet()));
        p.put(
                "R8.min_week_sales_yuan",
                (l, v) ->
                        new RuleThresholds(
                                l.maxCoveredDays(),
                                l.maxClassHours(),
                                l.maxChargeFen(),
                                l.anonymousCapFen(),
                                l.registeredCapFen(),
                                l.outsideRedFen(),
                                l.outsideWindow(),
                                l.minLiabilityFen(),
                                Math.round(v * 100),
                                l.collapseMinBaselineFen(),
                                l.refundSpikeMinCount(),
                                l.refundYellowAfter(),
                                l.refundRedAfter(),
                                l.structuringWindow(),
                                l.structuringCount(),
                                l.silence(),
                                l.compositeWindow(),
                                l.cooldown(),
                                l.quiet()));
        p.put(
                "R13.silence_hours",
                (l, v) ->
                        new RuleThresholds(
                                l.maxCoveredDays(),
                                l.maxClassHours(),
                                l.maxChargeFen(),
                                l.anonymousCapFen(),
                                l.registeredCapFen(),
                                l.outsideRedFen(),
                                l.outsideWindow(),
                                l.minLiabilityFen(),
                                l.surgeMinFen(),
                                l.collapseMinBaselineFen(),
                                l.refundSpikeMinCount(),
                                l.refundYellowAfter(),
                                l.refundRedAfter(),
                                l.structuringWindow(),
                                l.structuringCount(),
                                Math.round(v * Time.HOUR),
                                l.compositeWindow(),
                                l.cooldown(),
                                l.quiet()));
        return p;
    }
}
