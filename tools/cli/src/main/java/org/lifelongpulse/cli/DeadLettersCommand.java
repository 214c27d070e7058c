package org.lifelongpulse.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.lifelongpulse.cli.deadletters.LetterSelection;
import org.lifelongpulse.cli.deadletters.Replay;
import org.lifelongpulse.cli.deadletters.StoredLetter;
import org.lifelongpulse.cli.snapshot.TimeArgument;
import org.lifelongpulse.ops.clickhouse.ClickHouseHttp;
import org.lifelongpulse.ops.kafka.ContractProducer;
import org.lifelongpulse.stack.Endpoints;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./pulse deadletters list|replay|purge}: the messages the jobs could not use. {@code list}
 * reads the redacted letters ({@code pulse.dead_letters}) as the read-only account; {@code replay}
 * and {@code purge} work on the letters as received ({@code pulse_restricted.dead_letters}), which
 * only the admin account reads.
 */
@Command(
        name = "deadletters",
        mixinStandardHelpOptions = true,
        description = {
            "Dead letters: messages a job could not decode or that failed validation. The",
            "readable table pulse.dead_letters and the topic pulse.deadletters.v1 hold them",
            "redacted (learner, payer and card ids hashed; undecodable payloads withheld); the",
            "bytes as received are only in pulse_restricted.dead_letters (admin account).",
            "Times are Asia/Shanghai.",
            "Exit codes: 0 done, 1 no letter matched, 2 usage error, 3 failure (no stack, Kafka",
            "or ClickHouse refused)."
        },
        subcommands = {
            DeadLettersCommand.ListLetters.class,
            DeadLettersCommand.ReplayLetters.class,
            DeadLettersCommand.Purge.class
        })
final class DeadLettersCommand implements Runnable {

    static final String READABLE = "pulse.dead_letters";
    static final String RESTRICTED = "pulse_restricted.dead_letters";

