package org.lifelongpulse.generator;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.lifelongpulse.avro.AlertStatus;
import org.lifelongpulse.avro.CardKind;
import org.lifelongpulse.avro.Institution;
import org.lifelongpulse.avro.LicenseStatus;
import org.lifelongpulse.avro.PrepaidTransaction;
import org.lifelongpulse.avro.Settlement;
import org.lifelongpulse.avro.Severity;
import org.lifelongpulse.avro.TransactionType;

/**
 * A plain, deliberately simple evaluation of the risk rules over one institution's de-duplicated
 * transactions in event-time order: the reference the fund-risk job is checked against. Rules are
 * evaluated after each transaction, windows trail its time; the deadlines (R11, R13, quiet periods
 * and the window wake-ups of R8-R10) fire only up to the watermark real events reach (last event
 * time - B), and a transaction at a deadline's very instant is applied first.
 *
 * <p>Alerts follow the episodes of issue #14: a hold with no open alert opens one (id {@code
 * RULE-INSTITUTION-tMillis}) unless the rule's last alert resolved at most {@code cooldown} before,
 * which re-opens that alert; incident rules (R1-R4, R7, R12) never resolve; condition rules (R5,
 * R6, R8-R10, R13) resolve after {@code quiet} clear; R11 when every overdue request is paid; the
 * composite when neither R9 nor R10 is open.
 *
 * <p>Each institution is evaluated twice, with windows that exclude and that include their start
 * instant; a scenario whose outcome depends on that convention, or whose deadlines or cool-down
 * boundaries fall within an hour of a deciding event or of the end of the world, is reported
 * ambiguous so that the market can redraw it.
 */
final class AlertTruth {

    /** A rule that fired: when its condition first held and the severity it reached. */
    record Detection(Rule rule, long firstDetectedAt, Severity severity, Long firstRedAt) {}

    /**
     * One alert id as a run leaves it.
     *
     * @param lastDetectedAt the last time the rule held in the episode (re-opens included)
     * @param severity the highest level over the whole episode
     * @param status RESOLVED if its last version resolved it; else OPEN with one version, UPDATED
     * @param resolvedAt when it last resolved; null unless RESOLVED
     * @param versions how many versions the job emits for it
     */
    record Episode(
            Rule rule,
            String alertId,
            long firstDetectedAt,
            long lastDetectedAt,
            Severity severity,
            AlertStatus status,
            Long resolvedAt,
            int versions) {}

    /** What the rules say about one institution. */
    record Outcome(
            String institutionId,
            Map<Rule, Detection> fired,
            List<Episode> episodes,
            Map<Rule, Double> closest,
            List<String> ambiguities,
            Ledger ledger) {}

    private static final long AMBIGUITY = Time.HOUR;

    /** Timers this close to the end of the world might or might not be reached. */
    private static final long END_MARGIN = 12 * Time.HOUR;

    /** Rules that emit a version on every hold while open (the incident rules and R11). */
    private static final Set<Rule> EVERY_HOLD =
            EnumSet.of(Rule.R1, Rule.R2, Rule.R3, Rule.R4, Rule.R7, Rule.R11, Rule.R12);

    /** Condition rules: they resolve once clear for the quiet period. */
    private static final Set<Rule> QUIET =
            EnumSet.of(Rule.R5, Rule.R6, Rule.R8, Rule.R9, Rule.R10, Rule.R13);

    /** Condition rules evaluated after each transaction, in this order. */
    private static final List<Rule> CONDITIONS =
            List.of(Rule.R5, Rule.R6, Rule.R8, Rule.R9, Rule.R10);

    /** The windowed rules, woken up this long after the last transaction. */
    private static final Map<Rule, Long> WAKE_UP =
            new EnumMap<>(
                    Map.of(Rule.R8, 7 * Time.DAY, Rule.R9, 14 * Time.DAY, Rule.R10, 7 * Time.DAY));

    private final RuleThresholds limits;
    private final long watermarkEnd;
    private final long worldEnd;

    /**
     * @param watermarkEnd the last watermark real events produce: last event time - B
     * @param worldEnd the end of the fund world
     */
    AlertTruth(RuleThresholds limits, long watermarkEnd, long worldEnd) {
        this.limits = limits;
        this.watermarkEnd = watermarkEnd;
        this.worldEnd = worldEnd;
    }

