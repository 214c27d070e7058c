package org.lifelongpulse.cli.deadletters;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Which dead letters a {@code ./pulse deadletters} command works on: by source topic, by words of
 * the reason, by stage, and by the time they failed ({@code from} inclusive, {@code to} exclusive;
 * {@code failed_at} is stored in whole seconds, so a second that {@code from} or {@code to} falls
 * within is in the range). The same condition selects a letter's redacted row in {@code
 * pulse.dead_letters} and its original in {@code pulse_restricted.dead_letters}: both tables have
 * these columns.
 *
 * @param topic the source topic exactly as stored (with the deployment's prefix), or null
 * @param reason words the reason contains, case-insensitive, or null
 * @param stage decode, validate or sink, or null
 * @param from failed at or after, or null
 * @param to failed before, or null
 */
public record LetterSelection(String topic, String reason, String stage, Instant from, Instant to) {

    /** Every letter. */
    public static final LetterSelection ALL = new LetterSelection(null, null, null, null, null);

    public LetterSelection {
        if (from != null && to != null && !from.isBefore(to)) {
            throw new IllegalArgumentException(
                    "--from " + from + " is not before --to " + to + ": no letter could match");
        }
        if (stage != null && !List.of("decode", "validate", "sink").contains(stage)) {
            throw new IllegalArgumentException(
                    "unknown stage '" + stage + "': decode, validate or sink");
        }
    }

    /** The same selection, also bounded by {@code before} (the earlier of the two bounds). */
    public LetterSelection before(Instant before) {
        return new LetterSelection(
                topic, reason, stage, from, to == null || before.isBefore(to) ? before : to);
    }

    /** The condition for a WHERE clause; {@code 1} for every letter. */
    public String where() {
        List<String> terms = new ArrayList<>();
        if (topic != null) {
            terms.add("source_topic = " + quoted(topic));
        }
        if (reason != null) {
            terms.add("positionCaseInsensitive(reason, " + quoted(reason) + ") > 0");
        }
        if (stage != null) {
            terms.add("stage = " + quoted(stage));
        }
        if (from != null) {
            terms.add("failed_at >= toDateTime(" + from.getEpochSecond() + ")");
        }
        if (to != null) {
            // failed_at holds whole seconds: a letter of the second `to` falls in may have failed
            // before it, so that second is in (`--older-than 0m` right after a failure finds it)
            long end = to.getEpochSecond() + (to.getNano() > 0 ? 1 : 0);
            terms.add("failed_at < toDateTime(" + end + ")");
        }
        return terms.isEmpty() ? "1" : String.join(" AND ", terms);
    }

    /** A ClickHouse string literal: backslashes and quotes escaped. */
    static String quoted(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
