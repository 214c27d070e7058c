package org.lifelongpulse.generator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.lifelongpulse.avro.CardKind;
import org.lifelongpulse.avro.Institution;
import org.lifelongpulse.avro.LicenseStatus;
import org.lifelongpulse.avro.Settlement;
import org.lifelongpulse.avro.Severity;
import org.lifelongpulse.avro.TransactionType;
import org.lifelongpulse.generator.InstitutionBook.Card;
import org.lifelongpulse.generator.InstitutionBook.Planned;
import org.lifelongpulse.generator.InstitutionBook.ReleasePolicy;

/**
 * The scripted institutions of the default world: one or more per rule that must fire, and near
 * misses that come close to a threshold without crossing it. Times are days of the 70-day fund
 * world (day 63 is the first day of the activity week). Every other institution runs the ordinary
 * business of {@link InstitutionBook} and fires nothing.
 *
 * <p>Some rules cannot fire alone: an escrow shortfall (R5) needs sales outside supervision (R4) or
 * releases ahead of delivery (R6), and a single charge over 5,000 yuan (R2) on a registered card is
 * over that card's cap (R3). The expected sets say so.
 */
public enum Scenario {
    LONG_PREPAID_SPAN("a 180-day card, then an 80-hour card", fires(Rule.R1, Severity.RED)) {
        @Override
        void script(InstitutionBook b) {
            b.sell(
                    b.day(30, 14, 0),
                    Product.yuan(CardKind.REGISTERED, 3000, 30, 180),
                    Settlement.SUPERVISED_ACCOUNT,
                    null);
            b.sell(
                    b.day(40, 11, 0),
                    Product.yuan(CardKind.REGISTERED, 3200, 80, 60),
                    Settlement.SUPERVISED_ACCOUNT,
                    null);
        }
    },
    OVERSIZED_CHARGE(
            "one 8,800-yuan registered card (also over its card cap)",
            fires(Rule.R2, Severity.RED, Rule.R3, Severity.YELLOW)) {
        @Override
        void script(InstitutionBook b) {
            b.sell(
                    b.day(33, 15, 0),
                    Product.yuan(CardKind.REGISTERED, 8800, 48, 90),
                    Settlement.SUPERVISED_ACCOUNT,
                    null);
        }
    },
    CARD_OVER_CAP("an 800-yuan anonymous card topped up by 300", fires(Rule.R3, Severity.YELLOW)) {
        @Override
        void script(InstitutionBook b) {
            Card card =
                    b.sell(
                            b.day(20, 10, 0),
                            Product.yuan(CardKind.ANONYMOUS, 800, 16, 60),
                            Settlement.SUPERVISED_ACCOUNT,
                            null);
            b.topUp(card, b.day(26, 16, 0), Product.yuan(CardKind.ANONYMOUS, 300, 6, 30));
        }
    },
    CASH_SALES_SMALL(
            "three 3,000-yuan cash sales within 30 days: 9,000 of the 10,000 for RED",
            fires(Rule.R4, Severity.YELLOW),
            nearMiss(Rule.R4, Severity.RED)) {
        @Override
        void configure(InstitutionBook b) {
            b.depositFen = 15_000_00;
        }

        @Override
        void script(InstitutionBook b) {
            for (int d : new int[] {36, 44, 52}) {
                b.sell(
                        b.day(d, 11, 0),
                        Product.yuan(CardKind.REGISTERED, 3000, 30, 60),
                        Settlement.CASH,
                        null);
            }
        }
    },
    OUTSIDE_SUPERVISION(
            "12,000 yuan into its own account within four days", fires(Rule.R4, Severity.RED)) {
        @Override
        void configure(InstitutionBook b) {
            b.depositFen = 20_000_00;
        }

        @Override
        void script(InstitutionBook b) {
            for (double d : new double[] {40, 41.2, 43}) {
                b.sell(
                        b.day(d, 10, 0),
                        Product.yuan(CardKind.REGISTERED, 4000, 36, 60),
                        Settlement.INSTITUTION_ACCOUNT,
                        null);
            }
        }
    },
    UNDER_ESCROWED(
            "every third sale from day 40 into its own account; coverage sinks below 1",
            fires(Rule.R4, Severity.RED, Rule.R5, Severity.YELLOW),
            nearMiss(Rule.R5, Severity.RED)) {
        @Override
        void script(InstitutionBook b) {
            List<Planned> sales =
                    b.items.stream()
                            .filter(p -> p.isSale() && p.time >= b.day(40, 0, 0))
                            .sorted(java.util.Comparator.comparingLong(p -> p.time))
                            .toList();
            for (int i = 0; i < sales.size(); i += 3) {
                sales.get(i).settlement = Settlement.INSTITUTION_ACCOUNT;
            }
        }
    },
    EARLY_RELEASE(
            "releases 3,000 yuan more than delivered; a deposit keeps coverage above 1",
            fires(Rule.R6, Severity.RED)) {
        @Override
        void configure(InstitutionBook b) {
            b.depositFen = 12_000_00;
        }

        @Override
        void script(InstitutionBook b) {
            b.overRelease(b.day(38, 10, 0), 3_000_00);
        }
    },
    SALES_IN_CLOSURE_NOTICE(
            "announces closure on day 45 and keeps selling", fires(Rule.R7, Severity.RED)) {
        @Override
        void script(InstitutionBook b) {
            removeSales(b, b.day(45, 7, 0), b.day(45, 11, 0));
        }

        @Override
        List<Institution> versions(Institution base, InstitutionBook b) {
            long notice = b.day(45, 9, 0);
            return List.of(
                    base,
                    Institution.newBuilder(base)
                            .setClosureNoticeAt(Instant.ofEpochMilli(notice))
                            .setUpdatedAt(Instant.ofEpochMilli(notice))
                            .build());
        }
    },
    SALES_WHILE_SUSPENDED("suspended on day 40, keeps selling", fires(Rule.R7, Severity.RED)) {
        @Override
        void script(InstitutionBook b) {
            removeSales(b, b.day(40, 10, 0), b.day(40, 14, 0));
        }

        @Override
        List<Institution> versions(Institution base, InstitutionBook b) {
            return List.of(
                    base,
                    Institution.newBuilder(base)
                            .setLicenseStatus(LicenseStatus.SUSPENDED)
                            .setUpdatedAt(Instant.ofEpochMilli(b.day(40, 12, 0)))
                            .build());
        }
    },
    SALES_SURGE("20 extra 3,000-yuan cards in days 35-41", fires(Rule.R8, Severity.YELLOW)) {
        @Override
        void script(InstitutionBook b) {
            surge(b, 35, 20, 3000);
        }
    },
    DELIVERY_COLLAPSE(
            "85% of classes stop from day 42 while sales go on", fires(Rule.R9, Severity.RED)) {
        @Override
        void configure(InstitutionBook b) {
            long from = b.day(42, 0, 0);
            b.classHeld = t -> t < from || b.random.nextDouble() < 0.15;
        }
    },
    REFUND_SPIKE(
            "7 refund requests in 48 hours from day 48, all paid within days",
            fires(Rule.R10, Severity.YELLOW)) {
        @Override
        void script(InstitutionBook b) {
            refundWave(b, 48, 7, 8, 2L);
        }
    },
    REFUND_OVERDUE(
            "a refund requested on day 25 is paid 35 days later", fires(Rule.R11, Severity.RED)) {
        @Override
        void script(InstitutionBook b) {
            long asked = b.day(25, 10, 0);
            b.refund(b.activeCards(asked).get(0), asked, 35 * Time.DAY + 5 * Time.HOUR);
        }
    },
    STRUCTURING(
            "one payer buys 950, 980 and 990-yuan anonymous cards within 8 hours",
            fires(Rule.R12, Severity.YELLOW)) {
        @Override
        void script(InstitutionBook b) {
            structure(b, b.day(27, 10, 0), b.day(27, 13, 30), b.day(27, 18, 0));
        }
    },
    FEED_SILENCE("sends nothing for 110 hours from day 44", fires(Rule.R13, Severity.YELLOW)) {
        @Override
        void script(InstitutionBook b) {
            b.silence(b.day(44, 18, 0), 110 * Time.HOUR);
        }
    },
    ABSCONDING(
            "sales surge (days 40-46), delivery collapse (from day 46), 12 unpaid refund"
                    + " requests (days 50-53), escrow drained and gone (day 60)",
            fires(
                    Rule.R5,
                    Severity.RED,
                    Rule.R6,
                    Severity.RED,
                    Rule.R8,
                    Severity.YELLOW,
                    Rule.R9,
                    Severity.RED,
                    Rule.R10,
                    Severity.YELLOW,
                    Rule.R11,
                    Severity.YELLOW,
                    Rule.R13,
                    Severity.YELLOW,
                    Rule.COMPOSITE,
                    Severity.RED)) {
        @Override
        void configure(InstitutionBook b) {
            long from = b.day(46, 0, 0);
            b.classHeld = t -> t < from || b.random.nextDouble() < 0.10;
        }

        @Override
        void script(InstitutionBook b) {
            surge(b, 40, 22, 3000);
            refundWave(b, 50, 12, 8, null);
            long gone = b.day(60, 21, 0);
            b.drain(gone);
            b.vanishAfter(gone);
        }
    },