    /**
     * @param txns the institution's transactions, de-duplicated, sorted by event time
     * @param versions its reference data versions, sorted by updated_at
     */
    Outcome evaluate(
            String institutionId, List<PrepaidTransaction> txns, List<Institution> versions) {
        Pass exclusive = new Pass(institutionId, versions, false);
        Pass inclusive = new Pass(institutionId, versions, true);
        exclusive.run(txns);
        inclusive.run(txns);
        List<String> ambiguities = new ArrayList<>(exclusive.ambiguities);
        if (!exclusive.fired().equals(inclusive.fired())) {
            ambiguities.add(
                    "outcome depends on whether windows include their start: "
                            + exclusive.fired().keySet()
                            + " vs "
                            + inclusive.fired().keySet());
        } else if (!exclusive.episodes().equals(inclusive.episodes())) {
            ambiguities.add(
                    "episodes depend on whether windows include their start: "
                            + summary(exclusive.episodes())
                            + " vs "
                            + summary(inclusive.episodes()));
        }
        return new Outcome(
                institutionId,
                exclusive.fired(),
                exclusive.episodes(),
                exclusive.closest,
                ambiguities,
                exclusive.ledger);
    }

    private static List<String> summary(List<Episode> episodes) {
        return episodes.stream()
                .map(e -> e.alertId() + " " + e.status() + " " + e.severity() + " v" + e.versions())
                .toList();
    }

    private static Severity max(Severity a, Severity b) {
        return a == Severity.RED || b == Severity.RED ? Severity.RED : a;
    }

    /** The first detection and highest severity of one rule. */
    private static final class Track {
        Long first;
        Severity severity;
        Long firstRed;

        void hit(long t, Severity s) {
            first = first == null ? t : Math.min(first, t);
            if (s == Severity.RED) {
                firstRed = firstRed == null ? t : Math.min(firstRed, t);
                severity = Severity.RED;
            } else if (severity == null) {
                severity = s;
            }
        }
    }

    /** One alert id of one rule, while the pass runs. */
    private static final class Alert {
        final Rule rule;
        final String id;
        final long first;
        long last;
        Severity severity;
        int versions = 1;
        boolean open = true;

        /** Condition rules: when an evaluation first found the condition gone; null if holding. */
        Long clearingSince;

        Long resolvedAt;

        /** Whether its last resolution came from the end of a quiet period. */
        boolean quietEnded;

        Alert(Rule rule, String id, long t, Severity level) {
            this.rule = rule;
            this.id = id;
            this.first = t;
            this.last = t;
            this.severity = level;
        }

        boolean holding() {
            return open && clearingSince == null;
        }

        Episode episode() {
            AlertStatus status =
                    !open
                            ? AlertStatus.RESOLVED
                            : versions == 1 ? AlertStatus.OPEN : AlertStatus.UPDATED;
            return new Episode(
                    rule, id, first, last, severity, status, open ? null : resolvedAt, versions);
        }
    }

    private final class Pass {
        final String institutionId;
        final List<Institution> versions;
        final boolean inclusive;
        final Ledger ledger = new Ledger();
        final Map<Rule, Track> tracks = new EnumMap<>(Rule.class);
        final Map<Rule, List<Alert>> alerts = new EnumMap<>(Rule.class);
        final Map<Rule, Double> closest = new EnumMap<>(Rule.class);
        final List<String> ambiguities = new ArrayList<>();
        final Series sales = new Series();
        final Series outside = new Series();
        final Series delivered = new Series();
        final Series requests = new Series();
        final Map<String, Long> cardBalances = new LinkedHashMap<>();
        final Map<String, List<Long>> qualifyingByPayer = new LinkedHashMap<>();
        final Map<String, Long> requestedAt = new LinkedHashMap<>();
        final Map<String, Long> paidAt = new LinkedHashMap<>();

        /** R11: the refund deadlines not reached yet, each with the requests it makes overdue. */
        final TreeMap<Long, Map<String, Severity>> refundDeadlines = new TreeMap<>();

        /** R11: the requests overdue and unpaid, at the level they reached. */
        final Map<String, Severity> overdue = new LinkedHashMap<>();

