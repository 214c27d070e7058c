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
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.lifelongpulse.avro.RiskRule;
import org.lifelongpulse.cli.backtest.AlertDiff;
import org.lifelongpulse.cli.backtest.TrialSettings;
import org.lifelongpulse.cli.rules.RulesFile;
import org.lifelongpulse.cli.rules.RulesInForce;
import org.lifelongpulse.cli.snapshot.TimeArgument;
import org.lifelongpulse.contracts.ContractDecoder;
import org.lifelongpulse.contracts.Topic;
import org.lifelongpulse.contracts.Validation;
import org.lifelongpulse.contracts.WireFormat;
import org.lifelongpulse.jobs.KafkaOptions;
import org.lifelongpulse.ops.kafka.ContractProducer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code ./pulse rules put --file rules.json | list | backtest}: the fund-risk rule settings in
 * force, and what other settings would have flagged.
 */
@Command(
        name = "rules",
        mixinStandardHelpOptions = true,
        description =
                "Fund-risk rule settings on the compacted topic fund.rules.v1; the running"
                        + " fund-risk job applies them from their arrival on.",
        subcommands = {
            RulesCommand.Put.class,
            RulesCommand.ListRules.class,
            RulesCommand.Backtest.class
        })
final class RulesCommand implements Runnable {

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** An instant, or a local time in Asia/Shanghai (the programme's city). */
    static Instant effectiveAt(String text) {
        try {
            return Instant.parse(text);
        } catch (java.time.format.DateTimeParseException notInstant) {
            try {
                return java.time.LocalDateTime.parse(text)
                        .atZone(java.time.ZoneId.of("Asia/Shanghai"))
                        .toInstant();
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException(
                        "--at " + text + ": not a time (2021-10-25T08:00:00Z or 2021-10-25T16:00)");
            }
        }
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
                "updated_at = now (or --at). Settings take effect at their updated_at, in event",
                "time: transactions from then on are judged by them, open alerts of a disabled",
                "rule resolve then. Parameter names are checked against the rule's; nothing is",
                "sent when any entry is invalid."
            })
    static final class Put implements Callable<Integer> {

        @Mixin StackEndpoints where;

        @Option(
                names = "--at",
                paramLabel = "TIME",
                description =
                        "When entries without updated_at take effect, in event time: ISO-8601"
                                + " (2021-10-25T08:00:00Z) or Asia/Shanghai local time"
                                + " (2021-10-25T16:00); default now. For a replayed or"
                                + " generated world, whose events lie in the past.")
        String at;

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
                            Files.readString(file, StandardCharsets.UTF_8),
                            inForce,
                            at == null ? Instant.now() : effectiveAt(at));
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

    @Command(
            name = "backtest",
            mixinStandardHelpOptions = true,
            description = {
                "What would other rule settings have flagged? Replays the retained transactions"
                        + " (fund.transactions.v1 from its earliest offset) and the institutions'"
                        + " licence history (fund.institutions.v1 and"
                        + " fund.institution-versions.v1) through the fund-risk job's own"
                        + " topology on a local MiniCluster, twice: with the ENFORCE settings in"
                        + " force on fund.rules.v1, and with the trial settings (those plus"
                        + " --rules, then --set). Both apply their settings from the beginning of"
                        + " time. Nothing is written to the live tables or topics: the alerts are"
                        + " collected in memory, the replays' rule settings go to scratch topics"
                        + " that are deleted afterwards, and the transactions are read by a"
                        + " consumer group of their own that commits no offsets.",
                "",
                "Compares the enforced alerts first detected in [--from, --to) (an alert is one"
                        + " episode: rule, institution, first detection): gained (only the trial"
                        + " raises it), lost (only the live settings do), changed severity. Prints"
                        + " a summary per rule and district and writes diff.json, alerts.csv and"
                        + " summary.csv to --out. Progress goes to stderr.",
                "",
                "Example, on the generated market (`./pulse generate --seed 1 --to kafka`):",
                "  ./pulse rules list",
                "  ./pulse rules backtest --from 2020-10-01 --to 2020-11-08 \\",
                "      --set R2.max_amount_yuan=3000 --set R5.yellow_below=0.9 --out bt-r2",
                "  column -s, -t bt-r2/summary.csv; less bt-r2/alerts.csv",
                "A rules file gives several changes at once, as `rules put` would apply it:",
                "  ./pulse rules backtest --from now-30d --to now --rules trial.json",
                "  ./pulse rules put --file trial.json   # once the trial convinces",
                "",
                "Exit code 0 when the back-test ran, 2 for bad arguments."
            })
    static final class Backtest implements Callable<Integer> {

        @Mixin StackEndpoints where;

        @Option(
                names = "--from",
                required = true,
                paramLabel = "TIME",
                description =
                        "Start of the period (inclusive): ISO-8601, a date (Shanghai midnight),"
                                + " local Shanghai time, or now-30d.")
        String from;

        @Option(
                names = "--to",
                required = true,
                paramLabel = "TIME",
                description = "End of the period (exclusive), as --from.")
        String to;

