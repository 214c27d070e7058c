package org.lifelongpulse.fundrisk.rules;

/**
 * The open alert of one rule at one institution: what its latest version said. A Flink POJO
 * (kept in keyed state).
 */
public class Episode {

    public String alertId;
    public String rule;
    public String severity;
    public long firstDetectedAt;
    public long lastDetectedAt;
    public long windowStart;
    public long windowEnd;
    public double observed;
    public double threshold;
    public String evidence;
    public int ruleVersion;
    public boolean shadow;
    public long version;
    /** For incident rules: when the episode ends if nothing new happens. */
    public Long quietUntil;

    public Episode() {}

    public Level level() {
        return Level.valueOf(severity);
    }

    public RuleId ruleId() {
        return RuleId.valueOf(rule);
    }
}
