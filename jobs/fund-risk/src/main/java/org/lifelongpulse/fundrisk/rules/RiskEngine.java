package org.lifelongpulse.fundrisk.rules;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.lifelongpulse.fundrisk.records.AlertRow;
import org.lifelongpulse.fundrisk.records.FundTransaction;

/**
 * The rules applied to one institution: transactions in event-time order, deadlines when event
 * time reaches them. Plain Java over {@link InstitutionState}; the Flink function keeps the
 * state, orders the input and sets the timers {@link #deadlines()} asks for.
 *
 * <p>Alert lifecycle: one alert per (rule, institution, episode) with the id
 * {@code RULE-INSTITUTION-episodeStartMillis}. Its first version is OPEN; UPDATED versions follow
 * when an incident rule hits again, a level rises, or more refunds become overdue; the last is
 * RESOLVED. Its severity is the highest level reached in the episode. Episodes end: incident
 * rules (R1-R4, R7, R12) after {@code resolve_after_days} without a new hit; state rules (R5,
 * R6, R8-R10) when an evaluation finds the condition gone (for R8-R10 also when event time
 * passes the window after the last transaction); R11 when every overdue request is paid; R13
 * when a transaction arrives; COMPOSITE when neither R9 nor R10 holds.
 */
public final class RiskEngine {

    private static final List<RuleId> WINDOWED = List.of(RuleId.R8, RuleId.R9, RuleId.R10);

    private final String institutionId;
    private final InstitutionState s;
    private final InstitutionHistory reference;
    private final RuleSet rules;
    private final List<AlertRow> out;

    /**
     * @param reference the institution's reference versions; null when none is known yet
     * @param out receives every alert version produced
     */
    public RiskEngine(String institutionId, InstitutionState state, InstitutionHistory reference,
            RuleSet rules, List<AlertRow> out) {
        this.institutionId = institutionId;
        this.s = state;
        this.reference = reference;
        this.rules = rules;
        this.out = out;
    }

    /** The district of the latest reference version, UNKNOWN until one is known. */
    public String district() {
        InstitutionVersion latest = reference == null ? null : reference.latest();
        return latest == null || latest.district == null ? "UNKNOWN" : latest.district;
    }

    private InstitutionVersion versionAt(long t) {
        return reference == null ? null : reference.at(t);
    }

    /** Applies one transaction (in event-time order) and evaluates the rules after it. */
    public void apply(FundTransaction txn) {
        long t = txn.eventTime();
        s.ledger.apply(txn);
        s.applied++;
        s.lastEventAt = Math.max(s.lastEventAt, t);
        InstitutionVersion version = versionAt(t);
        resolve(RuleId.R13, t, "transactions resumed");
        s.silenceFrom = null;
        s.silenceDeadline = null;
        if (txn.isSale()) {
            sale(txn, t, version);
        } else if (FundTransaction.CONSUMPTION.equals(txn.type())) {
            s.delivered.add(t, txn.amountFen());
        } else if (FundTransaction.REFUND_REQUEST.equals(txn.type())) {
            s.requests.add(t, 1);
            s.unpaidRequests.putIfAbsent(txn.txnId(), t);
        } else if (FundTransaction.REFUND_PAID.equals(txn.type())
                && txn.refundRequestId() != null) {
            s.unpaidRequests.remove(txn.refundRequestId());
            if (s.overdueLevels.remove(txn.refundRequestId()) != null
                    && s.overdueLevels.isEmpty()) {
                resolve(RuleId.R11, t, "every overdue refund request was paid");
            }
        }
        evaluateStates(t);
        if (rules.enabled(RuleId.R13) && rules.feedSilence.watches(s.ledger, version)) {
            s.silenceFrom = t;
            s.silenceDeadline = rules.feedSilence.deadline(t);
        }
        prune(t);
    }

