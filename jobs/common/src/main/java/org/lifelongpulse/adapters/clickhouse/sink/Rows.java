package org.lifelongpulse.adapters.clickhouse.sink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Arrays;

/** Rows as text, for dead letters and logs. */
final class Rows {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Rows() {}

    static String toJson(Object[] row) {
        Object[] printable =
                Arrays.stream(row).map(v -> v instanceof Instant i ? i.toString() : v).toArray();
        try {
            return JSON.writeValueAsString(printable);
        } catch (JsonProcessingException e) {
            return Arrays.toString(printable);
        }
    }
}
