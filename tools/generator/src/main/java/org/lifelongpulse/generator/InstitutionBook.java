package org.lifelongpulse.generator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongPredicate;
import org.lifelongpulse.avro.CardKind;
import org.lifelongpulse.avro.PrepaidTransaction;
import org.lifelongpulse.avro.Settlement;
import org.lifelongpulse.avro.TransactionType;

/**
 * The business plan of one training institution over the fund world: it sells cards, delivers
 * classes two hours at a time over each card's service period, refunds the unused value when a
 * learner asks, and releases escrow weekly for what was delivered. Scenarios adjust the settings
 * before {@link #operate()} and script their twists afterwards; {@link #transactions} then turns
 * the plan into transactions, computing release amounts from the running ledger.
 */
final class InstitutionBook {

    /** How escrow is released. */
    enum ReleasePolicy {
        /** Weekly, exactly what was delivered and not yet released: never ahead of delivery. */
        WEEKLY,
        /** Ten minutes after every class, a fixed share of everything delivered so far. */
        AFTER_EACH_CLASS
    }

    /** Release amounts that are known only when the ledger reaches them. */
    enum Marker {
        NONE,
        CATCH_UP_RELEASE,
        OVER_RELEASE,
        DRAIN
    }

    /** One planned transaction. */
    static final class Planned {
        long time;
        final TransactionType type;
        long amount;
        Card card;
        Settlement settlement;
        int hours;
        int days;
        Planned request;
        Marker marker = Marker.NONE;
        String txnId;

        Planned(long time, TransactionType type, long amount) {
            this.time = time;
            this.type = type;
            this.amount = amount;
        }

        boolean isSale() {
            return type == TransactionType.CARD_SALE || type == TransactionType.TOP_UP;
        }
    }

    /** One card and the classes planned on it. */
    static final class Card {
        final String id;
        final String payer;
        final CardKind kind;
        final Planned sale;
        final List<Planned> charges = new ArrayList<>();
        final List<Planned> sessions = new ArrayList<>();
        boolean refunded;

        Card(String id, String payer, CardKind kind, Planned sale) {
            this.id = id;
            this.payer = payer;
            this.kind = kind;
            this.sale = sale;
        }

        long value() {
            return charges.stream().mapToLong(p -> p.amount).sum();
        }
    }

    final String institutionId;
    final SplittableRandom random;
    final long start;
    final long end;
    final List<Planned> items = new ArrayList<>();
    final List<Card> cards = new ArrayList<>();

    double cardsPerWeek;
    long depositFen;
    double refundShare = 0.04;
    double topUpShare = 0.10;
    double thirdPartyShare = 0.3;
    ReleasePolicy releasePolicy = ReleasePolicy.WEEKLY;
    double releaseShare = 1.0;

    /** Fixed product and cadence instead of random ones (for scenarios that need exact sums). */
    Product fixedProduct;

    /** Whether a class planned at a time takes place (delivery collapses make it false). */
    LongPredicate classHeld = t -> true;

    /** Whether ordinary sales happen at a time. */
    LongPredicate selling = t -> true;

    private int cardSeq;
    private int classSeq;

    InstitutionBook(String institutionId, SplittableRandom random, long start, long end) {
        this.institutionId = institutionId;
        this.random = random;
        this.start = start;
        this.end = end;
        this.cardsPerWeek = 6 + random.nextDouble() * 6;
        this.depositFen = (2_000 + random.nextInt(4_001)) * 100L;
    }

    /** Event time of local day d of the fund world at hh:mm (the world starts at midnight). */
    long day(double d, int hour, int minute) {
        return start + Math.round(d * Time.DAY) + hour * Time.HOUR + minute * Time.MINUTE;
    }

    /** Ordinary operations: the opening deposit, sales at a steady pace, classes, refunds. */
    void operate() {
        add(
                new Planned(
                        day(0, 9, 0) + random.nextLong(Time.HOUR),
                        TransactionType.ESCROW_DEPOSIT,
                        depositFen));
        // an opening batch, so that classes run from the first days on
        for (int i = 0; i < 3; i++) {
            ordinarySale(day(0, 10, 0) + random.nextLong(8 * Time.HOUR));
        }
        double meanGap = 7.0 * Time.DAY / cardsPerWeek;
        long t = day(0, 12, 0);
        while (true) {
            // gaps never exceed 1.8x the mean: no ordinary institution goes quiet for 72 h
            t +=
                    fixedProduct != null
                            ? Math.round(meanGap)
                            : Math.round(meanGap * (0.2 + 1.6 * random.nextDouble()));
            long at = daytime(t);
            if (at >= end) {
                break;
            }
            if (selling.test(at)) {
                ordinarySale(at);
            }
        }
        if (releasePolicy == ReleasePolicy.WEEKLY) {
            for (int week = 1; day(7 * week - 1, 18, 0) < end; week++) {
                Planned release =
                        new Planned(
                                day(7 * week - 1, 18, 0) + random.nextLong(Time.HOUR),
                                TransactionType.ESCROW_RELEASE,
                                0);
                release.marker = Marker.CATCH_UP_RELEASE;
                add(release);
            }
        }
    }

