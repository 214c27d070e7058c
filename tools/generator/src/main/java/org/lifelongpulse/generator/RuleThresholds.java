package org.lifelongpulse.generator;

/**
 * The default rule parameters of RULES.md, in fen and milliseconds. The truth is computed with
 * these defaults; the jobs must run with them for the truth to apply.
 */
record RuleThresholds(
        int maxCoveredDays,
        int maxClassHours,
        long maxChargeFen,
        long anonymousCapFen,
        long registeredCapFen,
        long outsideRedFen,
        long outsideWindow,
        long minLiabilityFen,
        long surgeMinFen,
        long collapseMinBaselineFen,
        int refundSpikeMinCount,
        long refundYellowAfter,
        long refundRedAfter,
        long structuringWindow,
        int structuringCount,
        long silence,
        long compositeWindow) {

    static RuleThresholds defaults() {
        return new RuleThresholds(
                92,
                60,
                500_000,
                100_000,
                500_000,
                1_000_000,
                30 * Time.DAY,
                0,
                5_000_000,
                0,
                5,
                15 * Time.DAY,
                30 * Time.DAY,
                24 * Time.HOUR,
                3,
                72 * Time.HOUR,
                30 * Time.DAY);
    }
}