        /** R13: the silence deadline after the last transaction, null if it left nothing owed. */
        Long silenceDeadline;

        boolean silenceFired;

        /** R8-R10: the pending window wake-ups (last transaction + window). */
        final Map<Rule, Long> wakeUps = new EnumMap<>(Rule.class);

        /** R8: when its alerts started, and when one re-opened (for the composite). */
        final List<Long> surgeStarts = new ArrayList<>();

        final List<Long> surgeReopens = new ArrayList<>();

        Pass(String institutionId, List<Institution> versions, boolean inclusive) {
            this.institutionId = institutionId;
            this.versions = versions;
            this.inclusive = inclusive;
            for (Rule rule : Rule.values()) {
                tracks.put(rule, new Track());
                alerts.put(rule, new ArrayList<>());
            }
        }

        Map<Rule, Detection> fired() {
            Map<Rule, Detection> fired = new EnumMap<>(Rule.class);
            tracks.forEach(
                    (rule, track) -> {
                        if (track.first != null) {
                            fired.put(
                                    rule,
                                    new Detection(
                                            rule, track.first, track.severity, track.firstRed));
                        }
                    });
            return fired;
        }

        /** Every alert id, by rule then first detection. */
        List<Episode> episodes() {
            List<Episode> episodes = new ArrayList<>();
            alerts.values().forEach(list -> list.forEach(a -> episodes.add(a.episode())));
            return episodes;
        }

        void run(List<PrepaidTransaction> txns) {
            long[] times = new long[txns.size()];
            boolean[] owedAndActive = new boolean[txns.size()];
            for (int i = 0; i < txns.size(); i++) {
                PrepaidTransaction txn = txns.get(i);
                long t = txn.getOccurredAt().toEpochMilli();
                times[i] = t;
                deadlinesBefore(t, t);
                wakeUpsCancelledBy(t);
                ledger.apply(txn);
                // R13 is gone at the first transaction after the silence
                gone(Rule.R13, t);
                TransactionType type = txn.getType();
                if (type == TransactionType.CARD_SALE || type == TransactionType.TOP_UP) {
                    sale(txn, t);
                } else if (type == TransactionType.CONSUMPTION) {
                    delivered.add(t, txn.getAmountFen());
                    unload(txn);
                } else if (type == TransactionType.REFUND_REQUEST) {
                    requests.add(t, 1);
                    request(txn.getTxnId().toString(), t);
                } else if (type == TransactionType.REFUND_PAID
                        && txn.getRefundRequestId() != null) {
                    paid(txn.getRefundRequestId().toString(), t);
                }
                if (type == TransactionType.REFUND_PAID) {
                    unload(txn);
                }
                afterEach(t);
                owedAndActive[i] =
                        ledger.liability() > 0
                                && version(t).getLicenseStatus() == LicenseStatus.ACTIVE;
                silenceDeadline = owedAndActive[i] ? t + limits.silence() : null;
                silenceFired = false;
                WAKE_UP.forEach((rule, window) -> wakeUps.put(rule, t + window));
            }
            deadlinesBefore(Long.MAX_VALUE, null);
            deadlinesNeverReached();
            refundTimers();
            silenceTimers(times, owedAndActive);
        }

        /** Consumption and refunds paid on a card lower its balance (R3). */
        private void unload(PrepaidTransaction txn) {
            if (txn.getCardId() != null) {
                cardBalances.merge(txn.getCardId().toString(), -txn.getAmountFen(), Long::sum);
            }
        }

        private static long capOf(CardKind kind, RuleThresholds limits) {
            return kind == CardKind.ANONYMOUS
                    ? limits.anonymousCapFen()
                    : limits.registeredCapFen();
        }

