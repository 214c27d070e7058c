package org.lifelongpulse.fundrisk.rules;

import java.util.EnumMap;
import java.util.Map;

/** The typed rules in force for one institution (its district), with their settings. */
public final class RuleSet {

    private final Map<RuleId, RuleSettings> settings;
    public final PrepaidSpanRule prepaidSpan;
    public final ChargeAmountRule chargeAmount;
    public final CardCapRule cardCap;
    public final OutsideSupervisionRule outsideSupervision;
    public final EscrowCoverageRule escrowCoverage;
    public final ReleaseAheadRule releaseAhead;
    public final SalesWhileInactiveRule salesWhileInactive;
    public final SalesSurgeRule salesSurge;
    public final DeliveryCollapseRule deliveryCollapse;
    public final RefundSpikeRule refundSpike;
    public final RefundOverdueRule refundOverdue;
    public final StructuringRule structuring;
    public final FeedSilenceRule feedSilence;
    public final AbscondingPatternRule absconding;

    private RuleSet(Map<RuleId, RuleSettings> settings) {
        this.settings = settings;
        prepaidSpan = PrepaidSpanRule.of(settings.get(RuleId.R1));
        chargeAmount = ChargeAmountRule.of(settings.get(RuleId.R2));
        cardCap = CardCapRule.of(settings.get(RuleId.R3));
        outsideSupervision = OutsideSupervisionRule.of(settings.get(RuleId.R4));
        escrowCoverage = EscrowCoverageRule.of(settings.get(RuleId.R5));
        releaseAhead = ReleaseAheadRule.of(settings.get(RuleId.R6));
        salesWhileInactive = SalesWhileInactiveRule.of(settings.get(RuleId.R7));
        salesSurge = SalesSurgeRule.of(settings.get(RuleId.R8));
        deliveryCollapse = DeliveryCollapseRule.of(settings.get(RuleId.R9));
        refundSpike = RefundSpikeRule.of(settings.get(RuleId.R10));
        refundOverdue = RefundOverdueRule.of(settings.get(RuleId.R11));
        structuring = StructuringRule.of(settings.get(RuleId.R12));
        feedSilence = FeedSilenceRule.of(settings.get(RuleId.R13));
        absconding = AbscondingPatternRule.of(settings.get(RuleId.COMPOSITE));
    }

    /** Settings per rule; rules missing from the map take their defaults. */
    public static RuleSet of(Map<RuleId, RuleSettings> given) {
        Map<RuleId, RuleSettings> all = new EnumMap<>(RuleId.class);
        for (RuleId rule : RuleId.values()) {
            all.put(rule, given.getOrDefault(rule, RuleSettings.defaults(rule)));
        }
        return new RuleSet(all);
    }

    public static RuleSet defaults() {
        return of(Map.of());
    }

    /** Every rule switched off: what is left of a trial that has ended. */
    public static RuleSet disabled() {
        Map<RuleId, RuleSettings> off = new EnumMap<>(RuleId.class);
        for (RuleId rule : RuleId.values()) {
            off.put(rule, RuleSettings.defaults(rule).disabled());
        }
        return new RuleSet(off);
    }

    public RuleSettings settings(RuleId rule) {
        return settings.get(rule);
    }

    public boolean enabled(RuleId rule) {
        return settings.get(rule).enabled();
    }

    /** How far back any window reaches: older series values can be dropped. */
    public long lookback() {
        return Math.max(
                Math.max(outsideSupervision.windowMillis(), salesSurge.lookback()),
                Math.max(deliveryCollapse.lookback(), refundSpike.lookback()));
    }

    /** The trailing window of a windowed state rule (R8, R9, R10), else 0. */
    public long windowOf(RuleId rule) {
        return switch (rule) {
            case R8 -> salesSurge.windowMillis();
            case R9 -> deliveryCollapse.windowMillis();
            case R10 -> refundSpike.windowMillis();
            default -> 0;
        };
    }
}
