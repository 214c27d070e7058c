package org.lifelongpulse.cli.deadletters;

import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * One dead letter as a table stores it: where it came from, why it failed, and its bytes (empty in
 * the readable table for a letter whose payload was withheld).
 */
public record StoredLetter(
        String sourceTopic,
        int sourcePartition,
        long sourceOffset,
        String stage,
        String reason,
        Instant failedAt,
        String job,
        byte[] raw) {

    /** The columns {@link #of} reads, in order. */
    public static final String COLUMNS =
            "source_topic, source_partition, source_offset, stage, reason,"
                    + " toUnixTimestamp(failed_at), job, raw, toString(raw_encoding)";

    /** A row of {@link #COLUMNS}. */
    public static StoredLetter of(List<String> row) {
        String encoding = row.get(8);
        byte[] raw =
                "BASE64".equals(encoding)
                        ? Base64.getDecoder().decode(row.get(7))
                        : row.get(7).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        return new StoredLetter(
                row.get(0),
                Integer.parseInt(row.get(1)),
                Long.parseLong(row.get(2)),
                row.get(3),
                row.get(4),
                Instant.ofEpochSecond(Long.parseLong(row.get(5))),
                row.get(6),
                raw);
    }

    /** Where it was read, as error messages print it. */
    public String position() {
        return sourceTopic + "/" + sourcePartition + "@" + sourceOffset;
    }
}