    private void sale(FundTransaction txn, long t, InstitutionVersion version) {
        long amount = txn.amountFen();
        s.sales.add(t, amount);
        incident(RuleId.R1, rules.prepaidSpan.check(txn), t);
        incident(RuleId.R2, rules.chargeAmount.check(txn), t);
        if (txn.cardId() != null) {
            long total = s.cardTotals.merge(txn.cardId(), amount, Long::sum);
            incident(RuleId.R3, rules.cardCap.check(txn, total), t);
        }
        if (txn.isOutsideSupervision()) {
            s.outside.add(t, amount);
            long inWindow = s.outside.sum(t - rules.outsideSupervision.windowMillis(), t);
            incident(RuleId.R4, rules.outsideSupervision.check(txn, inWindow), t);
        }
        incident(RuleId.R7, rules.salesWhileInactive.check(txn, version), t);
        if (txn.payerHash() != null && rules.structuring.nearCap(amount)) {
            ChargeTimes charges = s.nearCapCharges.computeIfAbsent(txn.payerHash(),
                    k -> new ChargeTimes());
            charges.times.add(t);
            incident(RuleId.R12, rules.structuring.check(charges.times, t, txn.payerHash()), t);
        }
    }

    /** R5, R6, R8, R9, R10 and the composite, after each transaction. */
    private void evaluateStates(long t) {
        state(RuleId.R5, rules.escrowCoverage.check(s.ledger, t), t);
        state(RuleId.R6, rules.releaseAhead.check(s.ledger, t), t);
        if (state(RuleId.R8, rules.salesSurge.check(s.sales, t), t)) {
            s.surgeStarts.add(t);
        }
        boolean collapse = state(RuleId.R9, rules.deliveryCollapse.check(s.delivered, s.sales, t),
                t);
        boolean spike = state(RuleId.R10, rules.refundSpike.check(s.requests, t), t);
        if (rules.enabled(RuleId.COMPOSITE)) {
            if (collapse) {
                raise(rules.absconding.check(s.surgeStarts, RuleId.R9, t), t);
            }
            if (spike) {
                raise(rules.absconding.check(s.surgeStarts, RuleId.R10, t), t);
            }
        }
        endCompositeIfOver(t);
    }

    private void endCompositeIfOver(long t) {
        if (!rules.enabled(RuleId.COMPOSITE)) {
            resolve(RuleId.COMPOSITE, t, "the rule was disabled");
        } else if (!s.open.containsKey(RuleId.R9.name())
                && !s.open.containsKey(RuleId.R10.name())) {
            resolve(RuleId.COMPOSITE, t, "neither the delivery collapse nor the refund spike"
                    + " holds any more");
        }
    }

    /** Handles every deadline at or before {@code now}: R11, R13, quiet periods, windows. */
    public void wakeUp(long now) {
        overdueRefunds(now);
        if (s.silenceDeadline != null && now >= s.silenceDeadline) {
            if (rules.enabled(RuleId.R13)) {
                raise(rules.feedSilence.check(s.silenceFrom, now, s.ledger, versionAt(now)),
                        now);
            }
            s.silenceFrom = null;
            s.silenceDeadline = null;
        }
        for (Episode e : new ArrayList<>(s.open.values())) {
            if (e.quietUntil != null && now >= e.quietUntil) {
                resolve(e.ruleId(), now, String.format("no new occurrence for %d days",
                        rules.settings(e.ruleId()).count("resolve_after_days")));
            }
        }
        for (RuleId rule : WINDOWED) {
            if (s.open.containsKey(rule.name()) && now >= s.lastEventAt + rules.windowOf(rule)) {
                Optional<Finding> still = switch (rule) {
                    case R8 -> rules.salesSurge.check(s.sales, now);
                    case R9 -> rules.deliveryCollapse.check(s.delivered, s.sales, now);
                    default -> rules.refundSpike.check(s.requests, now);
                };
                if (still.isEmpty()) {
                    resolve(rule, now, "its window passed without transactions");
                }
            }
        }
        endCompositeIfOver(now);
    }

