package org.lifelongpulse.fundrisk.rules;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The small things the rules remember of one institution, read on every wake-up: event-time
 * progress, the silence watch (R13), recent surge starts (COMPOSITE), the last risk score, the
 * deadlines set as timers and where each series' buckets begin. A Flink POJO (one keyed value).
 */
public class InstitutionProgress {

    private long lastEventAt = Long.MIN_VALUE;
    private long applied;
    private Long silenceFrom;
    private Long silenceDeadline;
    private List<Long> surgeStarts = new ArrayList<>();
    private double lastScore;
    private int lastOpenAlerts;
    private int lastRedAlerts;
    private long riskVersion;
    private Set<Long> wakeUps = new HashSet<>();
    private Map<Series, Long> earliestBuckets = new HashMap<>();
    private long nearCapSweptAt = Long.MIN_VALUE;
    private Map<String, Level> overdueMarks = new HashMap<>();
    private Map<Long, Long> ruleChanges = new HashMap<>();
    private boolean trialActive;
    private int pendingCloses;

    public InstitutionProgress() {}

    /** Counts a transaction applied at {@code t} (event-time order). */
    public void applied(long t) {
        applied++;
        lastEventAt = Math.max(lastEventAt, t);
    }

    /** Starts (both given) or ends (both null) the silence watch. */
    public void watchSilence(Long from, Long deadline) {
        silenceFrom = from;
        silenceDeadline = deadline;
    }

    /** Records a risk summary; returns false when it equals the last one recorded. */
    public boolean recordRisk(RiskScore.Summary now) {
        if (riskVersion > 0
                && now.score() == lastScore
                && now.open() == lastOpenAlerts
                && now.red() == lastRedAlerts) {
            return false;
        }
        lastScore = now.score();
        lastOpenAlerts = now.open();
        lastRedAlerts = now.red();
        riskVersion++;
        return true;
    }

    // Flink POJO accessors (the setters are for the serializer)

    public long getLastEventAt() {
        return lastEventAt;
    }

    public void setLastEventAt(long lastEventAt) {
        this.lastEventAt = lastEventAt;
    }

    /** Transactions applied: the ledger rows' version. */
    public long getApplied() {
        return applied;
    }

    public void setApplied(long applied) {
        this.applied = applied;
    }

    /** Time of the transaction that started the current silence watch, or null (R13). */
    public Long getSilenceFrom() {
        return silenceFrom;
    }

    public void setSilenceFrom(Long silenceFrom) {
        this.silenceFrom = silenceFrom;
    }

    public Long getSilenceDeadline() {
        return silenceDeadline;
    }

    public void setSilenceDeadline(Long silenceDeadline) {
        this.silenceDeadline = silenceDeadline;
    }

    /** Starts of R8 episodes within the composite window. */
    public List<Long> getSurgeStarts() {
        return surgeStarts;
    }

    public void setSurgeStarts(List<Long> surgeStarts) {
        this.surgeStarts = surgeStarts;
    }

    public double getLastScore() {
        return lastScore;
    }

    public void setLastScore(double lastScore) {
        this.lastScore = lastScore;
    }

    public int getLastOpenAlerts() {
        return lastOpenAlerts;
    }

    public void setLastOpenAlerts(int lastOpenAlerts) {
        this.lastOpenAlerts = lastOpenAlerts;
    }

    public int getLastRedAlerts() {
        return lastRedAlerts;
    }

    public void setLastRedAlerts(int lastRedAlerts) {
        this.lastRedAlerts = lastRedAlerts;
    }

    /** Versions of the risk score emitted so far. */
    public long getRiskVersion() {
        return riskVersion;
    }

    public void setRiskVersion(long riskVersion) {
        this.riskVersion = riskVersion;
    }

    /** Event-time timers registered for this institution's deadlines. */
    public Set<Long> getWakeUps() {
        return wakeUps;
    }

    public void setWakeUps(Set<Long> wakeUps) {
        this.wakeUps = wakeUps;
    }

    /** Start of each series' earliest bucket (absent: the series is empty). */
    public Map<Series, Long> getEarliestBuckets() {
        return earliestBuckets;
    }

    public void setEarliestBuckets(Map<Series, Long> earliestBuckets) {
        this.earliestBuckets = earliestBuckets;
    }

    /** A trial's overdue levels of unpaid refund requests, by request id (R11). */
    public Map<String, Level> getOverdueMarks() {
        return overdueMarks;
    }

    public void setOverdueMarks(Map<String, Level> overdueMarks) {
        this.overdueMarks = overdueMarks;
    }

    /**
     * Rule changes this institution was already past: the timer set to re-evaluate the changed
     * rules, mapped to the earliest change it covers.
     */
    public Map<Long, Long> getRuleChanges() {
        return ruleChanges;
    }

    public void setRuleChanges(Map<Long, Long> ruleChanges) {
        this.ruleChanges = ruleChanges;
    }

    /** Whether a SHADOW trial runs here or has alerts to finish. */
    public boolean isTrialActive() {
        return trialActive;
    }

    public void setTrialActive(boolean trialActive) {
        this.trialActive = trialActive;
    }

    /** Supervisors' closes waiting for their alert to reach the version they saw. */
    public int getPendingCloses() {
        return pendingCloses;
    }

    public void setPendingCloses(int pendingCloses) {
        this.pendingCloses = pendingCloses;
    }

    /** When near-cap charges of every payer were last pruned (R12). */
    public long getNearCapSweptAt() {
        return nearCapSweptAt;
    }

    public void setNearCapSweptAt(long nearCapSweptAt) {
        this.nearCapSweptAt = nearCapSweptAt;
    }
}
