package org.lifelongpulse.fundrisk.rules;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.lifelongpulse.fundrisk.records.AlertRow;
import org.lifelongpulse.fundrisk.records.FundTransaction;

/**
 * The rules applied to one institution: transactions in event-time order, deadlines when event time
 * reaches them. Plain Java over an {@link InstitutionStore}; the Flink function keeps the state,
 * orders the input and sets the timers {@link #deadlines} asks for.
 *
 * <p>Alert lifecycle (README, "Alert lifecycle"): one alert per (rule, institution, episode) with
 * the id {@code RULE-INSTITUTION-episodeStartMillis}. Its first version is OPEN; UPDATED versions
 * follow when an incident rule hits again, a level rises, more refunds become overdue, or a
 * resolved alert re-triggers within its cool-down ({@code cooldown_days}); the last is RESOLVED.
 * Its severity is the highest level reached. Episodes end: incident rules (R1-R4, R7, R12) when a
 * supervisor closes them (or after {@code resolve_after_days} without a new hit, when set);
 * condition rules (R5, R6, R8-R10, R13) once the condition has stayed clear for {@code quiet_hours}
 * (for R8-R10 it is also judged when event time passes the window after the last transaction; R13
 * is clear once transactions resume); R11 when every overdue request is paid; COMPOSITE when
 * neither R9 nor R10 is open; any rule when it is disabled. A supervisor's close ends the episode
 * for good: re-triggers within the cool-down after it are absorbed.
 *
 * <p>The same engine runs a trial: SHADOW settings beside the enforced ones, on the same ledger and
 * series, with their own alerts (ids ending {@code -shadow}) and their own memory of charges,
 * deadlines and overdue requests ({@link #trial}). Only an enforcing engine records transactions; a
 * trial judges what the enforcing engine recorded.
 */
public final class RiskEngine {

    private static final List<RuleId> WINDOWED = List.of(RuleId.R8, RuleId.R9, RuleId.R10);

    /** What recording a transaction found, for the rules that judge it. */
    public record Applied(FundTransaction txn, RefundRequest settled, Long cardBalance) {}

    private final String institutionId;
    private final InstitutionStore s;

    /** Where transactions are recorded: the enforcing engine's store; null for a trial. */
    private final InstitutionRecords records;

    private final InstitutionHistory reference;
    private final RuleSet rules;
    private final List<AlertRow> out;
    private final boolean trial;
    private final Set<RuleId> reported;
    private final long seriesLookback;

    private RiskEngine(
            String institutionId,
            InstitutionStore state,
            InstitutionRecords records,
            InstitutionHistory reference,
            RuleSet rules,
            List<AlertRow> out,
            Set<RuleId> reported,
            long seriesLookback) {
        this.institutionId = institutionId;
        this.s = state;
        this.records = records;
        this.trial = records == null;
        this.reference = reference;
        this.rules = rules;
        this.out = out;
        this.reported = reported;
        this.seriesLookback = seriesLookback;
    }

    /**
     * An enforcing engine that keeps the series long enough for a trial's windows too.
     *
     * @param reference the institution's reference versions; null when none is known yet
     * @param trial the trial beside it, or null
     * @param out receives every alert version produced
     */
    public static RiskEngine enforcing(
            String institutionId,
            InstitutionRecords state,
            InstitutionHistory reference,
            RuleSet rules,
            RuleBook.Trial trial,
            List<AlertRow> out) {
        long lookback =
                trial == null
                        ? rules.lookback()
                        : Math.max(rules.lookback(), trial.rules().lookback());
        return new RiskEngine(institutionId, state, state, reference, rules, out, null, lookback);
    }

    /**
     * A trial engine: judges with {@code trial}'s rules on {@code trialState} (a view sharing the
     * ledger, series and requests of the enforcing engine's store), reporting only the rules on
     * trial. With a null trial it only resolves the alerts of a trial that has ended.
     */
    public static RiskEngine trial(
            String institutionId,
            InstitutionStore trialState,
            InstitutionHistory reference,
            RuleBook.Trial trial,
            List<AlertRow> out) {
        RuleSet rules = trial == null ? RuleSet.disabled() : trial.rules();
        Set<RuleId> reported = trial == null ? EnumSet.allOf(RuleId.class) : trial.reported();
        return new RiskEngine(institutionId, trialState, null, reference, rules, out, reported, 0);
    }