    NEAR_LONG_SPAN(
            "an 84-day card and a 54-hour card", none(), nearMiss(Rule.R1, Severity.YELLOW)) {
        @Override
        void script(InstitutionBook b) {
            b.sell(
                    b.day(31, 11, 0),
                    Product.yuan(CardKind.REGISTERED, 3000, 36, 84),
                    Settlement.SUPERVISED_ACCOUNT,
                    null);
            b.sell(
                    b.day(41, 14, 0),
                    Product.yuan(CardKind.REGISTERED, 3200, 54, 60),
                    Settlement.SUPERVISED_ACCOUNT,
                    null);
        }
    },
    NEAR_OVERSIZED_CHARGE(
            "one 4,600-yuan registered card",
            none(),
            nearMiss(Rule.R2, Severity.YELLOW),
            nearMiss(Rule.R3, Severity.YELLOW)) {
        @Override
        void script(InstitutionBook b) {
            b.sell(
                    b.day(34, 15, 0),
                    Product.yuan(CardKind.REGISTERED, 4600, 46, 60),
                    Settlement.SUPERVISED_ACCOUNT,
                    null);
        }
    },
    NEAR_CARD_CAP(
            "a 600-yuan anonymous card, four or five of its six 100-yuan classes taken, topped up"
                    + " by 700: 1,300 loaded over its life, a balance of 800-900 of the 1,000 cap",
            none(),
            nearMiss(Rule.R3, Severity.YELLOW)) {
        @Override
        void script(InstitutionBook b) {
            Card card =
                    b.sell(
                            b.day(10, 10, 0),
                            Product.yuan(CardKind.ANONYMOUS, 600, 12, 45),
                            Settlement.SUPERVISED_ACCOUNT,
                            null);
            b.topUp(card, b.day(40, 16, 0), Product.yuan(CardKind.ANONYMOUS, 700, 14, 30));
        }
    },
    NEAR_COVERAGE(
            "releases everything delivered after each class; a small deposit keeps"
                    + " coverage just above 1",
            none(),
            nearMiss(Rule.R5, Severity.YELLOW)) {
        @Override
        void configure(InstitutionBook b) {
            b.depositFen = 3_000_00;
            b.refundShare = 0;
            b.releasePolicy = ReleasePolicy.AFTER_EACH_CLASS;
        }
    },
    NEAR_EARLY_RELEASE(
            "releases 95% of delivered value after each class",
            none(), nearMiss(Rule.R6, Severity.YELLOW)) {
        @Override
        void configure(InstitutionBook b) {
            b.releasePolicy = ReleasePolicy.AFTER_EACH_CLASS;
            b.releaseShare = 0.95;
        }
    },
    NEAR_SALES_WHILE_SUSPENDED(
            "stops selling on day 38, suspended on day 40",
            none(),
            nearMiss(Rule.R7, Severity.YELLOW)) {
        @Override
        void configure(InstitutionBook b) {
            long last = b.day(38, 12, 0);
            b.selling = t -> t < last;
            b.topUpShare = 0;
        }

        @Override
        List<Institution> versions(Institution base, InstitutionBook b) {
            return SALES_WHILE_SUSPENDED.versions(base, b);
        }
    },
    NEAR_SALES_SURGE(
            "9 cards a week, 24 in days 42-48: 2.7x the weekly mean",
            none(),
            nearMiss(Rule.R8, Severity.YELLOW)) {
        @Override
        void configure(InstitutionBook b) {
            b.cardsPerWeek = 9;
            b.fixedProduct = Product.yuan(CardKind.REGISTERED, 2400, 24, 60);
            b.refundShare = 0;
        }

        @Override
        void script(InstitutionBook b) {
            surge(b, 42, 15, 2400);
        }
    },
    NEAR_DELIVERY_COLLAPSE(
            "from day 42 only 40% of planned classes are held: delivery stays"
                    + " above half of its (lower, still growing) baseline",
            none(), nearMiss(Rule.R9, Severity.YELLOW)) {
        @Override
        void configure(InstitutionBook b) {
            long from = b.day(42, 0, 0);
            // a fixed pattern rather than chance, so that the fall is 60% and not more
            b.classHeld = t -> t < from || b.classSeq() % 5 < 2;
        }
    },
    NEAR_REFUND_SPIKE(
            "3 refund requests a week, then 4 more in 30 hours",
            none(),
            nearMiss(Rule.R10, Severity.YELLOW)) {
        @Override
        void configure(InstitutionBook b) {
            b.refundShare = 0;
        }

        @Override
        void script(InstitutionBook b) {
            for (long t = b.day(0, 15, 0); t < b.end; t += 57 * Time.HOUR) {
                looseRefund(b, t);
            }
            for (int i = 0; i < 4; i++) {
                looseRefund(b, b.day(50, 10, 0) + i * 10 * Time.HOUR);
            }
        }
    },
    NEAR_REFUND_OVERDUE(
            "a refund paid 13.5 days after the request",
            none(),
            nearMiss(Rule.R11, Severity.YELLOW)) {
        @Override
        void script(InstitutionBook b) {
            long asked = b.day(30, 10, 0);
            b.refund(b.activeCards(asked).get(0), asked, 13 * Time.DAY + 12 * Time.HOUR);
        }
    },
    NEAR_STRUCTURING(
            "950, 980 and 990-yuan cards by one payer, the third 25 hours after the" + " first",
            none(),
            nearMiss(Rule.R12, Severity.YELLOW)) {
        @Override
        void script(InstitutionBook b) {
            structure(b, b.day(27, 10, 0), b.day(27, 20, 0), b.day(28, 11, 0));
        }
    },
    NEAR_FEED_SILENCE(
            "sends nothing for 66 hours from day 44", none(), nearMiss(Rule.R13, Severity.YELLOW)) {
        @Override
        void script(InstitutionBook b) {
            b.silence(b.day(44, 18, 0), 66 * Time.HOUR);
        }
    },
    NEAR_ABSCONDING(
            "a sales surge on days 12-18 and a refund spike on day 55: too far apart",
            fires(Rule.R8, Severity.YELLOW, Rule.R10, Severity.YELLOW),
            nearMiss(Rule.COMPOSITE, Severity.YELLOW)) {
        @Override
        void script(InstitutionBook b) {
            surge(b, 12, 16, 3000);
            refundWave(b, 55, 6, 10, 2L);
        }
    };

