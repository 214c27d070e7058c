package org.lifelongpulse.fundrisk.rules;

/**
 * What a rule saw when it held: its level, the observed value against the threshold, the window the
 * value covers and a sentence with the numbers.
 */
public record Finding(
        RuleId rule,
        Level level,
        double observed,
        double threshold,
        long windowStart,
        long windowEnd,
        String evidence) {}