    /** The district of the latest reference version, UNKNOWN until one is known. */
    public String district() {
        InstitutionVersion latest = reference == null ? null : reference.latest();
        return latest == null || latest.district() == null ? "UNKNOWN" : latest.district();
    }

    private InstitutionVersion versionAt(long t) {
        return reference == null ? null : reference.at(t);
    }

    /**
     * Records one transaction (in event-time order) and judges it: {@link #record}, {@link #judge}.
     */
    public Applied apply(FundTransaction txn) {
        Applied applied = record(txn);
        judge(applied);
        return applied;
    }

    /** Records a transaction in the ledger, the series, the cards and the refund requests. */
    public Applied record(FundTransaction txn) {
        if (records == null) {
            throw new IllegalStateException("a trial judges transactions, it does not record them");
        }
        InstitutionRecords s = records;
        long t = txn.eventTime();
        RefundRequest settled =
                FundTransaction.REFUND_PAID.equals(txn.type()) && txn.refundRequestId() != null
                        ? s.removeRefundRequest(txn.refundRequestId())
                        : null;
        s.ledger().apply(txn, settled);
        s.progress().applied(t);
        Long balance = null;
        if (txn.isSale()) {
            s.series(Series.SALES).add(t, txn.amountFen());
            if (txn.cardId() != null) {
                balance = s.addToCard(txn.cardId(), txn.amountFen());
            }
            if (txn.isOutsideSupervision()) {
                s.series(Series.OUTSIDE).add(t, txn.amountFen());
            }
        } else if (FundTransaction.CONSUMPTION.equals(txn.type())) {
            s.series(Series.DELIVERED).add(t, txn.amountFen());
            if (txn.cardId() != null) {
                s.addToCard(txn.cardId(), -txn.amountFen());
            }
        } else if (FundTransaction.REFUND_REQUEST.equals(txn.type())) {
            s.series(Series.REQUESTS).add(t, 1);
            if (s.refundRequest(txn.txnId()) == null) {
                s.putRefundRequest(txn.txnId(), new RefundRequest(txn.amountFen(), t, null));
                s.ledger().requestRefund(txn.amountFen());
            }
        }
        if (FundTransaction.REFUND_PAID.equals(txn.type()) && txn.cardId() != null) {
            s.addToCard(txn.cardId(), -txn.amountFen());
        }
        return new Applied(txn, settled, balance);
    }

    /** Evaluates the rules after a recorded transaction. */
    public void judge(Applied applied) {
        FundTransaction txn = applied.txn();
        long t = txn.eventTime();
        InstitutionProgress progress = s.progress();
        if (trial) {
            progress.applied(t);
        }
        settleEpisodes(t);
        InstitutionVersion version = versionAt(t);
        if (rules.enabled(RuleId.R13)) {
            clear(RuleId.R13, t);
        }
        progress.watchSilence(null, null);
        if (txn.isSale()) {
            sale(applied, t, version);
        }
        if (applied.settled() != null) {
            Level mark = s.settledOverdue(txn.refundRequestId(), applied.settled());
            if (mark != null
                    && rules.enabled(RuleId.R11)
                    && s.refundRequests().values().stream().noneMatch(r -> r.overdue() != null)) {
                resolve(RuleId.R11, t, "every overdue refund request was paid");
            }
        }
        evaluateStates(t);
        if (rules.enabled(RuleId.R13) && rules.feedSilence.watches(s.ledger(), version)) {
            progress.watchSilence(t, rules.feedSilence.deadline(t));
        }
        prune(t);
    }