        private void sale(PrepaidTransaction txn, long t) {
            long amount = txn.getAmountFen();
            sales.add(t, amount);
            int days = Objects.requireNonNullElse(txn.getCoveredDays(), 0);
            int hours = Objects.requireNonNullElse(txn.getClassHours(), 0);
            if (days > limits.maxCoveredDays() || hours > limits.maxClassHours()) {
                hold(Rule.R1, t, Severity.RED);
            }
            close(
                    Rule.R1,
                    Math.max(
                            (double) days / limits.maxCoveredDays(),
                            (double) hours / limits.maxClassHours()));
            if (amount > limits.maxChargeFen()) {
                hold(Rule.R2, t, Severity.RED);
            }
            close(Rule.R2, (double) amount / limits.maxChargeFen());
            if (txn.getCardId() != null) {
                long balance = cardBalances.merge(txn.getCardId().toString(), amount, Long::sum);
                long cap = capOf(txn.getCardKind(), limits);
                if (balance > cap) {
                    hold(Rule.R3, t, Severity.YELLOW);
                }
                close(Rule.R3, (double) balance / cap);
            }
            Settlement settlement = txn.getSettlement();
            if (settlement == Settlement.INSTITUTION_ACCOUNT || settlement == Settlement.CASH) {
                outside.add(t, amount);
                long month = outside.sum(t - limits.outsideWindow(), t, inclusive);
                hold(Rule.R4, t, month >= limits.outsideRedFen() ? Severity.RED : Severity.YELLOW);
                close(Rule.R4, (double) month / limits.outsideRedFen());
            }
            Institution version = version(t);
            Long notice =
                    version.getClosureNoticeAt() == null
                            ? null
                            : version.getClosureNoticeAt().toEpochMilli();
            if (version.getLicenseStatus() != LicenseStatus.ACTIVE
                    || (notice != null && t >= notice && t <= notice + 30 * Time.DAY)) {
                hold(Rule.R7, t, Severity.RED);
            }
            if (txn.getPayerId() != null && nearCap(amount, txn.getCardKind())) {
                List<Long> charges =
                        qualifyingByPayer.computeIfAbsent(
                                txn.getPayerId().toString(), k -> new ArrayList<>());
                charges.add(t);
                long from = t - limits.structuringWindow();
                long inWindow =
                        charges.stream().filter(c -> inclusive ? c >= from : c > from).count();
                if (inWindow >= limits.structuringCount()) {
                    hold(Rule.R12, t, Severity.YELLOW);
                }
                if (charges.size() >= limits.structuringCount()) {
                    long span = t - charges.get(charges.size() - limits.structuringCount());
                    close(
                            Rule.R12,
                            span == 0
                                    ? 1.0
                                    : Math.min(1.0, (double) limits.structuringWindow() / span));
                }
            }
        }

        /** Within 90-100% of the cap of the card's own kind. */
        private boolean nearCap(long amount, CardKind kind) {
            long cap = capOf(kind, limits);
            return amount * 10 >= cap * 9 && amount <= cap;
        }

        private void afterEach(long t) {
            for (Rule rule : CONDITIONS) {
                Severity level = condition(rule, t, true);
                if (level == null) {
                    gone(rule, t);
                } else {
                    hold(rule, t, level);
                }
            }
        }

        /**
         * The level at which a condition rule holds at t, null if it does not.
         *
         * @param record whether to note how close the rule came (not for what-if evaluations)
         */
        private Severity condition(Rule rule, long t, boolean record) {
            switch (rule) {
                case R5 -> {
                    long liability = ledger.liability();
                    long escrow = ledger.escrow();
                    if (liability <= 0 || liability < limits.minLiabilityFen()) {
                        return null;
                    }
                    if (record) {
                        close(
                                Rule.R5,
                                escrow <= 0
                                        ? Double.POSITIVE_INFINITY
                                        : (double) liability / escrow);
                    }
                    return 2 * escrow < liability
                            ? Severity.RED
                            : escrow < liability ? Severity.YELLOW : null;
                }
                case R6 -> {
                    if (record && ledger.delivered() > 0) {
                        close(Rule.R6, (double) ledger.released() / ledger.delivered());
                    }
                    return ledger.released() > ledger.delivered() ? Severity.RED : null;
                }
                case R8 -> {
                    long week = sales.sum(t - 7 * Time.DAY, t, inclusive);
                    long month = sales.sum(t - 35 * Time.DAY, t - 7 * Time.DAY, inclusive);
                    if (record && week >= limits.surgeMinFen() && month > 0) {
                        close(Rule.R8, 4.0 * week / (3.0 * month));
                    }
                    return week >= limits.surgeMinFen() && 4 * week > 3 * month
                            ? Severity.YELLOW
                            : null;
                }
                case R9 -> {
                    long recent = delivered.sum(t - 14 * Time.DAY, t, inclusive);
                    long before = delivered.sum(t - 42 * Time.DAY, t - 14 * Time.DAY, inclusive);
                    long recentSales = sales.sum(t - 14 * Time.DAY, t, inclusive);
                    long salesBefore = sales.sum(t - 42 * Time.DAY, t - 14 * Time.DAY, inclusive);
                    boolean baseline =
                            before > 0
                                    && before >= limits.collapseMinBaselineFen()
                                    && 2 * recentSales >= salesBefore;
                    if (record && baseline) {
                        close(
                                Rule.R9,
                                recent == 0 ? Double.POSITIVE_INFINITY : before / (4.0 * recent));
                    }
                    return baseline && 4 * recent < before ? Severity.RED : null;
                }
                case R10 -> {
                    long asked = requests.sum(t - 7 * Time.DAY, t, inclusive);
                    long askedBefore = requests.sum(t - 35 * Time.DAY, t - 7 * Time.DAY, inclusive);
                    if (record && asked >= limits.refundSpikeMinCount() && askedBefore > 0) {
                        close(Rule.R10, 4.0 * asked / (3.0 * askedBefore));
                    }
                    return asked >= limits.refundSpikeMinCount() && 4 * asked > 3 * askedBefore
                            ? Severity.YELLOW
                            : null;
                }
                default -> throw new IllegalArgumentException(rule + " is no condition rule");
            }
        }

