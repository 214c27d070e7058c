package org.lifelongpulse.generator;

/**
 * The default rule parameters of RULES.md, in fen and milliseconds. The truth is computed with
 * these defaults; the jobs must run with them for the truth to apply. {@code cooldown} (a
 * re-trigger this soon after an alert resolved re-opens it) and {@code quiet} (how long a condition
 * rule must stay clear before its alert resolves) are the episode defaults of issue #14.
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
        long compositeWindow,
        long cooldown,
        long quiet) {

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
                30 * Time.DAY,
                7 * Time.DAY,
                24 * Time.HOUR);
    }
}
