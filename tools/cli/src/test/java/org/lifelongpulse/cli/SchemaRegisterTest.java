package org.lifelongpulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lifelongpulse.avro.LearningActivity;

/**
 * {@code ./pulse schema register} refuses, before any Kafka is needed, a file that is not a schema
 * the contracts can read, naming the file and what is wrong, with exit code 1.
 */
class SchemaRegisterTest {

    @TempDir Path dir;

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("nope.avsc");
        CliRun run = CliRun.of("schema", "register", missing.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("cannot read " + missing);
    }

    @Test
    void aFileThatIsNotAnAvroSchemaIsNamed() throws IOException {
        Path file = write("broken.avsc", "{\"type\": \"record\", \"name\": ");
        CliRun run = CliRun.of("schema", "register", file.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains(file + " is not an Avro schema");
    }

    @Test
    void aRecordThatIsNoContractIsRefusedListingTheContracts() throws IOException {
        Path file =
                write(
                        "other.avsc",
                        "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"shop\","
                                + "\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}");
        CliRun run = CliRun.of("schema", "register", file.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err())
                .contains(file + " defines shop.Order, which is none of the contracts")
                .contains("org.lifelongpulse.avro.LearningActivity");
    }

    @Test
    void aVersionTheCurrentContractCannotReadIsRefusedSayingWhy() throws IOException {
        // renaming a required field: the current reader finds no value for resource_id
        String renamed =
                LearningActivity.getClassSchema()
                        .toString()
                        .replace("\"name\":\"resource_id\"", "\"name\":\"resource\"");
        Path file = write("renamed.avsc", renamed);
        CliRun run = CliRun.of("schema", "register", file.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err())
                .contains(file + " is not readable as the current LearningActivity")
                .contains("resource_id");
    }

    @Test
    void helpSaysWhatIsCompatibleAndTheExitCodes() {
        CliRun run = CliRun.of("schema", "register", "--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains("pulse.schemas.v1")
                .contains("unknown writer schema")
                .contains("Exit codes: 0 registered; 1");
    }

    private Path write(String name, String json) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, json);
        return file;
    }
}