        /**
         * The rule holds at t at {@code level}: opens a new alert, re-opens the last one within its
         * cool-down, or carries on the open one (cancelling a clearance).
         */
        private void hold(Rule rule, long t, Severity level) {
            tracks.get(rule).hit(t, level);
            List<Alert> list = alerts.get(rule);
            Alert a = list.isEmpty() ? null : list.get(list.size() - 1);
            if (a != null && !a.open) {
                long boundary = a.resolvedAt + limits.cooldown();
                if (Math.abs(t - boundary) < AMBIGUITY) {
                    ambiguities.add(
                            rule
                                    + " cool-down ending at "
                                    + Time.format(boundary)
                                    + " is within an hour of the hold that decides it");
                }
                if (a.quietEnded && t - a.resolvedAt < AMBIGUITY) {
                    ambiguities.add(quietTooClose(rule, a.resolvedAt));
                }
                if (t <= boundary) {
                    a.open = true;
                    a.versions++;
                    a.last = t;
                    a.severity = max(a.severity, level);
                    if (rule == Rule.R8) {
                        surgeReopens.add(t);
                    }
                    return;
                }
            } else if (a != null) {
                if (a.clearingSince != null) {
                    long deadline = a.clearingSince + limits.quiet();
                    if (Math.abs(t - deadline) < AMBIGUITY) {
                        ambiguities.add(quietTooClose(rule, deadline));
                    }
                    a.clearingSince = null;
                }
                if (EVERY_HOLD.contains(rule) || max(a.severity, level) != a.severity) {
                    a.versions++;
                }
                a.last = t;
                a.severity = max(a.severity, level);
                return;
            }
            list.add(new Alert(rule, rule.name() + "-" + institutionId + "-" + t, t, level));
            if (rule == Rule.R8) {
                surgeStarts.add(t);
            } else if (rule == Rule.R9 || rule == Rule.R10) {
                follower(t);
            }
        }

        private String quietTooClose(Rule rule, long deadline) {
            return rule
                    + " quiet period ending at "
                    + Time.format(deadline)
                    + " is within an hour of the hold that decides it";
        }

        /**
         * A condition rule's evaluation at t finds it gone: an open, holding alert starts to clear.
         */
        private void gone(Rule rule, long t) {
            Alert a = current(rule);
            if (a != null && a.holding()) {
                a.clearingSince = t;
            }
        }

        private Alert current(Rule rule) {
            List<Alert> list = alerts.get(rule);
            return list.isEmpty() ? null : list.get(list.size() - 1);
        }

        private boolean isOpen(Rule rule) {
            Alert a = current(rule);
            return a != null && a.open;
        }

        private void resolve(Alert a, long t, boolean quietEnded) {
            a.open = false;
            a.versions++;
            a.resolvedAt = t;
            a.clearingSince = null;
            a.quietEnded = quietEnded;
        }