    /** Moves a time at night to the next morning, so that sales happen in business hours. */
    long daytime(long t) {
        int hour = Time.hourOfDay(t, start);
        if (hour >= 9 && hour < 21) {
            return t;
        }
        long midnight = t - Math.floorMod(t - start, Time.DAY);
        long morning = midnight + 9 * Time.HOUR;
        return (t < morning ? morning : morning + Time.DAY) + random.nextLong(2 * Time.HOUR);
    }

    private void ordinarySale(long t) {
        Product product = fixedProduct;
        if (product == null) {
            List<Product> kind = random.nextDouble() < 0.3 ? Product.ANONYMOUS : Product.REGISTERED;
            product = kind.get(random.nextInt(kind.size()));
        }
        Settlement settlement =
                random.nextDouble() < thirdPartyShare
                        ? Settlement.THIRD_PARTY_ESCROW
                        : Settlement.SUPERVISED_ACCOUNT;
        Card card = sell(t, product, settlement, null);
        if (fixedProduct == null && random.nextDouble() < topUpShare) {
            Product topUp =
                    product.kind() == CardKind.ANONYMOUS
                            ? Product.ANONYMOUS_TOP_UP
                            : Product.REGISTERED_TOP_UP;
            topUp(card, daytime(t + product.days() / 2 * Time.DAY), topUp);
        }
        if (random.nextDouble() < refundShare && card.sessions.size() >= 2) {
            long first = card.sessions.get(0).time;
            long last = card.sessions.get(card.sessions.size() - 1).time;
            long asked = first + random.nextLong(Math.max(1, last - first));
            refund(card, asked, random.nextLong(Time.DAY, 5 * Time.DAY));
        }
    }

    /** Sells a card and plans its classes: two hours each, spread over its service period. */
    Card sell(long t, Product product, Settlement settlement, String payer) {
        cardSeq++;
        Planned sale = new Planned(t, TransactionType.CARD_SALE, product.priceFen());
        sale.settlement = settlement;
        sale.hours = product.hours();
        sale.days = product.days();
        String suffix = institutionId.substring(institutionId.indexOf('-') + 1);
        Card card =
                new Card(
                        String.format("C%s-%04d", suffix, cardSeq),
                        payer != null ? payer : String.format("P%s-%04d", suffix, cardSeq),
                        product.kind(),
                        sale);
        sale.card = card;
        card.charges.add(sale);
        add(sale);
        cards.add(card);
        planClasses(card, t, product.priceFen(), product.hours(), product.days());
        return card;
    }

    /** Adds value and hours to a card; the extra classes follow the card's last one. */
    Planned topUp(Card card, long t, Product product) {
        Planned topUp = new Planned(t, TransactionType.TOP_UP, product.priceFen());
        topUp.card = card;
        topUp.settlement = card.sale.settlement;
        topUp.hours = product.hours();
        topUp.days = product.days();
        card.charges.add(topUp);
        add(topUp);
        long after =
                card.sessions.isEmpty()
                        ? t
                        : Math.max(t, card.sessions.get(card.sessions.size() - 1).time);
        planClasses(card, after, product.priceFen(), product.hours(), product.days());
        return topUp;
    }

    private void planClasses(Card card, long from, long value, int hours, int days) {
        int classes = Math.max(1, hours / 2);
        long each = value / classes;
        long midnight = from - Math.floorMod(from - start, Time.DAY);
        for (int j = 0; j < classes; j++) {
            long offset = Math.max(1, (long) (j + 1) * days / (classes + 1));
            long t = midnight + offset * Time.DAY + 9 * Time.HOUR + random.nextLong(12 * Time.HOUR);
            classSeq++;
            if (!classHeld.test(t) || t >= end) {
                continue;
            }
            long amount = j == classes - 1 ? value - each * (classes - 1) : each;
            Planned session = new Planned(t, TransactionType.CONSUMPTION, amount);
            session.card = card;
            session.hours = 2;
            card.sessions.add(session);
            add(session);
        }
    }

    /** The number of classes planned so far, for deterministic delivery patterns. */
    int classSeq() {
        return classSeq;
    }

    /**
     * A learner asks for the unused value back at {@code t}: later classes are cancelled.
     *
     * @param payAfter delay of the payment, or null when it is never paid
     */
    Planned refund(Card card, long t, Long payAfter) {
        long used = 0;
        List<Planned> cancelled = new ArrayList<>();
        for (Planned session : card.sessions) {
            if (session.time < t) {
                used += session.amount;
            } else {
                cancelled.add(session);
            }
        }
        long chargedBefore =
                card.charges.stream().filter(c -> c.time < t).mapToLong(c -> c.amount).sum();
        card.charges.stream().filter(c -> c.time >= t).toList().forEach(this::remove);
        card.charges.removeIf(c -> c.time >= t);
        cancelled.forEach(this::remove);
        card.sessions.removeAll(cancelled);
        card.refunded = true;
        long remaining = chargedBefore - used;
        if (remaining <= 0) {
            return null;
        }
        Planned request = refundRequest(card, t, remaining, payAfter);
        return request;
    }

