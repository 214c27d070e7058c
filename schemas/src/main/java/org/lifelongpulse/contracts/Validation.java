package org.lifelongpulse.contracts;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.lifelongpulse.avro.LearningActivity;
import org.lifelongpulse.avro.PrepaidTransaction;
import org.lifelongpulse.avro.RiskRule;

/**
 * Checks that a well-formed record also makes sense: ids present, amounts not negative, event times
 * plausible. What fails here goes to the dead letters instead of into the numbers.
 */
public final class Validation {

    /** Event times before this are taken for a producer's bug (a zero or a seconds timestamp). */
    public static final Instant EARLIEST_EVENT_TIME = Instant.parse("2000-01-01T00:00:00Z");

    /** Default tolerance for clocks ahead of ours. */
    public static final Duration DEFAULT_MAX_FUTURE_SKEW = Duration.ofDays(1);

    private final Duration maxFutureSkew;

    public Validation(Duration maxFutureSkew) {
        this.maxFutureSkew = maxFutureSkew;
    }

    public static Validation defaults() {
        return new Validation(DEFAULT_MAX_FUTURE_SKEW);
    }

    /** Every problem of the record, each naming its field; empty when it is valid. */
    public List<String> problems(SpecificRecord record, Instant now) {
        List<String> problems = new ArrayList<>();
        Schema schema = record.getSchema();
        for (Schema.Field field : schema.getFields()) {
            Object value = record.get(field.pos());
            boolean required = field.schema().getType() != Schema.Type.UNION;
            if (field.name().endsWith("_id")
                    && required
                    && value != null
                    && value.toString().isBlank()) {
                problems.add("field '" + field.name() + "' is empty");
            }
            if (value instanceof Instant instant && field.name().endsWith("_at")) {
                checkTime(field.name(), instant, now, problems);
            }
        }
        if (record instanceof PrepaidTransaction txn) {
            if (txn.getAmountFen() < 0) {
                problems.add("field 'amount_fen' is negative (" + txn.getAmountFen() + ")");
            }
            nonNegative("class_hours", txn.getClassHours(), problems);
            nonNegative("covered_days", txn.getCoveredDays(), problems);
        } else if (record instanceof LearningActivity activity) {
            nonNegative("duration_seconds", activity.getDurationSeconds(), problems);
            nonNegative("credit_points", activity.getCreditPoints(), problems);
        } else if (record instanceof RiskRule rule) {
            rule.getParams()
                    .forEach(
                            (name, value) -> {
                                if (value == null || value.isNaN() || value.isInfinite()) {
                                    problems.add("rule parameter '" + name + "' is not a number");
                                }
                            });
        }
        return problems;
    }

    private void checkTime(String field, Instant value, Instant now, List<String> problems) {
        if (value.isBefore(EARLIEST_EVENT_TIME)) {
            problems.add(
                    "field '"
                            + field
                            + "' is "
                            + value
                            + ", before "
                            + EARLIEST_EVENT_TIME
                            + " (a zero or a seconds timestamp?)");
        } else if (value.isAfter(now.plus(maxFutureSkew))) {
            problems.add(
                    "field '"
                            + field
                            + "' is "
                            + value
                            + ", more than "
                            + maxFutureSkew.toHours()
                            + " h in the future");
        }
    }

    private static void nonNegative(String field, Integer value, List<String> problems) {
        if (value != null && value < 0) {
            problems.add("field '" + field + "' is negative (" + value + ")");
        }
    }
}
