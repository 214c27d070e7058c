package org.lifelongpulse.fundrisk.rules;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The risk rules of RULES.md: their base level, the source an alert cites, and their parameters
 * with the defaults (names as supervisors write them on {@code fund.rules.v1}; money in yuan,
 * durations in days or hours as the name says).
 */
public enum RuleId {
    R1(
            Kind.INCIDENT,
            Level.RED,
            "MOE and five ministries, 教监管函〔2021〕2号 (2021-10), pre-collected"
                    + " fees of off-campus training; Guangzhou 穗教规字〔2021〕8号",
            "max_covered_days",
            92,
            "max_class_hours",
            60,
            "resolve_after_days",
            0,
            "cooldown_days",
            7),
    R2(
            Kind.INCIDENT,
            Level.RED,
            "Beijing 2023 prepaid-fee measures for training (reprint);"
                    + " Shanghai 5,000-yuan prepaid-card limit",
            "max_amount_yuan",
            5000,
            "resolve_after_days",
            0,
            "cooldown_days",
            7),
    R3(
            Kind.INCIDENT,
            Level.YELLOW,
            "MOFCOM 单用途商业预付卡管理办法 (2012); 国办发〔2011〕25号",
            "anonymous_cap_yuan",
            1000,
            "registered_cap_yuan",
            5000,
            "resolve_after_days",
            0,
            "cooldown_days",
            7),
    R4(
            Kind.INCIDENT,
            Level.YELLOW,
            "fees must go into the supervised account (national platform rules); Wuhu revokes"
                    + " licences at 10,000 yuan collected outside it (reprint)",
            "red_amount_yuan",
            10000,
            "window_days",
            30,
            "resolve_after_days",
            0,
            "cooldown_days",
            7),
    R5(
            Kind.STATE,
            Level.YELLOW,
            "supervised balance must cover unconsumed prepaid fees; Zhejiang"
                    + " yellow/red warnings below a preset floor (reprint)",
            "yellow_below",
            1.0,
            "red_below",
            0.5,
            "min_liability_yuan",
            0,
            "quiet_hours",
            24,
            "cooldown_days",
            7),
    R6(
            Kind.STATE,
            Level.RED,
            "消拨同步 / 一课一消: funds are released only as classes are delivered",
            "tolerance_yuan",
            0,
            "quiet_hours",
            24,
            "cooldown_days",
            7),
    R7(
            Kind.INCIDENT,
            Level.RED,
            "Shanghai 单用途预付消费卡管理规定 Art. 13 (30 days' notice before" + " closing)",
            "notice_days",
            30,
            "resolve_after_days",
            0,
            "cooldown_days",
            7),
    R8(
            Kind.STATE,
            Level.YELLOW,
            "absconding cases start with deep-discount bundle drives; AML"
                    + " \"300% over expected\" velocity scenario",
            "ratio",
            3,
            "min_week_sales_yuan",
            50000,
            "window_days",
            7,
            "baseline_windows",
            4,
            "quiet_hours",
            24,
            "cooldown_days",
            7),
    R9(
            Kind.STATE,
            Level.RED,
            "liability grows while service stops: the signature of an"
                    + " institution about to close",
            "ratio",
            0.5,
            "min_baseline_yuan",
            0,
            "window_days",
            14,
            "baseline_days",
            28,
            "quiet_hours",
            24,
            "cooldown_days",
            7),
    R10(
            Kind.STATE,
            Level.YELLOW,
            "model training contract (2021) refund terms; complaint waves" + " precede closures",
            "ratio",
            3,
            "min_count",
            5,
            "window_days",
            7,
            "baseline_windows",
            4,
            "quiet_hours",
            24,
            "cooldown_days",
            7),
    R11(
            Kind.TIMER,
            Level.YELLOW,
            "model contract refund deadlines (set per contract)",
            "yellow_after_days",
            15,
            "red_after_days",
            30,
            "cooldown_days",
            7),
    R12(
            Kind.INCIDENT,
            Level.YELLOW,
            "structuring typology (repeated payments just under a" + " reporting threshold)",
            "min_count",
            3,
            "window_hours",
            24,
            "near_cap_share",
            0.9,
            "anonymous_cap_yuan",
            1000,
            "registered_cap_yuan",
            5000,
            "resolve_after_days",
            0,
            "cooldown_days",
            7),
    R13(
            Kind.TIMER,
            Level.YELLOW,
            "Shanghai rules require continuous reporting to the supervision" + " platform",
            "silence_hours",
            72,
            "quiet_hours",
            24,
            "cooldown_days",
            7),
    COMPOSITE(
            Kind.STATE,
            Level.RED,
            "derived: R8 sales surge followed by R9 delivery collapse or"
                    + " R10 refund spike (absconding pattern)",
            "window_days",
            30,
            "cooldown_days",
            7);

    /** How a rule's alert episode begins and ends. */
    public enum Kind {
        /**
         * Fires on single transactions; stays open until a supervisor closes it (or, when {@code
         * resolve_after_days} is set, until that long passes without a new hit).
         */
        INCIDENT,
        /**
         * Holds or not after each transaction; resolves once it has stayed clear for {@code
         * quiet_hours}.
         */
        STATE,
        /**
         * Fires on an event-time deadline; resolves when the awaited event comes (R13 after {@code
         * quiet_hours} more).
         */
        TIMER
    }

    private final Kind kind;
    private final Level level;
    private final String citation;
    private final Map<String, Double> defaults;

    RuleId(Kind kind, Level level, String citation, Object... nameThenValue) {
        this.kind = kind;
        this.level = level;
        this.citation = citation;
        Map<String, Double> map = new LinkedHashMap<>();
        for (int i = 0; i < nameThenValue.length; i += 2) {
            map.put((String) nameThenValue[i], ((Number) nameThenValue[i + 1]).doubleValue());
        }
        this.defaults = Collections.unmodifiableMap(map);
    }

    public Kind kind() {
        return kind;
    }

    /** The base level of its alerts (two-level rules escalate to RED on their own). */
    public Level defaultLevel() {
        return level;
    }

    public String citation() {
        return citation;
    }

    /** Parameter names and their RULES.md defaults, in a stable order. */
    public Map<String, Double> defaults() {
        return defaults;
    }

    public static RuleId parse(String id) {
        return valueOf(id.trim().toUpperCase(java.util.Locale.ROOT));
    }
}