    private static final DateTimeFormatter SHANGHAI =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.of("Asia/Shanghai"));

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The filters every subcommand takes. */
    static final class Filters {

        @Option(
                names = "--topic",
                paramLabel = "TOPIC",
                description =
                        "Only letters read from TOPIC, as list shows it (with the deployment's"
                                + " prefix).")
        String topic;

        @Option(
                names = "--reason",
                paramLabel = "TEXT",
                description = "Only letters whose reason contains TEXT (case-insensitive).")
        String reason;

        @Option(
                names = "--stage",
                paramLabel = "STAGE",
                description = "Only letters of this stage: decode, validate or sink.")
        String stage;

        @Option(
                names = "--from",
                paramLabel = "TIME",
                description =
                        "Only letters that failed at or after TIME (ISO-8601, local Shanghai"
                                + " time 2021-10-25T08:00, or now-<n>[m|h|d|w]).")
        String from;

        @Option(
                names = "--to",
                paramLabel = "TIME",
                description = "Only letters that failed before TIME (same forms as --from).")
        String to;

        LetterSelection selection(CommandLine.Model.CommandSpec spec, Instant now) {
            try {
                return new LetterSelection(
                        blankToNull(topic),
                        blankToNull(reason),
                        stage == null ? null : stage.strip().toLowerCase(java.util.Locale.ROOT),
                        from == null ? null : TimeArgument.parse(from, now),
                        to == null ? null : TimeArgument.parse(to, now));
            } catch (IllegalArgumentException e) {
                throw usage(spec, e.getMessage());
            }
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = {
                "The dead letters in pulse.dead_letters, the latest first, read as the read-only",
                "account: when, which job, where from (topic/partition@offset), stage, reason,",
                "and what the readable row keeps of the payload."
            })
    static final class ListLetters implements java.util.concurrent.Callable<Integer> {

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Mixin StackEndpoints where;

        @Mixin Filters filters;

        @Option(
                names = "--limit",
                paramLabel = "N",
                defaultValue = "50",
                description = "At most N letters (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() {
            if (limit < 1) {
                throw usage(spec, "--limit must be at least 1");
            }
            LetterSelection selection = filters.selection(spec, Instant.now());
            Endpoints endpoints = where.resolve();
            ClickHouseHttp reader =
                    StackEndpoints.clickHouse(endpoints, endpoints.accounts().reader());
            long matching =
                    Long.parseLong(
                            reader.scalar(
                                    "SELECT count() FROM "
                                            + READABLE
                                            + " FINAL WHERE "
                                            + selection.where()));
            List<StoredLetter> letters =
                    reader
                            .rows(
                                    "SELECT "
                                            + StoredLetter.COLUMNS
                                            + " FROM "
                                            + READABLE
                                            + " FINAL WHERE "
                                            + selection.where()
                                            + " ORDER BY failed_at DESC, source_topic,"
                                            + " source_partition, source_offset LIMIT "
                                            + limit)
                            .stream()
                            .map(StoredLetter::of)
                            .toList();
            PrintWriter out = spec.commandLine().getOut();
            out.println("FAILED AT (Shanghai)\tJOB\tFROM\tSTAGE\tPAYLOAD\tREASON");
            for (StoredLetter l : letters) {
                out.println(
                        String.join(
                                "\t",
                                SHANGHAI.format(l.failedAt()),
                                l.job(),
                                l.position(),
                                l.stage(),
                                l.raw().length == 0 ? "withheld" : l.raw().length + " bytes",
                                l.reason()));
            }
            out.flush();
            Console.progress(letters.size() + " of " + matching + " matching dead letters");
            return matching == 0 ? 1 : 0;
        }
    }

    @Command(
            name = "replay",
            mixinStandardHelpOptions = true,
            description = {
                "Re-send the selected letters' original bytes (from pulse_restricted, as the",
                "admin account) to their source topics, once their cause is fixed. The jobs count",
                "a replayed message exactly once: they drop resends by event id within",
                "dedup-retention (default 7 days of event time), so a letter replayed twice, or",
                "whose event was meanwhile resent, is not counted again. A letter that still",
                "fails is dead-lettered again at its new offset."
            })
    static final class ReplayLetters implements java.util.concurrent.Callable<Integer> {

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Mixin StackEndpoints where;

        @Mixin Filters filters;

        @Option(
                names = "--dry-run",
                description = "Print what would be replayed, and send nothing.")
        boolean dryRun;

        @Override
        public Integer call() {
            LetterSelection selection = filters.selection(spec, Instant.now());
            Endpoints endpoints = where.resolve();
            List<StoredLetter> letters = restricted(endpoints, selection);
            PrintWriter out = spec.commandLine().getOut();
            if (letters.isEmpty()) {
                Console.error("no dead letter in " + RESTRICTED + " matches");
                return 1;
            }
            Map<String, Integer> perTopic = new TreeMap<>();
            letters.forEach(l -> perTopic.merge(l.sourceTopic(), 1, Integer::sum));
            if (dryRun) {
                letters.forEach(
                        l -> out.println("would replay " + l.position() + "\t" + l.reason()));
                out.println("would replay " + letters.size() + " letters: " + perTopic);
                out.flush();
                return 0;
            }
            Console.progress("replaying " + letters.size() + " dead letters: " + perTopic);
            send(endpoints.kafkaBootstrap(), letters);
            out.println("replayed " + letters.size() + " letters: " + perTopic);
            out.flush();
            return 0;
        }

        private static void send(String bootstrap, List<StoredLetter> letters) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            try (ContractProducer producer = new ContractProducer(bootstrap)) {
                for (StoredLetter l : letters) {
                    sent.add(producer.sendRaw(l.sourceTopic(), Replay.keyOf(l), l.raw()));
                }
                producer.flush();
                int done = 0;
                for (int i = 0; i < sent.size(); i++) {
                    try {
                        sent.get(i).get(60, TimeUnit.SECONDS);
                    } catch (ExecutionException e) {
                        throw new IllegalStateException(
                                "Kafka refused the replay of "
                                        + letters.get(i).position()
                                        + " after "
                                        + done
                                        + " letters: "
                                        + e.getCause().getMessage(),
                                e.getCause());
                    } catch (TimeoutException e) {
                        throw new IllegalStateException(
                                "Kafka did not acknowledge the replay of "
                                        + letters.get(i).position()
                                        + " within 60 s ("
                                        + done
                                        + " letters replayed)",
                                e);
                    }
                    done++;
                    if (done % 1000 == 0) {
                        Console.progress("replayed " + done + " of " + sent.size());
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while replaying", e);
            }
        }
    }

    @Command(
            name = "purge",
            mixinStandardHelpOptions = true,
            description = {
                "Delete letters older than DURATION (and matching the filters) from the",
                "restricted store and from the readable table, as the admin account. A purged",
                "letter can no longer be replayed. ClickHouse deletes in a mutation; the command",
                "waits for it to finish."
            })
    static final class Purge implements java.util.concurrent.Callable<Integer> {

        private static final Pattern AGE = Pattern.compile("(\\d+)([mhdw])");

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Mixin StackEndpoints where;

        @Mixin Filters filters;

        @Option(
                names = "--older-than",
                required = true,
                paramLabel = "DURATION",
                description =
                        "Letters that failed more than DURATION ago: <n>m, <n>h, <n>d or <n>w"
                                + " (e.g. 30d), or ISO-8601 (P30D).")
        String olderThan;

        @Option(
                names = "--dry-run",
                description = "Count what would be deleted, and delete nothing.")
        boolean dryRun;

        @Override
        public Integer call() {
            Instant now = Instant.now();
            LetterSelection selection =
                    filters.selection(spec, now).before(now.minus(age(spec, olderThan)));
            Endpoints endpoints = where.resolve();
            ClickHouseHttp admin =
                    StackEndpoints.clickHouse(endpoints, endpoints.accounts().admin());
            PrintWriter out = spec.commandLine().getOut();
            long total = 0;
            for (String table : List.of(RESTRICTED, READABLE)) {
                long n = count(admin, table, selection);
                total += n;
                out.println(
                        (dryRun ? "would delete " : "deleting ") + n + " letters from " + table);
                if (!dryRun && n > 0) {
                    admin.execute("ALTER TABLE " + table + " DELETE WHERE " + selection.where());
                }
            }
            out.flush();
            if (total == 0) {
                Console.error("no dead letter is older than " + olderThan + " and matches");
                return 1;
            }
            if (!dryRun) {
                awaitDeleted(admin, selection);
                out.println("purged " + total + " rows");
                out.flush();
            }
            return 0;
        }

        private static void awaitDeleted(ClickHouseHttp admin, LetterSelection selection) {
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            for (String table : List.of(RESTRICTED, READABLE)) {
                while (count(admin, table, selection) > 0) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(
                                "the delete on "
                                        + table
                                        + " has not finished within 120 s; see"
                                        + " system.mutations (it goes on in the background)");
                    }
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while purging", e);
                    }
                }
            }
        }

        static Duration age(CommandLine.Model.CommandSpec spec, String text) {
            Matcher m = AGE.matcher(text.strip());
            try {
                Duration age;
                if (m.matches()) {
                    long n = Long.parseLong(m.group(1));
                    age =
                            switch (m.group(2)) {
                                case "m" -> Duration.ofMinutes(n);
                                case "h" -> Duration.ofHours(n);
                                case "d" -> Duration.ofDays(n);
                                default -> Duration.ofDays(7 * n);
                            };
                } else {
                    age = Duration.parse(text.strip());
                }
                if (age.isNegative()) {
                    throw usage(spec, "--older-than must not be negative");
                }
                return age;
            } catch (java.time.format.DateTimeParseException | ArithmeticException e) {
                throw usage(
                        spec,
                        "--older-than: cannot read '"
                                + text
                                + "': use <n>m, <n>h, <n>d or <n>w (e.g. 30d), or ISO-8601"
                                + " (P30D)");
            }
        }
    }

    /** The letters as received that the selection matches, as the admin account reads them. */
    static List<StoredLetter> restricted(Endpoints endpoints, LetterSelection selection) {
        ClickHouseHttp admin = StackEndpoints.clickHouse(endpoints, endpoints.accounts().admin());
        return admin
                .rows(
                        "SELECT "
                                + StoredLetter.COLUMNS
                                + " FROM "
                                + RESTRICTED
                                + " FINAL WHERE "
                                + selection.where()
                                + " ORDER BY source_topic, source_partition, source_offset")
                .stream()
                .map(StoredLetter::of)
                .toList();
    }

    private static long count(ClickHouseHttp admin, String table, LetterSelection selection) {
        return Long.parseLong(
                admin.scalar("SELECT count() FROM " + table + " FINAL WHERE " + selection.where()));
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    private static CommandLine.ParameterException usage(
            CommandLine.Model.CommandSpec spec, String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