        @Option(
                names = "--set",
                paramLabel = "RULE[@DISTRICT].NAME=VALUE",
                description =
                        "A trial change of one parameter (or of enabled / severity), e.g."
                                + " R5.yellow_below=0.9, R2@PUDONG.max_amount_yuan=3000,"
                                + " R8.enabled=false. Repeatable; applied after --rules.")
        List<String> sets = new ArrayList<>();

        @Option(
                names = "--rules",
                paramLabel = "FILE",
                description =
                        "A rules file as `./pulse rules put` reads it: its settings replace those"
                                + " in force for the trial; a SHADOW entry is tried as the"
                                + " enforced setting of its rule and scope.")
        Path rules;

        @Option(
                names = "--out",
                paramLabel = "DIR",
                description = "Where to write the diff (default: ./backtest-<time>).")
        Path out;

        @Option(
                names = "--topic-prefix",
                paramLabel = "PREFIX",
                defaultValue = "${env:PULSE_TOPIC_PREFIX:-}",
                description =
                        "Prefix of the topics to replay, as the jobs' kafka.topic-prefix"
                                + " (default: $PULSE_TOPIC_PREFIX, else none).")
        String topicPrefix;

        @Option(
                names = "--parallelism",
                defaultValue = "2",
                description = "Parallelism of the replays (default: ${DEFAULT-VALUE}).")
        int parallelism;

        @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Instant now = Instant.now();
            Instant start = time("--from", from, now);
            Instant end = time("--to", to, now);
            if (!start.isBefore(end)) {
                throw bad("--from " + from + " must be before --to " + to);
            }
            if (parallelism < 1) {
                throw bad("--parallelism must be at least 1");
            }
            String rulesText = null;
            if (rules != null) {
                if (!Files.isReadable(rules)) {
                    throw bad("cannot read --rules " + rules);
                }
                rulesText = Files.readString(rules, StandardCharsets.UTF_8);
            }
            String bootstrap = where.resolve().kafkaBootstrap();
            Map<String, RiskRule> inForce =
                    inForce(bootstrap, Topic.RISK_RULES.topicName(topicPrefix)).byKey();
            TrialSettings settings = TrialSettings.of(inForce, rulesText, sets, now);
            if (!settings.isValid()) {
                throw bad(String.join(System.lineSeparator(), settings.errors()));
            }
            var print = spec.commandLine().getOut();
            print.println("trial changes:");
            settings.changes().forEach(c -> print.println("  " + c));
            print.flush();

            Configuration job = new Configuration();
            job.set(KafkaOptions.BOOTSTRAP, bootstrap);
            job.set(KafkaOptions.TOPIC_PREFIX, topicPrefix);
            job.set(CoreOptions.DEFAULT_PARALLELISM, parallelism);
            JobLauncher.withHashKey(job);
            var result =
                    new org.lifelongpulse.cli.backtest.Backtest(
                                    job, Console::progress, Duration.ofSeconds(5))
                            .run(settings, start, end);
            AlertDiff diff = result.diff();
            print.println();
            print.println("enforced alerts first detected in [" + start + ", " + end + "):");
            diff.table().forEach(print::println);
            List<AlertDiff.Change> changes = diff.changes();
            int shown = Math.min(changes.size(), 30);
            if (shown > 0) {
                print.println();
            }
            for (AlertDiff.Change c : changes.subList(0, shown)) {
                print.printf(
                        "%-16s %-34s %-9s %s%n",
                        c.kind(),
                        c.alertId(),
                        c.district(),
                        (c.live() == null ? "-" : c.live().severity())
                                + " -> "
                                + (c.trial() == null ? "-" : c.trial().severity()));
            }
            if (changes.size() > shown) {
                print.println("... " + (changes.size() - shown) + " more in alerts.csv");
            }
            Path dir =
                    out != null
                            ? out
                            : Path.of(
                                    "backtest-"
                                            + java.time.LocalDateTime.now()
                                                    .format(
                                                            java.time.format.DateTimeFormatter
                                                                    .ofPattern("yyyyMMdd-HHmmss")));
            for (Path written : diff.write(dir, settings, result.replays())) {
                Console.progress("wrote " + written);
            }
            print.flush();
            return 0;
        }

        private Instant time(String option, String text, Instant now) {
            try {
                if (text.matches("\\d{4}-\\d{2}-\\d{2}")) {
                    return TimeArgument.parse(text + "T00:00", now);
                }
                return TimeArgument.parse(text, now);
            } catch (IllegalArgumentException e) {
                throw bad(option + ": " + e.getMessage());
            }
        }

        private ParameterException bad(String message) {
            return new ParameterException(spec.commandLine(), message);
        }
    }

    /** The latest settings per topic key, read committed from the beginning of the topic. */
    static RulesInForce inForce(String bootstrap) {
        return inForce(bootstrap, Topic.RISK_RULES.topicName());
    }

    /** The latest settings per topic key on {@code topic} (a deployment's, with its prefix). */
    static RulesInForce inForce(String bootstrap, String topic) {
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
            var infos = consumer.partitionsFor(topic);
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
                            "could not read " + topic + " to its end within 30 s");
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
