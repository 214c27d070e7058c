package org.lifelongpulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lifelongpulse.avro.RiskRule;
import org.lifelongpulse.contracts.Topic;

/** {@code ./pulse produce} reads JSON lines and names each bad one by file and line. */
class ProduceParseTest {

    private static final Instant NOW = Instant.parse("2021-10-25T02:00:00Z");
    private static final String RULE =
            "{\"rule_id\": \"R2\", \"version\": %d, \"enabled\": true,"
                    + " \"mode\": \"ENFORCE\", \"severity\": \"RED\", \"params\": {}%s}";

    @Test
    void validLinesAreKeptAndEachBadLineIsNamed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("rules.jsonl");
        Files.writeString(
                file,
                String.format(RULE, 1, "")
                        + "\n\n"
                        + "{\"rule_id\": \"R3\"}\n"
                        + String.format(RULE, 2, ", \"updated_at\": \"2021-10-28T00:00:00Z\"")
                        + "\n"
                        + "not json\n"
                        + String.format(RULE, 3, "")
                        + "\n");

        ProduceCommand.Parsed parsed = ProduceCommand.parse(file, Topic.RISK_RULES, NOW);

        assertThat(parsed.records())
                .extracting(r -> ((RiskRule) r).getVersion())
                .containsExactly(1, 3);
        assertThat(parsed.errors()).hasSize(3);
        // line 2 is blank and skipped; the numbers are the file's own
        assertThat(parsed.errors().get(0)).startsWith(file + ":3: ").contains("missing");
        assertThat(parsed.errors().get(1)).startsWith(file + ":4: ").contains("updated_at");
        assertThat(parsed.errors().get(2)).startsWith(file + ":5: ").contains("invalid JSON");
    }
}