    private void sale(Applied applied, long t, InstitutionVersion version) {
        FundTransaction txn = applied.txn();
        long amount = txn.amountFen();
        incident(RuleId.R1, rules.prepaidSpan.check(txn), t);
        incident(RuleId.R2, rules.chargeAmount.check(txn), t);
        if (applied.cardBalance() != null) {
            incident(RuleId.R3, rules.cardCap.check(txn, applied.cardBalance()), t);
        }
        if (txn.isOutsideSupervision()) {
            long inWindow =
                    s.series(Series.OUTSIDE).sum(t - rules.outsideSupervision.windowMillis(), t);
            incident(RuleId.R4, rules.outsideSupervision.check(txn, inWindow), t);
        }
        incident(RuleId.R7, rules.salesWhileInactive.check(txn, version), t);
        if (txn.payerHash() != null
                && (!trial || rules.enabled(RuleId.R12))
                && rules.structuring.nearCap(amount, txn.cardKind())) {
            // a payer's older charges are dropped here, the other payers' once a day (prune):
            // the rule counts only charges within its window either way
            long from = t - rules.structuring.lookback();
            List<Long> charges = new ArrayList<>(s.nearCapCharges(txn.payerHash()));
            charges.removeIf(c -> c <= from);
            charges.add(t);
            s.putNearCapCharges(txn.payerHash(), charges);
            incident(RuleId.R12, rules.structuring.check(charges, t, txn.payerHash()), t);
        }
    }

    /** R5, R6, R8, R9, R10 and the composite, after each transaction. */
    public void evaluateStates(long t) {
        evaluateStates(t, EnumSet.allOf(RuleId.class));
    }

    /** Re-evaluates the condition rules among {@code rules}, at a change of their settings. */
    public void evaluateStates(long t, Set<RuleId> only) {
        Ledger ledger = s.ledger();
        SeriesBuckets sales = s.series(Series.SALES);
        List<Long> surgeStarts = s.progress().getSurgeStarts();
        if (only.contains(RuleId.R5)) {
            state(RuleId.R5, rules.escrowCoverage.check(ledger, t), t);
        }
        if (only.contains(RuleId.R6)) {
            state(RuleId.R6, rules.releaseAhead.check(ledger, t), t);
        }
        if (only.contains(RuleId.R8) && state(RuleId.R8, rules.salesSurge.check(sales, t), t)) {
            surgeStarts.add(t);
        }
        boolean collapse =
                only.contains(RuleId.R9)
                        && state(
                                RuleId.R9,
                                rules.deliveryCollapse.check(s.series(Series.DELIVERED), sales, t),
                                t);
        boolean spike =
                only.contains(RuleId.R10)
                        && state(
                                RuleId.R10,
                                rules.refundSpike.check(s.series(Series.REQUESTS), t),
                                t);
        if (rules.enabled(RuleId.COMPOSITE)) {
            if (collapse) {
                hold(rules.absconding.check(surgeStarts, RuleId.R9, t), t);
            }
            if (spike) {
                hold(rules.absconding.check(surgeStarts, RuleId.R10, t), t);
            }
        }
        endCompositeIfOver(t);
    }

    private void endCompositeIfOver(long t) {
        if (rules.enabled(RuleId.COMPOSITE) && !isOpen(RuleId.R9) && !isOpen(RuleId.R10)) {
            resolve(
                    RuleId.COMPOSITE,
                    t,
                    "neither the delivery collapse nor the refund spike holds any more");
        }
    }

    private boolean isOpen(RuleId rule) {
        Episode e = s.episode(rule);
        return e != null && e.isOpen();
    }

