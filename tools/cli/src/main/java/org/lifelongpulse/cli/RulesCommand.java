package org.lifelongpulse.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.lifelongpulse.avro.RiskRule;
import org.lifelongpulse.cli.rules.RulesFile;
import org.lifelongpulse.cli.rules.RulesInForce;
import org.lifelongpulse.contracts.ContractDecoder;
import org.lifelongpulse.contracts.Topic;
import org.lifelongpulse.contracts.Validation;
import org.lifelongpulse.contracts.WireFormat;
import org.lifelongpulse.ops.kafka.ContractProducer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./pulse rules put --file rules.json | list}: the fund-risk rule settings in force. */
@Command(
        name = "rules",
        mixinStandardHelpOptions = true,
        description =
                "Fund-risk rule settings on the compacted topic fund.rules.v1; the running"
                        + " fund-risk job applies them from their arrival on.",
        subcommands = {RulesCommand.Put.class, RulesCommand.ListRules.class})
final class RulesCommand implements Runnable {

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(
            name = "put",
            mixinStandardHelpOptions = true,
            description = {
                "Publish rule settings from a JSON file: an array of objects, or one object per",
                "line, with the RiskRule field names, e.g.",
                "  [{\"rule_id\": \"R2\", \"params\": {\"max_amount_yuan\": 3000}},",
                "   {\"rule_id\": \"R8\", \"mode\": \"SHADOW\", \"district\": \"PUDONG\"}]",
                "Omitted fields: version = the version in force + 1, enabled = true,",
                "mode = ENFORCE, severity = the rule's default, params = {} (the defaults),",
                "updated_at = now. Parameter names are checked against the rule's; nothing is",
                "sent when any entry is invalid."
            })
    static final class Put implements Callable<Integer> {

        @Mixin StackEndpoints where;

        @Option(
                names = "--file",
                required = true,
                paramLabel = "FILE",
                description = "JSON array or JSON lines of rule settings.")
        Path file;

        @Override
        public Integer call() throws IOException {
            if (!Files.isReadable(file)) {
                throw new IllegalArgumentException("cannot read " + file);
            }
            String bootstrap = where.resolve().kafkaBootstrap();
            Map<String, RiskRule> inForce = inForce(bootstrap).byKey();
            RulesFile parsed =
                    RulesFile.parse(
                            Files.readString(file, StandardCharsets.UTF_8), inForce, Instant.now());
            if (!parsed.isValid()) {
                parsed.errors().forEach(e -> Console.error(file + ": " + e));
                Console.error("nothing was sent");
                return 1;
            }
            List<RiskRule> rules = parsed.rules();
            try (ContractProducer producer = new ContractProducer(bootstrap)) {
                List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
                for (RiskRule rule : rules) {
                    acks.add(producer.send(Topic.RISK_RULES, rule));
                }
                producer.flush();
                for (var ack : acks) {
                    ack.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while sending", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException(
                        "Kafka refused a rule: " + e.getCause().getMessage(), e.getCause());
            }
            for (RiskRule rule : rules) {
                Console.progress(
                        "published "
                                + Topic.RISK_RULES.keyOf(rule)
                                + " version "
                                + rule.getVersion()
                                + (rule.getEnabled() ? "" : " (disabled)")
                                + " "
                                + rule.getMode());
            }
            return 0;
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description =
                    "Show the settings in force for every rule: what the compacted topic"
                            + " holds (latest version per rule and district), else the RULES.md"
                            + " defaults (version 0).")
    static final class ListRules implements Callable<Integer> {

        @Mixin StackEndpoints where;

        @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            var out = spec.commandLine().getOut();
            inForce(where.resolve().kafkaBootstrap()).table().forEach(out::println);
            out.flush();
            return 0;
        }
    }

    /** The latest settings per topic key, read committed from the beginning of the topic. */
    static RulesInForce inForce(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        ContractDecoder<RiskRule> decoder =
                new ContractDecoder<>(
                        WireFormat.of(RiskRule.class), new Validation(Duration.ofDays(36_500)));
        RulesInForce latest = new RulesInForce();
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            var infos = consumer.partitionsFor(Topic.RISK_RULES.topicName());
            if (infos == null || infos.isEmpty()) {
                return latest;
            }
            List<TopicPartition> partitions =
                    infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "could not read "
                                    + Topic.RISK_RULES.topicName()
                                    + " to its end within 30 s");
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    var decoded =
                            decoder.decode(
                                    r.topic(), r.partition(), r.offset(), r.value(), Instant.now());
                    if (decoded.isValid()) {
                        latest.offer(decoded.value());
                    } else {
                        Console.error(
                                r.topic()
                                        + "/"
                                        + r.partition()
                                        + "@"
                                        + r.offset()
                                        + ": "
                                        + decoded.deadLetter().getReason());
                    }
                }
            }
        }
        return latest;
    }
}
