package org.lifelongpulse.fundrisk.rules;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.lifelongpulse.fundrisk.records.AlertRow;
import org.lifelongpulse.fundrisk.records.FundTransaction;

/**
 * The rules applied to one institution: transactions in event-time order, deadlines when event time
 * reaches them. Plain Java over an {@link InstitutionStore}; the Flink function keeps the state,
 * orders the input and sets the timers {@link #deadlines} asks for.
 *
 * <p>Alert lifecycle: one alert per (rule, institution, episode) with the id {@code
 * RULE-INSTITUTION-episodeStartMillis}. Its first version is OPEN; UPDATED versions follow when an
 * incident rule hits again, a level rises, or more refunds become overdue; the last is RESOLVED.
 * Its severity is the highest level reached in the episode. Episodes end: incident rules (R1-R4,
 * R7, R12) after {@code resolve_after_days} without a new hit; state rules (R5, R6, R8-R10) when an
 * evaluation finds the condition gone (for R8-R10 also when event time passes the window after the
 * last transaction); R11 when every overdue request is paid; R13 when a transaction arrives;
 * COMPOSITE when neither R9 nor R10 holds.
 */
public final class RiskEngine {

    private static final List<RuleId> WINDOWED = List.of(RuleId.R8, RuleId.R9, RuleId.R10);

    private final String institutionId;
    private final InstitutionStore s;
    private final InstitutionHistory reference;
    private final RuleSet rules;
    private final List<AlertRow> out;

    /**
     * @param reference the institution's reference versions; null when none is known yet
     * @param out receives every alert version produced
     */
    public RiskEngine(
            String institutionId,
            InstitutionStore state,
            InstitutionHistory reference,
            RuleSet rules,
            List<AlertRow> out) {
        this.institutionId = institutionId;
        this.s = state;
        this.reference = reference;
        this.rules = rules;
        this.out = out;
    }

    /** The district of the latest reference version, UNKNOWN until one is known. */
    public String district() {
        InstitutionVersion latest = reference == null ? null : reference.latest();
        return latest == null || latest.district() == null ? "UNKNOWN" : latest.district();
    }

    private InstitutionVersion versionAt(long t) {
        return reference == null ? null : reference.at(t);
    }