    /** A rule that must not reach a severity (YELLOW: must not fire at all). */
    public record NearMiss(Rule rule, Severity level) {}

    private final String story;
    private final Map<Rule, Severity> expected;
    private final List<NearMiss> nearMisses;

    Scenario(String story, Map<Rule, Severity> expected, NearMiss... nearMisses) {
        this.story = story;
        this.expected = expected;
        this.nearMisses = List.of(nearMisses);
    }

    public String story() {
        return story;
    }

    /** The rules that fire, each with the severity it reaches; nothing else may fire. */
    public Map<Rule, Severity> expected() {
        return expected;
    }

    public List<NearMiss> nearMisses() {
        return nearMisses;
    }

    /** Settings before the ordinary business is planned. */
    void configure(InstitutionBook b) {}

    /** Twists after the ordinary business is planned. */
    void script(InstitutionBook b) {}

    /** Reference data versions, oldest first. */
    List<Institution> versions(Institution base, InstitutionBook b) {
        return List.of(base);
    }

    /** Whether the evaluated outcome is what this scenario promises. */
    boolean satisfiedBy(Map<Rule, AlertTruth.Detection> fired) {
        if (!fired.keySet().equals(expected.keySet())) {
            return false;
        }
        for (Map.Entry<Rule, Severity> e : expected.entrySet()) {
            if (fired.get(e.getKey()).severity() != e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static Map<Rule, Severity> none() {
        return Map.of();
    }

    private static Map<Rule, Severity> fires(Object... ruleThenSeverity) {
        Map<Rule, Severity> map = new EnumMap<>(Rule.class);
        for (int i = 0; i < ruleThenSeverity.length; i += 2) {
            map.put((Rule) ruleThenSeverity[i], (Severity) ruleThenSeverity[i + 1]);
        }
        return map;
    }

    private static NearMiss nearMiss(Rule rule, Severity level) {
        return new NearMiss(rule, level);
    }

    private static void removeSales(InstitutionBook b, long from, long to) {
        List<Planned> doomed = new ArrayList<>();
        for (Planned p : b.items) {
            if (p.isSale() && p.time >= from && p.time < to) {
                doomed.add(p);
                if (p.type == TransactionType.CARD_SALE) {
                    doomed.addAll(p.card.sessions);
                    doomed.addAll(p.card.charges);
                }
            }
        }
        b.items.removeAll(doomed);
    }

    /** Extra registered cards of one price, spread over the seven days from {@code day}. */
    private static void surge(InstitutionBook b, int day, int cards, long yuan) {
        for (int i = 0; i < cards; i++) {
            long t = b.daytime(b.day(day + 6.5 * i / cards, 10, 0));
            b.sell(
                    t,
                    Product.yuan(CardKind.REGISTERED, yuan, (int) (yuan / 100), 60),
                    Settlement.SUPERVISED_ACCOUNT,
                    null);
        }
    }

    /** Refund requests on distinct active cards, {@code hoursApart} apart. */
    private static void refundWave(
            InstitutionBook b, int day, int count, int hoursApart, Long paidAfterDays) {
        long first = b.day(day, 10, 0);
        List<Card> cards = b.activeCards(first + count * hoursApart * Time.HOUR);
        if (cards.size() < count) {
            throw new IllegalStateException(b.institutionId + " has too few active cards");
        }
        for (int i = 0; i < count; i++) {
            long t = first + i * hoursApart * Time.HOUR;
            Long pay =
                    paidAfterDays == null
                            ? null
                            : paidAfterDays * Time.DAY + b.random.nextLong(Time.DAY);
            b.refund(cards.get(cards.size() - 1 - i), t, pay);
        }
    }

    /** A refund request of part of a card's value, paid two days later. */
    private static void looseRefund(InstitutionBook b, long t) {
        Card card =
                b.cards.stream()
                        .filter(c -> c.sale.time < t)
                        .reduce((x, y) -> y)
                        .orElse(b.cards.get(0));
        b.refundRequest(card, t, (200 + b.random.nextInt(401)) * 100L, 2 * Time.DAY);
    }

    /** Three anonymous cards just under the 1,000-yuan cap, bought by one payer. */
    private static void structure(InstitutionBook b, long... times) {
        String payer = "P" + b.institutionId.substring(b.institutionId.indexOf('-') + 1) + "-S";
        long[] yuan = {950, 980, 990};
        for (int i = 0; i < times.length; i++) {
            b.sell(
                    times[i],
                    Product.yuan(CardKind.ANONYMOUS, yuan[i], 20, 60),
                    Settlement.SUPERVISED_ACCOUNT,
                    payer);
        }
    }
}