    /**
     * Handles every deadline at or before {@code now}: R11, R13, quiet periods, cool-downs and
     * windows; and rules disabled since.
     */
    public void wakeUp(long now) {
        settleEpisodes(now);
        overdueRefunds(now);
        InstitutionProgress progress = s.progress();
        if (progress.getSilenceDeadline() != null && now >= progress.getSilenceDeadline()) {
            if (rules.enabled(RuleId.R13)) {
                hold(
                        rules.feedSilence.check(
                                progress.getSilenceFrom(), now, s.ledger(), versionAt(now)),
                        now);
            }
            progress.watchSilence(null, null);
        }
        for (Episode e : s.episodes()) {
            if (!e.isOpen()) {
                continue;
            }
            if (e.quietUntil() != null && now >= e.quietUntil()) {
                resolve(
                        e.rule(),
                        now,
                        String.format(
                                "no new occurrence for %d days",
                                rules.settings(e.rule()).count("resolve_after_days")));
            } else if (e.clearSince() != null && now >= e.clearSince() + quiet(e.rule())) {
                resolve(
                        e.rule(),
                        now,
                        String.format(
                                Locale.ROOT,
                                "the condition has not held since %s (%d h)",
                                Instant.ofEpochMilli(e.clearSince()),
                                quiet(e.rule()) / RuleSettings.HOUR));
            }
        }
        for (RuleId rule : WINDOWED) {
            Episode e = s.episode(rule);
            if (e != null
                    && e.isOpen()
                    && e.clearSince() == null
                    && rules.enabled(rule)
                    && now >= progress.getLastEventAt() + rules.windowOf(rule)) {
                Optional<Finding> still =
                        switch (rule) {
                            case R8 -> rules.salesSurge.check(s.series(Series.SALES), now);
                            case R9 ->
                                    rules.deliveryCollapse.check(
                                            s.series(Series.DELIVERED),
                                            s.series(Series.SALES),
                                            now);
                            default -> rules.refundSpike.check(s.series(Series.REQUESTS), now);
                        };
                if (still.isEmpty()) {
                    clear(rule, now);
                } else {
                    hold(still, now);
                }
            }
        }
        endCompositeIfOver(now);
    }

    /**
     * A supervisor closes the alert {@code alertId} at event time {@code at} (the institution's
     * current time), if this engine holds it at {@code seenVersion} or later. Returns whether the
     * close was applied (it stays pending otherwise: a replay may not have reached it yet).
     */
    public boolean close(String alertId, long seenVersion, String actor, String reason, long at) {
        for (Episode e : s.episodes()) {
            if (!e.alertId().equals(alertId) || e.version() < seenVersion) {
                continue;
            }
            if (!e.isOpen()) {
                s.putEpisode(
                        new Episode(
                                e.alertId(),
                                e.rule(),
                                e.level(),
                                e.firstDetectedAt(),
                                e.lastDetectedAt(),
                                e.windowStart(),
                                e.windowEnd(),
                                e.observed(),
                                e.threshold(),
                                e.evidence(),
                                e.ruleVersion(),
                                e.shadow(),
                                e.version(),
                                null,
                                null,
                                e.endedAt(),
                                true));
                return true;
            }
            long when = Math.max(at, e.lastDetectedAt());
            Episode closed = e.ended(when, true);
            s.putEpisode(closed);
            emit(
                    closed,
                    "RESOLVED",
                    "Closed by "
                            + actor
                            + " at "
                            + Instant.ofEpochMilli(when)
                            + (reason == null || reason.isBlank() ? "" : ": " + reason)
                            + ". Last finding: "
                            + e.evidence());
            return true;
        }
        return false;
    }

    /** Whether this engine holds the alert {@code alertId} (open or remembered). */
    public boolean holds(String alertId) {
        return s.episodes().stream().anyMatch(e -> e.alertId().equals(alertId));
    }

    private void overdueRefunds(long now) {
        if (!rules.enabled(RuleId.R11)) {
            return;
        }
        RefundOverdueRule rule = rules.refundOverdue;
        boolean changed = false;
        Map<String, RefundRequest> requests = s.refundRequests();
        for (Map.Entry<String, RefundRequest> request : requests.entrySet()) {
            RefundRequest r = request.getValue();
            Level level = rule.levelAt(r.requestedAt(), now);
            if (level != null && (r.overdue() == null || r.overdue().compareTo(level) < 0)) {
                request.setValue(r.withOverdue(level));
                s.putRefundRequest(request.getKey(), request.getValue());
                changed = true;
            }
        }
        if (!changed) {
            return;
        }
        long oldest = Long.MAX_VALUE;
        Level highest = null;
        long pendingFen = 0;
        int overdue = 0;
        for (RefundRequest r : requests.values()) {
            if (r.overdue() != null) {
                oldest = Math.min(oldest, r.requestedAt());
                highest = Level.max(highest, r.overdue());
                pendingFen += r.amountFen();
                overdue++;
            }
        }
        long thresholdMillis =
                highest == Level.RED ? rule.redAfterMillis() : rule.yellowAfterMillis();
        hold(
                Optional.of(
                        new Finding(
                                RuleId.R11,
                                highest,
                                (double) (now - oldest) / RuleSettings.DAY,
                                (double) thresholdMillis / RuleSettings.DAY,
                                oldest,
                                now,
                                String.format(
                                        Locale.ROOT,
                                        "%d refund request(s) of %s unpaid; the oldest,"
                                                + " made %s, has waited %.1f days (limit %d).",
                                        overdue,
                                        Money.yuan(pendingFen),
                                        Instant.ofEpochMilli(oldest),
                                        (double) (now - oldest) / RuleSettings.DAY,
                                        thresholdMillis / RuleSettings.DAY))),
                now);
    }

