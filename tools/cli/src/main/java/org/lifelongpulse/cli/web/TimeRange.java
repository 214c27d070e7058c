package org.lifelongpulse.cli.web;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.function.Function;
import org.lifelongpulse.cli.snapshot.QueryResult;
import org.lifelongpulse.cli.snapshot.TimeArgument;

/**
 * The time range of a live page, as its picker offers it: the last 15 minutes, hour or 24 hours,
 * the whole activity week (the days the participation tables hold), or custom times in {@link
 * TimeArgument}'s forms ({@code now-7d}, ISO-8601, local Shanghai time) or epoch milliseconds as in
 * Grafana's links. Relative times are read again at every refresh, so the range moves with the
 * clock.
 *
 * @param choice one of {@link #CHOICES}
 * @param fromText the start as written ({@code now-15m}, an ISO time, ...)
 * @param toText the end as written
 */
public record TimeRange(String choice, String fromText, String toText, Instant from, Instant to) {

    public static final String WEEK = "week";
    public static final String CUSTOM = "custom";

    /** The picker's choices, in its order, with their labels. */
    public static final List<List<String>> CHOICES =
            List.of(
                    List.of("15m", "Last 15 minutes"),
                    List.of("1h", "Last 1 hour"),
                    List.of("24h", "Last 24 hours"),
                    List.of(WEEK, "Whole activity week"),
                    List.of(CUSTOM, "Custom"));

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    /**
     * The range of a choice; {@code from} and {@code to} are read only for {@code custom}.
     *
     * @param query the reader, for the activity week's days
     * @throws BadRequest for an unknown choice, an unreadable time, or an empty range
     */
    public static TimeRange of(
            String choice,
            String from,
            String to,
            Instant now,
            Function<String, QueryResult> query) {
        return switch (choice) {
            case "15m" -> relative(choice, "now-15m", now);
            case "1h" -> relative(choice, "now-1h", now);
            case "24h" -> relative(choice, "now-24h", now);
            case WEEK -> activityWeek(now, query);
            case CUSTOM -> custom(from, to, now);
            default ->
                    throw new BadRequest(
                            "unknown time range '"
                                    + choice
                                    + "': use 15m, 1h, 24h, week, or custom with from and to");
        };
    }

    /** Custom times; a pair the picker offers as a choice (now-1h to now) is that choice. */
    public static TimeRange custom(String from, String to, Instant now) {
        if (from == null || from.isBlank() || to == null || to.isBlank()) {
            throw new BadRequest("a custom time range needs both from and to");
        }
        if (to.strip().equals("now")) {
            for (List<String> c : CHOICES.subList(0, 3)) {
                if (from.strip().equals("now-" + c.get(0))) {
                    return relative(c.get(0), from.strip(), now);
                }
            }
        }
        TimeRange range =
                new TimeRange(CUSTOM, from.strip(), to.strip(), time(from, now), time(to, now));
        if (!range.from().isBefore(range.to())) {
            throw new BadRequest("the time range is empty: from " + from + " is not before " + to);
        }
        return range;
    }

    private static TimeRange relative(String choice, String from, Instant now) {
        return new TimeRange(choice, from, "now", TimeArgument.parse(from, now), now);
    }

    /**
     * The whole days (Asia/Shanghai) from the first to the last minute in {@code
     * participation_minute}; the last seven days when it is empty.
     */
    static TimeRange activityWeek(Instant now, Function<String, QueryResult> query) {
        List<String> row =
                query.apply(
                                "SELECT toUInt32(min(minute)), toUInt32(max(minute)), count()"
                                        + " FROM pulse.participation_minute")
                        .rows()
                        .get(0);
        if (Long.parseLong(row.get(2)) == 0) {
            Instant from = now.minus(Duration.ofDays(7));
            return new TimeRange(WEEK, from.toString(), now.toString(), from, now);
        }
        LocalDate first =
                Instant.ofEpochSecond(Long.parseLong(row.get(0))).atZone(SHANGHAI).toLocalDate();
        LocalDate last =
                Instant.ofEpochSecond(Long.parseLong(row.get(1))).atZone(SHANGHAI).toLocalDate();
        Instant from = first.atStartOfDay(SHANGHAI).toInstant();
        Instant to = last.plusDays(1).atStartOfDay(SHANGHAI).toInstant();
        return new TimeRange(WEEK, from.toString(), to.toString(), from, to);
    }

    private static Instant time(String text, Instant now) {
        String t = text.strip();
        if (t.matches("\\d{10,14}")) {
            return Instant.ofEpochMilli(Long.parseLong(t));
        }
        try {
            return TimeArgument.parse(t, now);
        } catch (IllegalArgumentException e) {
            throw new BadRequest(e.getMessage());
        }
    }
}