        /**
         * A new R9 or R10 alert started at t: the composite holds if an R8 alert started within the
         * composite window before it.
         */
        private void follower(long t) {
            boolean fires = false;
            for (long surge : surgeStarts) {
                long gap = t - surge;
                if (Math.abs(gap - limits.compositeWindow()) < Time.DAY) {
                    ambiguities.add("COMPOSITE: R8 and its follower are 30 days apart");
                }
                close(
                        Rule.COMPOSITE,
                        gap == 0 ? 1.0 : Math.min(1.0, (double) limits.compositeWindow() / gap));
                fires |= gap <= limits.compositeWindow();
            }
            if (!fires && surgeReopens.stream().anyMatch(s -> t - s <= limits.compositeWindow())) {
                ambiguities.add(
                        "COMPOSITE at "
                                + Time.format(t)
                                + " depends on whether a re-opened R8 alert counts as a start");
            }
            if (fires) {
                hold(Rule.COMPOSITE, t, Severity.RED);
            }
        }

        private void request(String id, long t) {
            if (requestedAt.putIfAbsent(id, t) == null) {
                refundDeadlines
                        .computeIfAbsent(t + limits.refundYellowAfter(), k -> new LinkedHashMap<>())
                        .put(id, Severity.YELLOW);
                refundDeadlines
                        .computeIfAbsent(t + limits.refundRedAfter(), k -> new LinkedHashMap<>())
                        .put(id, Severity.RED);
            }
        }

        /** A payment cancels its request's deadlines; the last overdue one paid resolves R11. */
        private void paid(String requestId, long t) {
            paidAt.putIfAbsent(requestId, t);
            refundDeadlines.values().forEach(due -> due.remove(requestId));
            refundDeadlines.values().removeIf(Map::isEmpty);
            if (overdue.remove(requestId) != null && overdue.isEmpty() && isOpen(Rule.R11)) {
                resolve(current(Rule.R11), t, false);
            }
        }

        /**
         * Fires, in time order, the deadlines before {@code before} that the watermark reaches.
         *
         * @param next the transaction that comes next, null at the end
         */
        private void deadlinesBefore(long before, Long next) {
            while (true) {
                long now = Long.MAX_VALUE;
                if (!refundDeadlines.isEmpty()) {
                    now = refundDeadlines.firstKey();
                }
                if (silenceDeadline != null && !silenceFired) {
                    now = Math.min(now, silenceDeadline);
                }
                for (Rule rule : QUIET) {
                    Alert a = current(rule);
                    if (a != null && a.open && a.clearingSince != null) {
                        now = Math.min(now, a.clearingSince + limits.quiet());
                    }
                }
                for (long w : wakeUps.values()) {
                    now = Math.min(now, w);
                }
                if (now == Long.MAX_VALUE || now >= before || now > watermarkEnd) {
                    return;
                }
                deadlinesAt(now, next);
            }
        }

        /** Everything due at {@code now}: refunds, silence, quiet periods, window wake-ups. */
        private void deadlinesAt(long now, Long next) {
            Map<String, Severity> due = refundDeadlines.remove(now);
            if (due != null) {
                due.forEach((id, level) -> overdue.merge(id, level, AlertTruth::max));
                hold(Rule.R11, now, overdue.values().stream().reduce(AlertTruth::max).get());
            }
            if (silenceDeadline != null && silenceDeadline == now && !silenceFired) {
                silenceFired = true;
                if (version(now).getLicenseStatus() == LicenseStatus.ACTIVE) {
                    hold(Rule.R13, now, Severity.YELLOW);
                }
            }
            for (Rule rule : QUIET) {
                Alert a = current(rule);
                if (a != null
                        && a.open
                        && a.clearingSince != null
                        && a.clearingSince + limits.quiet() == now) {
                    nearTheEnd(rule + " quiet period", now);
                    resolve(a, now, true);
                }
            }
            for (Rule rule : WAKE_UP.keySet()) {
                Long w = wakeUps.get(rule);
                if (w != null && w == now) {
                    wakeUps.remove(rule);
                    wakeUp(rule, now, next);
                }
            }
            Alert composite = current(Rule.COMPOSITE);
            if (composite != null && composite.open && !isOpen(Rule.R9) && !isOpen(Rule.R10)) {
                resolve(composite, now, false);
            }
        }