    /**
     * The event times at which {@link #wakeUp} has work: refund deadlines, the silence deadline,
     * quiet periods and window ends of open alerts, and {@code lastEventAt + retention} (when a
     * closed institution's state may go).
     */
    public SortedSet<Long> deadlines(long closedRetentionMillis) {
        SortedSet<Long> due = new TreeSet<>();
        if (rules.enabled(RuleId.R11)) {
            for (RefundRequest request : s.refundRequests().values()) {
                if (request.overdue() == null) {
                    due.add(rules.refundOverdue.firstDeadline(request.requestedAt()));
                }
                if (request.overdue() != Level.RED) {
                    due.add(rules.refundOverdue.redDeadline(request.requestedAt()));
                }
            }
        }
        InstitutionProgress progress = s.progress();
        long lastEventAt = progress.getLastEventAt();
        if (progress.getSilenceDeadline() != null) {
            due.add(progress.getSilenceDeadline());
        }
        for (Episode e : s.episodes()) {
            if (!e.isOpen()) {
                continue;
            }
            if (e.quietUntil() != null) {
                due.add(e.quietUntil());
            }
            if (e.clearSince() != null) {
                due.add(e.clearSince() + quiet(e.rule()));
            } else {
                long window = rules.windowOf(e.rule());
                if (window > 0 && lastEventAt != Long.MIN_VALUE) {
                    due.add(lastEventAt + window);
                }
            }
        }
        if (lastEventAt != Long.MIN_VALUE && !trial) {
            due.add(lastEventAt + closedRetentionMillis);
        }
        return due;
    }

    /**
     * Whether the institution's state can go: it is CLOSED or REVOKED at {@code now} and has sent
     * nothing for the retention period (longer than any rule window).
     */
    public boolean isGone(long now, long closedRetentionMillis) {
        InstitutionVersion version = versionAt(now);
        return version != null
                && version.isGone()
                && now >= s.progress().getLastEventAt() + closedRetentionMillis;
    }

    /** Score of the open alerts, or null when it has not changed since the last call. */
    public RiskScore.Summary riskChange() {
        RiskScore.Summary now =
                RiskScore.of(s.episodes().stream().filter(Episode::isOpen).toList());
        return s.progress().recordRisk(now) ? now : null;
    }

    private void prune(long t) {
        if (!trial) {
            for (Series series : Series.values()) {
                s.series(series).prune(t, seriesLookback);
            }
        }
        InstitutionProgress progress = s.progress();
        if (t >= progress.getNearCapSweptAt() + RuleSettings.DAY) {
            long from = t - rules.structuring.lookback();
            for (String payer : s.nearCapPayers()) {
                List<Long> charges = new ArrayList<>(s.nearCapCharges(payer));
                if (charges.removeIf(c -> c <= from)) {
                    s.putNearCapCharges(payer, charges);
                }
            }
            progress.setNearCapSweptAt(t);
        }
        long composite = rules.absconding.windowMillis();
        progress.getSurgeStarts().removeIf(start -> start < t - composite);
    }

    /**
     * Resolves the open alerts of rules switched off (a rule change, or a trial's end) and forgets
     * ended episodes whose cool-down has passed (a new hit opens a new alert).
     */
    private void settleEpisodes(long t) {
        for (Episode e : s.episodes()) {
            if (e.isOpen() && !rules.enabled(e.rule())) {
                resolve(
                        e.rule(),
                        t,
                        trial ? "the trial of the rule ended" : "the rule was disabled");
            } else if (!e.isOpen() && t > e.endedAt() + cooldown(e.rule())) {
                s.removeEpisode(e.rule());
            }
        }
    }

