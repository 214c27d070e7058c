package org.lifelongpulse.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.lifelongpulse.contracts.ContractDecoder;
import org.lifelongpulse.contracts.JsonForm;
import org.lifelongpulse.contracts.Topic;
import org.lifelongpulse.contracts.Validation;
import org.lifelongpulse.contracts.WireFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./pulse consume --topic T}. */
@Command(
        name = "consume",
        mixinStandardHelpOptions = true,
        description = {
            "Print a topic's messages as JSON lines.",
            "",
            "The lines are what `produce` accepts back. Messages that",
            "do not decode are reported on stderr with their partition and offset. Reads",
            "committed data only (read_committed) and joins no consumer group."
        })
final class ConsumeCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Mixin StackEndpoints where;

    @Option(
            names = "--topic",
            required = true,
            paramLabel = "TOPIC",
            description = "Topic to read.")
    String topicName;

    @Option(names = "--max", paramLabel = "N", description = "Stop after N messages.")
    Long max;

    @Option(
            names = "--from-beginning",
            description = "Start at the earliest message (default: only new messages).")
    boolean fromBeginning;

    @Option(
            names = "--idle-timeout",
            paramLabel = "SECONDS",
            description =
                    "Stop after this long without a new message (default: wait until"
                            + " Ctrl-C or --max).")
    Long idleTimeoutSeconds;

    @Override
    public Integer call() {
        Topic topic =
                Topic.byName(topicName)
                        .orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                "unknown topic '"
                                                        + topicName
                                                        + "'; the topics are "
                                                        + Topic.names()));
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, where.resolve().kafkaBootstrap());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        @SuppressWarnings("unchecked")
        ContractDecoder<SpecificRecord> decoder =
                new ContractDecoder<>(
                        WireFormat.of((Class<SpecificRecord>) topic.recordClass()),
                        new Validation(Duration.ofDays(36500)));
        java.io.PrintWriter out = spec.commandLine().getOut();
        java.io.PrintWriter err = spec.commandLine().getErr();
        long printed = 0;
        long bad = 0;
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            Thread hook = new Thread(consumer::wakeup);
            Runtime.getRuntime().addShutdownHook(hook);
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic.topicName()).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition()))
                            .toList();
            consumer.assign(partitions);
            if (fromBeginning) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
            }
            Instant lastMessage = Instant.now();
            try {
                while (max == null || printed < max) {
                    var records = consumer.poll(Duration.ofMillis(500));
                    for (ConsumerRecord<String, byte[]> r : records) {
                        if (max != null && printed >= max) {
                            break;
                        }
                        var decoded =
                                decoder.decode(
                                        r.topic(),
                                        r.partition(),
                                        r.offset(),
                                        r.value(),
                                        Instant.now());
                        if (decoded.isValid()) {
                            out.println(JsonForm.toJson(decoded.value()));
                            printed++;
                        } else {
                            bad++;
                            err.println(
                                    r.topic()
                                            + "/"
                                            + r.partition()
                                            + "@"
                                            + r.offset()
                                            + ": "
                                            + decoded.deadLetter().getReason());
                        }
                    }
                    if (!records.isEmpty()) {
                        lastMessage = Instant.now();
                    } else if (idleTimeoutSeconds != null
                            && Duration.between(lastMessage, Instant.now()).getSeconds()
                                    >= idleTimeoutSeconds) {
                        break;
                    }
                }
            } catch (WakeupException e) {
                // Ctrl-C: stop quietly after what was printed
            } finally {
                out.flush();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the JVM is already exiting
                }
            }
        }
        Console.progress(
                "printed "
                        + printed
                        + " message(s) from "
                        + topic.topicName()
                        + (bad > 0 ? "; " + bad + " did not decode" : ""));
        return 0;
    }
}