    private void overdueRefunds(long now) {
        if (!rules.enabled(RuleId.R11)) {
            resolve(RuleId.R11, now, "the rule was disabled");
            return;
        }
        RefundOverdueRule rule = rules.refundOverdue;
        boolean changed = false;
        for (Map.Entry<String, Long> request : s.unpaidRequests.entrySet()) {
            Level level = rule.levelAt(request.getValue(), now);
            String before = s.overdueLevels.get(request.getKey());
            if (level != null && (before == null || Level.valueOf(before).compareTo(level) < 0)) {
                s.overdueLevels.put(request.getKey(), level.name());
                changed = true;
            }
        }
        if (!changed) {
            return;
        }
        long oldest = Long.MAX_VALUE;
        Level highest = null;
        for (Map.Entry<String, String> overdue : s.overdueLevels.entrySet()) {
            oldest = Math.min(oldest, s.unpaidRequests.get(overdue.getKey()));
            highest = Level.max(highest, Level.valueOf(overdue.getValue()));
        }
        long pendingFen = 0;
        for (String id : s.overdueLevels.keySet()) {
            pendingFen += s.ledger.pendingRequests.getOrDefault(id, 0L);
        }
        long thresholdMillis = highest == Level.RED ? rule.redAfterMillis()
                : rule.yellowAfterMillis();
        raise(Optional.of(new Finding(RuleId.R11, highest,
                (double) (now - oldest) / RuleSettings.DAY,
                (double) thresholdMillis / RuleSettings.DAY, oldest, now,
                String.format(Locale.ROOT, "%d refund request(s) of %s unpaid; the oldest,"
                        + " made %s, has waited %.1f days (limit %d).", s.overdueLevels.size(),
                        Money.yuan(pendingFen), Instant.ofEpochMilli(oldest),
                        (double) (now - oldest) / RuleSettings.DAY,
                        thresholdMillis / RuleSettings.DAY))), now);
    }

    /**
     * The event times at which {@link #wakeUp} has work: refund deadlines, the silence deadline,
     * quiet periods and window ends of open alerts, and {@code lastEventAt + retention} (when a
     * closed institution's state may go).
     */
    public SortedSet<Long> deadlines(long closedRetentionMillis) {
        SortedSet<Long> due = new TreeSet<>();
        if (rules.enabled(RuleId.R11)) {
            for (Map.Entry<String, Long> request : s.unpaidRequests.entrySet()) {
                String level = s.overdueLevels.get(request.getKey());
                if (level == null) {
                    due.add(rules.refundOverdue.firstDeadline(request.getValue()));
                }
                if (!Level.RED.name().equals(level)) {
                    due.add(rules.refundOverdue.redDeadline(request.getValue()));
                }
            }
        }
        if (s.silenceDeadline != null) {
            due.add(s.silenceDeadline);
        }
        for (Episode e : s.open.values()) {
            if (e.quietUntil != null) {
                due.add(e.quietUntil);
            }
            long window = rules.windowOf(e.ruleId());
            if (window > 0) {
                due.add(s.lastEventAt + window);
            }
        }
        if (s.lastEventAt != Long.MIN_VALUE) {
            due.add(s.lastEventAt + closedRetentionMillis);
        }
        return due;
    }

    /**
     * Whether the institution's state can go: it is CLOSED or REVOKED at {@code now} and has sent
     * nothing for the retention period (longer than any rule window).
     */
    public boolean isGone(long now, long closedRetentionMillis) {
        InstitutionVersion version = versionAt(now);
        return version != null && version.isGone()
                && now >= s.lastEventAt + closedRetentionMillis;
    }

    /** Score of the open alerts, or null when it has not changed since the last call. */
    public RiskScore.Summary riskChange() {
        RiskScore.Summary now = RiskScore.of(s.open.values());
        if (s.riskVersion > 0 && now.score() == s.lastScore && now.open() == s.lastOpenAlerts
                && now.red() == s.lastRedAlerts) {
            return null;
        }
        s.lastScore = now.score();
        s.lastOpenAlerts = now.open();
        s.lastRedAlerts = now.red();
        s.riskVersion++;
        return now;
    }

