package org.lifelongpulse.fundrisk;

import java.time.Instant;
import java.time.OffsetDateTime;
import org.lifelongpulse.fundrisk.records.FundTransaction;

/** Test transactions with named instants (Asia/Shanghai local time) and readable defaults. */
public final class Transactions {

    public static final String INSTITUTION = "INST-T";
    public static final long HOUR = 3_600_000L;
    public static final long DAY = 24 * HOUR;

    private Transactions() {}

    /** Epoch millis of a local time, e.g. {@code at("2020-10-01T10:00")}. */
    public static long at(String local) {
        return OffsetDateTime.parse(local + ":00+08:00").toInstant().toEpochMilli();
    }

    public static Instant instant(String local) {
        return Instant.ofEpochMilli(at(local));
    }

    /** A registered-card sale of {@code fen} into the supervised account, 30 days, 10 hours. */
    public static FundTransaction sale(String id, long time, long fen) {
        return new FundTransaction(
                id,
                time,
                INSTITUTION,
                FundTransaction.CARD_SALE,
                fen,
                "C-" + id,
                "payer-" + id,
                "REGISTERED",
                10,
                30,
                "SUPERVISED_ACCOUNT",
                null,
                "fund",
                0,
                0);
    }

    public static FundTransaction sale(
            String id,
            long time,
            long fen,
            String card,
            String kind,
            String payer,
            String settlement,
            Integer hours,
            Integer days) {
        return new FundTransaction(
                id,
                time,
                INSTITUTION,
                FundTransaction.CARD_SALE,
                fen,
                card,
                payer,
                kind,
                hours,
                days,
                settlement,
                null,
                "fund",
                0,
                0);
    }

    public static FundTransaction topUp(String id, long time, long fen, String card, String kind) {
        return new FundTransaction(
                id,
                time,
                INSTITUTION,
                FundTransaction.TOP_UP,
                fen,
                card,
                null,
                kind,
                5,
                30,
                "SUPERVISED_ACCOUNT",
                null,
                "fund",
                0,
                0);
    }

    public static FundTransaction of(String type, String id, long time, long fen) {
        return new FundTransaction(
                id,
                time,
                INSTITUTION,
                type,
                fen,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                "fund",
                0,
                0);
    }

    public static FundTransaction refundPaid(String id, long time, long fen, String request) {
        return new FundTransaction(
                id,
                time,
                INSTITUTION,
                FundTransaction.REFUND_PAID,
                fen,
                null,
                null,
                null,
                null,
                null,
                null,
                request,
                "fund",
                0,
                0);
    }
}