    private long cooldown(RuleId rule) {
        return rules.settings(rule).days("cooldown_days");
    }

    private long quiet(RuleId rule) {
        return rules.settings(rule).hours("quiet_hours");
    }

    /** An incident rule's hit opens or updates its episode (and restarts its quiet period). */
    private void incident(RuleId rule, Optional<Finding> finding, long t) {
        if (!rules.enabled(rule) || finding.isEmpty()) {
            return;
        }
        hold(finding, t);
        long resolveAfter = rules.settings(rule).days("resolve_after_days");
        Episode e = s.episode(rule);
        if (resolveAfter > 0 && e != null && e.isOpen()) {
            s.putEpisode(e.quietUntil(t + resolveAfter));
        }
    }

    /** A condition rule holds or not; returns whether a new alert started now. */
    private boolean state(RuleId rule, Optional<Finding> finding, long t) {
        if (!rules.enabled(rule)) {
            return false;
        }
        if (finding.isEmpty()) {
            clear(rule, t);
            return false;
        }
        return hold(finding, t);
    }

    /** The condition of an open alert is gone at {@code t}: it resolves after the quiet period. */
    private void clear(RuleId rule, long t) {
        Episode e = s.episode(rule);
        if (e == null || !e.isOpen() || e.clearSince() != null) {
            return;
        }
        if (quiet(rule) <= 0) {
            resolve(rule, t, "the condition no longer holds");
        } else {
            s.putEpisode(e.clearing(t));
        }
    }

    /**
     * The rule holds at {@code t}: opens a new alert, re-opens one in its cool-down, updates an
     * open one, or is absorbed by a closed one. Returns whether a new alert started.
     */
    private boolean hold(Optional<Finding> finding, long t) {
        if (finding.isEmpty()) {
            return false;
        }
        Finding f = finding.get();
        RuleId rule = f.rule();
        RuleSettings settings = rules.settings(rule);
        Episode e = s.episode(rule);
        if (e != null && !e.isOpen()) {
            if (t > e.endedAt() + cooldown(rule)) {
                s.removeEpisode(rule);
                e = null;
            } else if (e.closed()) {
                return false;
            } else {
                e = e.reopened(t, f.level()).reporting(f, settings, trial);
                s.putEpisode(e);
                emit(e, "UPDATED", e.evidence());
                return false;
            }
        }
        if (e == null) {
            String id = rule.name() + "-" + institutionId + "-" + t + (trial ? "-shadow" : "");
            e = Episode.open(id, rule, f.level(), t).reporting(f, settings, trial);
            s.putEpisode(e);
            emit(e, "OPEN", e.evidence());
            return true;
        }
        Level higher = Level.max(e.level(), f.level());
        boolean material = rule.kind() != RuleId.Kind.STATE || higher != e.level();
        e = e.detected(t, higher);
        if (material) {
            e = e.reporting(f, settings, trial);
            emit(e, "UPDATED", e.evidence());
        }
        s.putEpisode(e);
        return false;
    }

    private void resolve(RuleId rule, long t, String why) {
        Episode e = s.episode(rule);
        if (e == null || !e.isOpen()) {
            return;
        }
        e = e.ended(t, false);
        s.putEpisode(e);
        emit(
                e,
                "RESOLVED",
                "Resolved at "
                        + Instant.ofEpochMilli(t)
                        + ": "
                        + why
                        + ". Last finding: "
                        + e.evidence());
    }

    private void emit(Episode e, String status, String evidence) {
        if (reported != null && !reported.contains(e.rule())) {
            return;
        }
        out.add(
                new AlertRow(
                        e.alertId(),
                        institutionId,
                        district(),
                        e.rule().name(),
                        e.ruleVersion(),
                        e.level().name(),
                        status,
                        e.firstDetectedAt(),
                        e.lastDetectedAt(),
                        e.windowStart(),
                        e.windowEnd(),
                        e.observed(),
                        e.threshold(),
                        evidence,
                        e.rule().citation(),
                        e.version(),
                        e.shadow()));
    }
}
