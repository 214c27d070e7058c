package org.lifelongpulse.generator;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 * evaluated after each transaction, windows trail its time; the timer rules (R11, R13) fire only up
 * to the watermark real events reach (last event time - B).
 *
 * <p>Each institution is evaluated twice, with windows that exclude and that include their start
 * instant; a scenario whose outcome depends on that convention, or whose timers fall within an hour
 * of a deciding event or of the end of the world, is reported ambiguous so that the market can
 * redraw it.
 */
final class AlertTruth {

    /** A rule that fired: when its condition first held and the severity it reached. */
    record Detection(Rule rule, long firstDetectedAt, Severity severity, Long firstRedAt) {}

    /** What the rules say about one institution. */
    record Outcome(
            String institutionId,
            Map<Rule, Detection> fired,
            Map<Rule, Double> closest,
            List<String> ambiguities,
            Ledger ledger) {}

    private static final long AMBIGUITY = Time.HOUR;

    /** Timers this close to the end of the world might or might not be reached. */
    private static final long END_MARGIN = 12 * Time.HOUR;

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
        Pass exclusive = new Pass(versions, false);
        Pass inclusive = new Pass(versions, true);
        exclusive.run(txns);
        inclusive.run(txns);
        List<String> ambiguities = new ArrayList<>(exclusive.ambiguities);
        if (!exclusive.fired().equals(inclusive.fired())) {
            ambiguities.add(
                    "outcome depends on whether windows include their start: "
                            + exclusive.fired().keySet()
                            + " vs "
                            + inclusive.fired().keySet());
        }
        return new Outcome(
                institutionId, exclusive.fired(), exclusive.closest, ambiguities, exclusive.ledger);
    }

    /** The first detection and highest severity of one rule. */
    private static final class Track {
        Long first;
        Severity severity;
        Long firstRed;
        boolean holding;
        final List<Long> episodeStarts = new ArrayList<>();

        void hit(long t, Severity s) {
            first = first == null ? t : Math.min(first, t);
            if (s == Severity.RED) {
                firstRed = firstRed == null ? t : Math.min(firstRed, t);
                severity = Severity.RED;
            } else if (severity == null) {
                severity = s;
            }
        }

        /** For rules that hold over a stretch of evaluations: records episode starts. */
        void state(long t, Severity s) {
            if (s != null) {
                if (!holding) {
                    episodeStarts.add(t);
                }
                hit(t, s);
            }
            holding = s != null;
        }
    }

    private final class Pass {
        final List<Institution> versions;
        final boolean inclusive;
        final Ledger ledger = new Ledger();
        final Map<Rule, Track> tracks = new EnumMap<>(Rule.class);
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

        Pass(List<Institution> versions, boolean inclusive) {
            this.versions = versions;
            this.inclusive = inclusive;
            for (Rule rule : Rule.values()) {
                tracks.put(rule, new Track());
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

        void run(List<PrepaidTransaction> txns) {
            long[] times = new long[txns.size()];
            boolean[] owedAndActive = new boolean[txns.size()];
            for (int i = 0; i < txns.size(); i++) {
                PrepaidTransaction txn = txns.get(i);
                long t = txn.getOccurredAt().toEpochMilli();
                times[i] = t;
                ledger.apply(txn);
                TransactionType type = txn.getType();
                if (type == TransactionType.CARD_SALE || type == TransactionType.TOP_UP) {
                    sale(txn, t);
                } else if (type == TransactionType.CONSUMPTION) {
                    delivered.add(t, txn.getAmountFen());
                    unload(txn);
                } else if (type == TransactionType.REFUND_REQUEST) {
                    requests.add(t, 1);
                    requestedAt.putIfAbsent(txn.getTxnId(), t);
                } else if (type == TransactionType.REFUND_PAID
                        && txn.getRefundRequestId() != null) {
                    paidAt.putIfAbsent(txn.getRefundRequestId().toString(), t);
                }
                if (type == TransactionType.REFUND_PAID) {
                    unload(txn);
                }
                afterEach(t);
                owedAndActive[i] =
                        ledger.liability() > 0
                                && version(t).getLicenseStatus() == LicenseStatus.ACTIVE;
            }
            refundTimers();
            silenceTimers(times, owedAndActive);
            composite();
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
                tracks.get(Rule.R1).hit(t, Severity.RED);
            }
            close(
                    Rule.R1,
                    Math.max(
                            (double) days / limits.maxCoveredDays(),
                            (double) hours / limits.maxClassHours()));
            if (amount > limits.maxChargeFen()) {
                tracks.get(Rule.R2).hit(t, Severity.RED);
            }
            close(Rule.R2, (double) amount / limits.maxChargeFen());
            if (txn.getCardId() != null) {
                long balance = cardBalances.merge(txn.getCardId().toString(), amount, Long::sum);
                long cap = capOf(txn.getCardKind(), limits);
                if (balance > cap) {
                    tracks.get(Rule.R3).hit(t, Severity.YELLOW);
                }
                close(Rule.R3, (double) balance / cap);
            }
            Settlement settlement = txn.getSettlement();
            if (settlement == Settlement.INSTITUTION_ACCOUNT || settlement == Settlement.CASH) {
                outside.add(t, amount);
                long month = outside.sum(t - limits.outsideWindow(), t, inclusive);
                tracks.get(Rule.R4)
                        .hit(t, month >= limits.outsideRedFen() ? Severity.RED : Severity.YELLOW);
                close(Rule.R4, (double) month / limits.outsideRedFen());
            }
            Institution version = version(t);
            Long notice =
                    version.getClosureNoticeAt() == null
                            ? null
                            : version.getClosureNoticeAt().toEpochMilli();
            if (version.getLicenseStatus() != LicenseStatus.ACTIVE
                    || (notice != null && t >= notice && t <= notice + 30 * Time.DAY)) {
                tracks.get(Rule.R7).hit(t, Severity.RED);
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
                    tracks.get(Rule.R12).hit(t, Severity.YELLOW);
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
            long liability = ledger.liability();
            long escrow = ledger.escrow();
            Severity coverage = null;
            if (liability > 0 && liability >= limits.minLiabilityFen()) {
                coverage =
                        2 * escrow < liability
                                ? Severity.RED
                                : escrow < liability ? Severity.YELLOW : null;
                close(
                        Rule.R5,
                        escrow <= 0 ? Double.POSITIVE_INFINITY : (double) liability / escrow);
            }
            tracks.get(Rule.R5).state(t, coverage);

            boolean ahead = ledger.released() > ledger.delivered();
            tracks.get(Rule.R6).state(t, ahead ? Severity.RED : null);
            if (ledger.delivered() > 0) {
                close(Rule.R6, (double) ledger.released() / ledger.delivered());
            }

            long week = sales.sum(t - 7 * Time.DAY, t, inclusive);
            long month = sales.sum(t - 35 * Time.DAY, t - 7 * Time.DAY, inclusive);
            boolean surge = week >= limits.surgeMinFen() && 4 * week > 3 * month;
            tracks.get(Rule.R8).state(t, surge ? Severity.YELLOW : null);
            if (week >= limits.surgeMinFen() && month > 0) {
                close(Rule.R8, 4.0 * week / (3.0 * month));
            }

            long recent = delivered.sum(t - 14 * Time.DAY, t, inclusive);
            long before = delivered.sum(t - 42 * Time.DAY, t - 14 * Time.DAY, inclusive);
            long recentSales = sales.sum(t - 14 * Time.DAY, t, inclusive);
            long salesBefore = sales.sum(t - 42 * Time.DAY, t - 14 * Time.DAY, inclusive);
            boolean baseline =
                    before > 0
                            && before >= limits.collapseMinBaselineFen()
                            && 2 * recentSales >= salesBefore;
            tracks.get(Rule.R9).state(t, baseline && 4 * recent < before ? Severity.RED : null);
            if (baseline) {
                close(Rule.R9, recent == 0 ? Double.POSITIVE_INFINITY : before / (4.0 * recent));
            }

            long asked = requests.sum(t - 7 * Time.DAY, t, inclusive);
            long askedBefore = requests.sum(t - 35 * Time.DAY, t - 7 * Time.DAY, inclusive);
            boolean spike = asked >= limits.refundSpikeMinCount() && 4 * asked > 3 * askedBefore;
            tracks.get(Rule.R10).state(t, spike ? Severity.YELLOW : null);
            if (asked >= limits.refundSpikeMinCount() && askedBefore > 0) {
                close(Rule.R10, 4.0 * asked / (3.0 * askedBefore));
            }
        }

        /** R11: timers 15 and 30 days after each request, cancelled by its payment. */
        private void refundTimers() {
            requestedAt.forEach(
                    (id, t) -> {
                        Long paid = paidAt.get(id);
                        long yellow = t + limits.refundYellowAfter();
                        long red = t + limits.refundRedAfter();
                        long settled = paid == null ? watermarkEnd : Math.min(paid, watermarkEnd);
                        close(Rule.R11, (double) (settled - t) / limits.refundYellowAfter());
                        for (long timer : new long[] {yellow, red}) {
                            checkTimer(Rule.R11, timer, paid);
                            if ((paid == null || paid > timer) && timer <= watermarkEnd) {
                                tracks.get(Rule.R11)
                                        .hit(timer, timer == red ? Severity.RED : Severity.YELLOW);
                            }
                        }
                    });
        }

        /** R13: a timer 72 h after each transaction that leaves an ACTIVE institution owing. */
        private void silenceTimers(long[] times, boolean[] owedAndActive) {
            for (int i = 0; i < times.length; i++) {
                if (!owedAndActive[i]) {
                    continue;
                }
                long timer = times[i] + limits.silence();
                Long next = i + 1 < times.length ? times[i + 1] : null;
                long heard = next == null ? watermarkEnd : Math.min(next, watermarkEnd);
                close(Rule.R13, (double) (heard - times[i]) / limits.silence());
                checkTimer(Rule.R13, timer, next);
                if ((next == null || next > timer)
                        && timer <= watermarkEnd
                        && version(timer).getLicenseStatus() == LicenseStatus.ACTIVE) {
                    tracks.get(Rule.R13).hit(timer, Severity.YELLOW);
                }
            }
        }

        private void checkTimer(Rule rule, long timer, Long decidingEvent) {
            if (decidingEvent != null && Math.abs(decidingEvent - timer) < AMBIGUITY) {
                ambiguities.add(
                        rule
                                + " timer at "
                                + Time.format(timer)
                                + " is within an hour of the event that settles it");
            }
            if (timer > worldEnd - END_MARGIN
                    && timer <= worldEnd
                    && (decidingEvent == null || decidingEvent > timer)) {
                ambiguities.add(
                        rule
                                + " timer at "
                                + Time.format(timer)
                                + " is too close to the end of the world");
            }
        }

        /** R8 then R9 or R10 within 30 days: at the start of that R9/R10 episode. */
        private void composite() {
            List<Long> surges = tracks.get(Rule.R8).episodeStarts;
            List<Long> followers = new ArrayList<>(tracks.get(Rule.R9).episodeStarts);
            followers.addAll(tracks.get(Rule.R10).episodeStarts);
            followers.sort(Long::compare);
            for (long follower : followers) {
                for (long surge : surges) {
                    if (surge > follower) {
                        continue;
                    }
                    long gap = follower - surge;
                    if (Math.abs(gap - limits.compositeWindow()) < Time.DAY) {
                        ambiguities.add("COMPOSITE: R8 and its follower are 30 days apart");
                    }
                    close(
                            Rule.COMPOSITE,
                            gap == 0
                                    ? 1.0
                                    : Math.min(1.0, (double) limits.compositeWindow() / gap));
                    if (gap <= limits.compositeWindow()) {
                        tracks.get(Rule.COMPOSITE).hit(follower, Severity.RED);
                    }
                }
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
