package org.lifelongpulse.fundrisk.rules;

import java.util.Collection;

/**
 * An institution's risk score, 0 to 100, from its open ENFORCE alerts (SHADOW alerts are trials and
 * do not count): each YELLOW alert adds 10, each RED alert 30, the absconding pattern (COMPOSITE)
 * 40; the sum is capped at 100. So one RED finding outweighs any two YELLOW ones, and an
 * institution showing the absconding pattern with one more RED finding reaches 70.
 */
public final class RiskScore {

    public static final double YELLOW = 10;
    public static final double RED = 30;
    public static final double COMPOSITE = 40;
    public static final double MAX = 100;

    private RiskScore() {}

    /** Score, open alerts and RED alerts of a set of open episodes. */
    public record Summary(double score, int open, int red) {}

    public static Summary of(Collection<Episode> open) {
        double score = 0;
        int count = 0;
        int red = 0;
        for (Episode e : open) {
            if (e.shadow()) {
                continue;
            }
            count++;
            boolean isRed = e.level() == Level.RED;
            red += isRed ? 1 : 0;
            score += e.rule() == RuleId.COMPOSITE ? COMPOSITE : isRed ? RED : YELLOW;
        }
        return new Summary(Math.min(MAX, score), count, red);
    }
}
