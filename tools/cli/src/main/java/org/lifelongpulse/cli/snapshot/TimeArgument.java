package org.lifelongpulse.cli.snapshot;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A time on the command line as Grafana's time picker writes it: {@code now}, {@code
 * now-<n>[m|h|d|w]}, ISO-8601 with an offset, or a local Asia/Shanghai time.
 */
public final class TimeArgument {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final Pattern RELATIVE = Pattern.compile("now(?:-(\\d+)([mhdw]))?");

    private TimeArgument() {}

    /** The instant {@code text} names, relative times counted back from {@code now}. */
    public static Instant parse(String text, Instant now) {
        Matcher m = RELATIVE.matcher(text.strip());
        if (m.matches()) {
            if (m.group(1) == null) {
                return now;
            }
            long n = Long.parseLong(m.group(1));
            Duration unit =
                    switch (m.group(2)) {
                        case "m" -> Duration.ofMinutes(1);
                        case "h" -> Duration.ofHours(1);
                        case "d" -> Duration.ofDays(1);
                        default -> Duration.ofDays(7);
                    };
            return now.minus(unit.multipliedBy(n));
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(text).atZone(SHANGHAI).toInstant();
            } catch (DateTimeParseException again) {
                throw new IllegalArgumentException(
                        "cannot read time '"
                                + text
                                + "': use"
                                + " ISO-8601 (2021-10-25T08:00+08:00, or local Shanghai time"
                                + " 2021-10-25T08:00) or now-6h");
            }
        }
    }
}