    /** A refund request of a given amount, paid after a delay or never. */
    Planned refundRequest(Card card, long t, long amount, Long payAfter) {
        Planned request = new Planned(t, TransactionType.REFUND_REQUEST, amount);
        request.card = card;
        add(request);
        if (payAfter != null) {
            Planned paid = new Planned(t + payAfter, TransactionType.REFUND_PAID, amount);
            paid.card = card;
            paid.request = request;
            add(paid);
        }
        return request;
    }

    /** Cards with classes still planned after t, oldest first. */
    List<Card> activeCards(long t) {
        return cards.stream()
                .filter(
                        c ->
                                !c.refunded
                                        && c.sale.time < t
                                        && c.sessions.stream().anyMatch(s -> s.time > t + Time.DAY))
                .toList();
    }

    /** Releases from escrow what was delivered and not yet released, plus {@code extra}. */
    void overRelease(long t, long extra) {
        Planned release = new Planned(t, TransactionType.ESCROW_RELEASE, extra);
        release.marker = Marker.OVER_RELEASE;
        add(release);
    }

    /** Takes everything left in escrow. */
    void drain(long t) {
        Planned release = new Planned(t, TransactionType.ESCROW_RELEASE, 0);
        release.marker = Marker.DRAIN;
        add(release);
    }

    /** No transaction after t at all: the institution has vanished. */
    void vanishAfter(long t) {
        items.removeIf(p -> p.time > t);
    }

    /**
     * Silence: nothing between the last transaction before {@code from} and {@code gap} later, when
     * a sale resumes the feed. Returns the time of the last transaction before it.
     */
    long silence(long from, long gap) {
        long last =
                items.stream()
                        .filter(p -> p.time <= from)
                        .mapToLong(p -> p.time)
                        .max()
                        .orElseThrow();
        items.removeIf(p -> p.time > last && p.time < last + gap);
        sell(last + gap, Product.REGISTERED.get(1), Settlement.SUPERVISED_ACCOUNT, null);
        return last;
    }

    void add(Planned p) {
        items.add(p);
    }

    void remove(Planned p) {
        items.remove(p);
    }

    /**
     * The plan as transactions in time order: times made unique per institution (a second apart),
     * everything at or after the end of the world dropped, and release amounts taken from the
     * ledger as it stands at each release.
     */
    List<PrepaidTransaction> transactions(String idPrefix) {
        List<Planned> plan = new ArrayList<>(items);
        if (releasePolicy == ReleasePolicy.AFTER_EACH_CLASS) {
            for (Planned p : items) {
                if (p.type == TransactionType.CONSUMPTION) {
                    Planned release =
                            new Planned(
                                    p.time + 10 * Time.MINUTE, TransactionType.ESCROW_RELEASE, 0);
                    release.marker = Marker.CATCH_UP_RELEASE;
                    plan.add(release);
                }
            }
        }
        plan.sort(Comparator.comparingLong(p -> p.time));
        long previous = Long.MIN_VALUE;
        for (Planned p : plan) {
            if (p.time <= previous) {
                p.time = previous + Time.SECOND;
            }
            previous = p.time;
        }
        Ledger ledger = new Ledger();
        List<PrepaidTransaction> txns = new ArrayList<>();
        int seq = 0;
        for (Planned p : plan) {
            if (p.time >= end
                    || (p.type == TransactionType.REFUND_PAID
                            && (p.request.txnId == null || !items.contains(p.request)))) {
                continue;
            }
            long amount =
                    switch (p.marker) {
                        case CATCH_UP_RELEASE ->
                                (long) Math.floor(releaseShare * ledger.delivered())
                                        - ledger.released();
                        case OVER_RELEASE -> ledger.delivered() - ledger.released() + p.amount;
                        case DRAIN -> ledger.escrow();
                        case NONE -> p.amount;
                    };
            if (amount <= 0) {
                continue;
            }
            p.txnId = String.format("%s-%05d", idPrefix, ++seq);
            PrepaidTransaction.Builder txn =
                    PrepaidTransaction.newBuilder()
                            .setTxnId(p.txnId)
                            .setOccurredAt(Instant.ofEpochMilli(p.time))
                            .setInstitutionId(institutionId)
                            .setType(p.type)
                            .setAmountFen(amount);
            if (p.card != null) {
                txn.setCardId(p.card.id).setPayerId(p.card.payer).setCardKind(p.card.kind);
            }
            if (p.isSale()) {
                txn.setSettlement(p.settlement).setClassHours(p.hours).setCoveredDays(p.days);
            } else if (p.type == TransactionType.CONSUMPTION) {
                txn.setClassHours(p.hours);
            } else if (p.type == TransactionType.REFUND_PAID) {
                txn.setRefundRequestId(p.request.txnId);
            }
            PrepaidTransaction built = txn.build();
            ledger.apply(built);
            txns.add(built);
        }
        return txns;
    }
}