    /** Applies one transaction (in event-time order) and evaluates the rules after it. */
    public void apply(FundTransaction txn) {
        long t = txn.eventTime();
        RefundRequest settled =
                FundTransaction.REFUND_PAID.equals(txn.type()) && txn.refundRequestId() != null
                        ? s.removeRefundRequest(txn.refundRequestId())
                        : null;
        s.ledger().apply(txn, settled);
        InstitutionProgress progress = s.progress();
        progress.applied(t);
        InstitutionVersion version = versionAt(t);
        resolve(RuleId.R13, t, "transactions resumed");
        progress.watchSilence(null, null);
        if (txn.isSale()) {
            sale(txn, t, version);
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
        if (settled != null
                && settled.overdue() != null
                && s.refundRequests().values().stream().noneMatch(r -> r.overdue() != null)) {
            resolve(RuleId.R11, t, "every overdue refund request was paid");
        }
        evaluateStates(t);
        if (rules.enabled(RuleId.R13) && rules.feedSilence.watches(s.ledger(), version)) {
            progress.watchSilence(t, rules.feedSilence.deadline(t));
        }
        prune(t);
    }

    private void sale(FundTransaction txn, long t, InstitutionVersion version) {
        long amount = txn.amountFen();
        s.series(Series.SALES).add(t, amount);
        incident(RuleId.R1, rules.prepaidSpan.check(txn), t);
        incident(RuleId.R2, rules.chargeAmount.check(txn), t);
        if (txn.cardId() != null) {
            long balance = s.addToCard(txn.cardId(), amount);
            incident(RuleId.R3, rules.cardCap.check(txn, balance), t);
        }
        if (txn.isOutsideSupervision()) {
            SeriesBuckets outside = s.series(Series.OUTSIDE);
            outside.add(t, amount);
            long inWindow = outside.sum(t - rules.outsideSupervision.windowMillis(), t);
            incident(RuleId.R4, rules.outsideSupervision.check(txn, inWindow), t);
        }
        incident(RuleId.R7, rules.salesWhileInactive.check(txn, version), t);
        if (txn.payerHash() != null && rules.structuring.nearCap(amount, txn.cardKind())) {
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
    private void evaluateStates(long t) {
        Ledger ledger = s.ledger();
        SeriesBuckets sales = s.series(Series.SALES);
        List<Long> surgeStarts = s.progress().getSurgeStarts();
        state(RuleId.R5, rules.escrowCoverage.check(ledger, t), t);
        state(RuleId.R6, rules.releaseAhead.check(ledger, t), t);
        if (state(RuleId.R8, rules.salesSurge.check(sales, t), t)) {
            surgeStarts.add(t);
        }
        boolean collapse =
                state(
                        RuleId.R9,
                        rules.deliveryCollapse.check(s.series(Series.DELIVERED), sales, t),
                        t);
        boolean spike = state(RuleId.R10, rules.refundSpike.check(s.series(Series.REQUESTS), t), t);
        if (rules.enabled(RuleId.COMPOSITE)) {
            if (collapse) {
                raise(rules.absconding.check(surgeStarts, RuleId.R9, t), t);
            }
            if (spike) {
                raise(rules.absconding.check(surgeStarts, RuleId.R10, t), t);
            }
        }
        endCompositeIfOver(t);
    }

    private void endCompositeIfOver(long t) {
        if (!rules.enabled(RuleId.COMPOSITE)) {
            resolve(RuleId.COMPOSITE, t, "the rule was disabled");
        } else if (s.episode(RuleId.R9) == null && s.episode(RuleId.R10) == null) {
            resolve(
                    RuleId.COMPOSITE,
                    t,
                    "neither the delivery collapse nor the refund spike" + " holds any more");
        }
    }

    /** Handles every deadline at or before {@code now}: R11, R13, quiet periods, windows. */
    public void wakeUp(long now) {
        overdueRefunds(now);
        InstitutionProgress progress = s.progress();
        if (progress.getSilenceDeadline() != null && now >= progress.getSilenceDeadline()) {
            if (rules.enabled(RuleId.R13)) {
                raise(
                        rules.feedSilence.check(
                                progress.getSilenceFrom(), now, s.ledger(), versionAt(now)),
                        now);
            }
            progress.watchSilence(null, null);
        }
        for (Episode e : s.episodes()) {
            if (e.quietUntil() != null && now >= e.quietUntil()) {
                resolve(
                        e.rule(),
                        now,
                        String.format(
                                "no new occurrence for %d days",
                                rules.settings(e.rule()).count("resolve_after_days")));
            }
        }
        for (RuleId rule : WINDOWED) {
            if (s.episode(rule) != null
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
        raise(
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
            if (e.quietUntil() != null) {
                due.add(e.quietUntil());
            }
            long window = rules.windowOf(e.rule());
            if (window > 0) {
                due.add(lastEventAt + window);
            }
        }
        if (lastEventAt != Long.MIN_VALUE) {
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
        RiskScore.Summary now = RiskScore.of(s.episodes());
        return s.progress().recordRisk(now) ? now : null;
    }

    private void prune(long t) {
        long lookback = rules.lookback();
        for (Series series : Series.values()) {
            s.series(series).prune(t, lookback);
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

    /** An incident rule's hit opens or updates its episode and restarts its quiet period. */
    private void incident(RuleId rule, Optional<Finding> finding, long t) {
        if (!rules.enabled(rule)) {
            resolve(rule, t, "the rule was disabled");
            return;
        }
        finding.ifPresent(
                f -> {
                    raise(Optional.of(f), t);
                    s.putEpisode(
                            s.episode(rule)
                                    .quietUntil(
                                            t + rules.settings(rule).days("resolve_after_days")));
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
        boolean starts = s.episode(rule) == null;
        raise(finding, t);
        return starts;
    }

    private void raise(Optional<Finding> finding, long t) {
        if (finding.isEmpty()) {
            return;
        }
        Finding f = finding.get();
        RuleSettings settings = rules.settings(f.rule());
        Episode e = s.episode(f.rule());
        boolean material;
        String status;
        if (e == null) {
            e =
                    Episode.open(
                            f.rule().name() + "-" + institutionId + "-" + t,
                            f.rule(),
                            f.level(),
                            t);
            material = true;
            status = "OPEN";
        } else {
            Level higher = Level.max(e.level(), f.level());
            material = f.rule().kind() != RuleId.Kind.STATE || higher != e.level();
            e = e.detected(t, higher);
            status = "UPDATED";
        }
        if (material) {
            e = e.reporting(f, settings);
            out.add(row(e, status, e.evidence()));
        }
        s.putEpisode(e);
    }

    private void resolve(RuleId rule, long t, String why) {
        Episode e = s.removeEpisode(rule);
        if (e == null) {
            return;
        }
        e = e.nextVersion();
        out.add(
                row(
                        e,
                        "RESOLVED",
                        "Resolved at "
                                + Instant.ofEpochMilli(t)
                                + ": "
                                + why
                                + ". Last finding: "
                                + e.evidence()));
    }

    private AlertRow row(Episode e, String status, String evidence) {
        return new AlertRow(
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
                e.shadow());
    }
}