        /** R8-R10 evaluated at the end of their window after the last transaction. */
        private void wakeUp(Rule rule, long now, Long next) {
            Severity level = condition(rule, now, true);
            Alert a = current(rule);
            if (level != null || (a != null && a.holding())) {
                checkTimer(rule + " window wake-up", now, next);
            }
            if (level == null) {
                gone(rule, now);
                return;
            }
            if (a == null || !a.open) {
                ambiguities.add(
                        rule
                                + " holds at its window wake-up at "
                                + Time.format(now)
                                + " without an open alert");
            }
            hold(rule, now, level);
        }

        /** Wake-ups a transaction at t cancels: ambiguous if they would have mattered. */
        private void wakeUpsCancelledBy(long t) {
            for (Map.Entry<Rule, Long> e : wakeUps.entrySet()) {
                if (Math.abs(e.getValue() - t) < AMBIGUITY
                        && wakeUpMatters(e.getKey(), e.getValue())) {
                    checkTimer(e.getKey() + " window wake-up", e.getValue(), t);
                }
            }
            wakeUps.clear();
        }

        private boolean wakeUpMatters(Rule rule, long at) {
            Alert a = current(rule);
            return condition(rule, at, false) != null || (a != null && a.holding());
        }

        /** Deadlines the watermark never reached: ambiguous if they fall just before the end. */
        private void deadlinesNeverReached() {
            wakeUps.forEach(
                    (rule, w) -> {
                        if (wakeUpMatters(rule, w)) {
                            nearTheEnd(rule + " window wake-up", w);
                        }
                    });
            for (Rule rule : QUIET) {
                Alert a = current(rule);
                if (a != null && a.open && a.clearingSince != null) {
                    nearTheEnd(rule + " quiet period", a.clearingSince + limits.quiet());
                }
            }
        }

        /** R11: closeness and ambiguity of the timers 15 and 30 days after each request. */
        private void refundTimers() {
            requestedAt.forEach(
                    (id, t) -> {
                        Long paid = paidAt.get(id);
                        long settled = paid == null ? watermarkEnd : Math.min(paid, watermarkEnd);
                        close(Rule.R11, (double) (settled - t) / limits.refundYellowAfter());
                        checkTimer(Rule.R11 + " timer", t + limits.refundYellowAfter(), paid);
                        checkTimer(Rule.R11 + " timer", t + limits.refundRedAfter(), paid);
                    });
        }

        /** R13: closeness and ambiguity of the timer 72 h after each owing transaction. */
        private void silenceTimers(long[] times, boolean[] owedAndActive) {
            for (int i = 0; i < times.length; i++) {
                if (!owedAndActive[i]) {
                    continue;
                }
                Long next = i + 1 < times.length ? times[i + 1] : null;
                long heard = next == null ? watermarkEnd : Math.min(next, watermarkEnd);
                close(Rule.R13, (double) (heard - times[i]) / limits.silence());
                checkTimer(Rule.R13 + " timer", times[i] + limits.silence(), next);
            }
        }

        private void checkTimer(String what, long timer, Long decidingEvent) {
            if (decidingEvent != null && Math.abs(decidingEvent - timer) < AMBIGUITY) {
                ambiguities.add(
                        what
                                + " at "
                                + Time.format(timer)
                                + " is within an hour of the event that settles it");
            }
            if (decidingEvent == null || decidingEvent > timer) {
                nearTheEnd(what, timer);
            }
        }

        private void nearTheEnd(String what, long timer) {
            if (timer > worldEnd - END_MARGIN && timer <= worldEnd) {
                ambiguities.add(
                        what
                                + " at "
                                + Time.format(timer)
                                + " is too close to the end of the world");
            }
        }

        /** The reference data in force at t: the latest version updated at or before t. */
        private Institution version(long t) {
            Institution current = versions.get(0);
            for (Institution v : versions) {
                if (v.getUpdatedAt().toEpochMilli() <= t) {
                    current = v;
                }
            }
            return current;
        }

        private void close(Rule rule, double ratio) {
            closest.merge(rule, ratio, Math::max);
        }
    }
}
