package org.lifelongpulse.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.lifelongpulse.contracts.JsonForm;
import org.lifelongpulse.contracts.JsonFormException;
import org.lifelongpulse.contracts.Topic;
import org.lifelongpulse.contracts.Validation;
import org.lifelongpulse.ops.kafka.ContractProducer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./pulse produce --topic T --file F.jsonl}. */
@Command(
        name = "produce",
        mixinStandardHelpOptions = true,
        description = {
            "Write a JSON-lines file to a topic as Avro.",
            "",
            "Reads JSON lines with the contract's field names and writes them in the Avro wire",
            "format, keyed as the design says. A bad line is reported as FILE:LINE: reason, and",
            "then nothing from the file is sent unless --skip-invalid is given. Exit code 1 when",
            "any line was rejected.",
            "",
            "Institutions sent to fund.institutions.v1 also go to the licence-history topic",
            "fund.institution-versions.v1 (one key per version, so compaction keeps them all)."
        })
final class ProduceCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Mixin StackEndpoints where;

    @Option(
            names = "--topic",
            required = true,
            paramLabel = "TOPIC",
            description = "Topic to write to; one of the pipeline's topics.")
    String topicName;

    @Option(
            names = "--file",
            required = true,
            paramLabel = "FILE",
            description = "JSON lines, one record per line; blank lines are skipped.")
    Path file;

    @Option(
            names = "--skip-invalid",
            description = "Send the valid lines even when some are invalid (those are listed).")
    boolean skipInvalid;

    /** The file's valid records and the reasons its other lines were rejected. */
    record Parsed(List<SpecificRecord> records, List<String> errors) {}

    @Override
    public Integer call() throws IOException {
        Topic topic =
                Topic.byName(topicName)
                        .orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                "unknown topic '"
                                                        + topicName
                                                        + "'; the topics are "
                                                        + Topic.names()));
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("cannot read " + file);
        }
        Parsed parsed = parse(file, topic, Instant.now());
        parsed.errors().forEach(spec.commandLine().getErr()::println);
        spec.commandLine().getErr().flush();
        if (!parsed.errors().isEmpty() && !skipInvalid) {
            Console.error(
                    parsed.errors().size()
                            + " invalid line(s) in "
                            + file
                            + "; nothing was sent. Fix them, or pass --skip-invalid to send the "
                            + parsed.records().size()
                            + " valid line(s).");
            return 1;
        }
        int sent = send(topic, parsed.records());
        Console.progress(
                "sent "
                        + sent
                        + " record(s) to "
                        + topic.topicName()
                        + (topic == Topic.INSTITUTIONS
                                ? " and " + Topic.INSTITUTION_VERSIONS.topicName()
                                : "")
                        + (parsed.errors().isEmpty()
                                ? ""
                                : "; skipped " + parsed.errors().size() + " invalid line(s)"));
        return parsed.errors().isEmpty() ? 0 : 1;
    }

    static Parsed parse(Path file, Topic topic, Instant now) throws IOException {
        List<SpecificRecord> records = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        Validation validation = Validation.defaults();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int lineNumber = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    SpecificRecord record = JsonForm.fromJson(line, topic.recordClass());
                    List<String> problems = validation.problems(record, now);
                    if (problems.isEmpty()) {
                        records.add(record);
                    } else {
                        errors.add(file + ":" + lineNumber + ": " + String.join("; ", problems));
                    }
                } catch (JsonFormException e) {
                    errors.add(file + ":" + lineNumber + ": " + e.getMessage());
                }
            }
        }
        return new Parsed(records, errors);
    }

    private int send(Topic topic, List<SpecificRecord> records) {
        String bootstrap = where.resolve().kafkaBootstrap();
        List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
        try (ContractProducer producer = new ContractProducer(bootstrap)) {
            for (SpecificRecord record : records) {
                acks.add(producer.send(topic, record));
                if (topic == Topic.INSTITUTIONS) {
                    // the history keeps every version through compaction (R7 on a replay)
                    acks.add(producer.send(Topic.INSTITUTION_VERSIONS, record));
                }
            }
            producer.flush();
            for (Future<RecordMetadata> ack : acks) {
                ack.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "Kafka refused a record: " + e.getCause().getMessage(), e.getCause());
        }
        return records.size();
    }
}