    private void prune(long t) {
        long lookback = rules.lookback();
        for (TimeSeries series : List.of(s.sales, s.outside, s.delivered, s.requests)) {
            // prune a day's worth at a time rather than after every transaction
            if (!series.isEmpty() && series.times[0] < t - lookback - RuleSettings.DAY) {
                series.pruneUpTo(t - lookback);
            }
        }
        long structuring = rules.structuring.lookback();
        Iterator<ChargeTimes> payers = s.nearCapCharges.values().iterator();
        while (payers.hasNext()) {
            ChargeTimes charges = payers.next();
            charges.times.removeIf(c -> c <= t - structuring);
            if (charges.times.isEmpty()) {
                payers.remove();
            }
        }
        long composite = rules.absconding.windowMillis();
        s.surgeStarts.removeIf(start -> start < t - composite);
    }

    /** An incident rule's hit opens or updates its episode and restarts its quiet period. */
    private void incident(RuleId rule, Optional<Finding> finding, long t) {
        if (!rules.enabled(rule)) {
            resolve(rule, t, "the rule was disabled");
            return;
        }
        finding.ifPresent(f -> {
            raise(Optional.of(f), t);
            s.open.get(rule.name()).quietUntil = t + rules.settings(rule).days(
                    "resolve_after_days");
        });
    }

    /** A state rule holds or not; returns whether an episode started now. */
    private boolean state(RuleId rule, Optional<Finding> finding, long t) {
        if (!rules.enabled(rule)) {
            resolve(rule, t, "the rule was disabled");
            return false;
        }
        if (finding.isEmpty()) {
            resolve(rule, t, "the condition no longer holds");
            return false;
        }
        boolean starts = !s.open.containsKey(rule.name());
        raise(finding, t);
        return starts;
    }

    private void raise(Optional<Finding> finding, long t) {
        if (finding.isEmpty()) {
            return;
        }
        Finding f = finding.get();
        RuleSettings settings = rules.settings(f.rule());
        Episode e = s.open.get(f.rule().name());
        boolean material;
        String status;
        if (e == null) {
            e = new Episode();
            e.alertId = f.rule().name() + "-" + institutionId + "-" + t;
            e.rule = f.rule().name();
            e.firstDetectedAt = t;
            e.severity = f.level().name();
            e.version = 0;
            s.open.put(e.rule, e);
            material = true;
            status = "OPEN";
        } else {
            Level higher = Level.max(e.level(), f.level());
            material = f.rule().kind() != RuleId.Kind.STATE || higher != e.level();
            e.severity = higher.name();
            status = "UPDATED";
        }
        e.lastDetectedAt = t;
        if (!material) {
            return;
        }
        e.windowStart = f.windowStart();
        e.windowEnd = f.windowEnd();
        e.observed = f.observed();
        e.threshold = f.threshold();
        e.evidence = f.evidence();
        e.ruleVersion = settings.version();
        e.shadow = settings.shadow();
        e.version++;
        out.add(row(e, status, e.evidence));
    }

    private void resolve(RuleId rule, long t, String why) {
        Episode e = s.open.remove(rule.name());
        if (e == null) {
            return;
        }
        e.version++;
        out.add(row(e, "RESOLVED", "Resolved at " + Instant.ofEpochMilli(t) + ": " + why
                + ". Last finding: " + e.evidence));
    }

    private AlertRow row(Episode e, String status, String evidence) {
        return new AlertRow(e.alertId, institutionId, district(), e.rule, e.ruleVersion,
                e.severity, status, e.firstDetectedAt, e.lastDetectedAt, e.windowStart,
                e.windowEnd, e.observed, e.threshold, evidence, e.ruleId().citation(),
                e.version, e.shadow);
    }
}
