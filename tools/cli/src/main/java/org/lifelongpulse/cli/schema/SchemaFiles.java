package org.lifelongpulse.cli.schema;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.lifelongpulse.contracts.Topic;
import org.lifelongpulse.contracts.WriterSchemas;

/** A producer's writer schema from an {@code .avsc} file, checked against the contracts. */
public final class SchemaFiles {

    private SchemaFiles() {}

    /**
     * The writer schema in {@code file}. Throws {@link IllegalArgumentException}, naming the file
     * and what is wrong, when it cannot be read, is not an Avro schema, is not a record of one of
     * the contracts, or writes what the current contract cannot read.
     */
    public static Schema writerSchema(Path file) {
        String json;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e, e);
        }
        Schema writer;
        try {
            writer = WriterSchemas.parse(json);
        } catch (SchemaParseException e) {
            throw new IllegalArgumentException(
                    file + " is not an Avro schema: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // Jackson's parse errors and Avro's complaints about bad names and defaults
            throw new IllegalArgumentException(
                    file + " is not an Avro schema: " + e.getMessage(), e);
        }
        if (writer.getType() != Schema.Type.RECORD) {
            throw new IllegalArgumentException(
                    file + " is a " + writer.getType() + " schema; contracts are records");
        }
        Topic contract =
                WriterSchemas.contractOf(writer)
                        .orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                file
                                                        + " defines "
                                                        + writer.getFullName()
                                                        + ", which is none of the contracts ("
                                                        + contractNames()
                                                        + ")"));
        List<String> problems = WriterSchemas.incompatibilities(writer, contract.schema());
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(
                    file
                            + " is not readable as the current "
                            + contract.schema().getName()
                            + " (only added fields with defaults and added enum symbols are"
                            + " compatible): "
                            + String.join("; ", problems));
        }
        return writer;
    }

    private static String contractNames() {
        return String.join(
                ", ",
                java.util.Arrays.stream(Topic.values())
                        .map(t -> t.schema().getFullName())
                        .distinct()
                        .toList());
    }
}
