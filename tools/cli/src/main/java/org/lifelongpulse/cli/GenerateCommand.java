package org.lifelongpulse.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.lifelongpulse.generator.Delivery;
import org.lifelongpulse.generator.DirectorySink;
import org.lifelongpulse.generator.EventSink;
import org.lifelongpulse.generator.Generator;
import org.lifelongpulse.generator.GroundTruth;
import org.lifelongpulse.generator.KafkaSink;
import org.lifelongpulse.generator.LivePlacement;
import org.lifelongpulse.generator.World;
import org.lifelongpulse.generator.WorldParameters;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./pulse generate --seed S --to kafka|DIR [--truth FILE]}. */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = {
            "Generate a simulated world with its ground truth.",
            "",
            "An activity week of learners (16 districts, elder universities, MOOCs, walks) and",
            "a ten-week training market ending with it, where scripted institutions trigger",
            "every risk rule and near misses stay just below; plus duplicates, out-of-order,",
            "too-late and malformed messages. The same seed and options give the same bytes.",
            "To a directory: one <topic>.jsonl per topic (readable by ./pulse produce) and",
            "malformed.jsonl. To Kafka: reference data first, then events in arrival order.",
            "--truth writes the manifest of what the jobs must compute."
        })
final class GenerateCommand implements Callable<Integer> {

    @Mixin StackEndpoints where;

    @Option(
            names = "--seed",
            required = true,
            paramLabel = "S",
            description = "Seed of every random choice.")
    long seed;

    @Option(
            names = "--learners",
            paramLabel = "N",
            description = "Learners (default: ${DEFAULT-VALUE}).")
    int learners = WorldParameters.DEFAULT_LEARNERS;

    @Option(
            names = "--institutions",
            paramLabel = "M",
            description =
                    "Training institutions, scripted ones included (default:"
                            + " ${DEFAULT-VALUE}).")
    int institutions = WorldParameters.DEFAULT_INSTITUTIONS;

    @Option(
            names = "--days",
            paramLabel = "D",
            description = "Length of the activity week in days (default: ${DEFAULT-VALUE}).")
    int days = WorldParameters.DEFAULT_DAYS;

    @Option(
            names = "--start",
            paramLabel = "ISO",
            description =
                    "Start of the activity week, ISO-8601 with offset (default:"
                            + " 2020-11-01T00:00:00+08:00).")
    String start;

    @Option(
            names = "--count",
            paramLabel = "N",
            description = "Learning-activity events before faults (default: 8 per learner).")
    Long count;

    @Option(
            names = "--rate",
            paramLabel = "EVENTS_PER_S",
            description =
                    "Pace sending to this many messages per wall-clock second"
                            + " (default: as fast as possible).")
    double rate;

    @Option(
            names = "--live-tail",
            paramLabel = "SECONDS",
            description = {
                "Place the world in wall-clock time so that it catches up with the",
                "clock SECONDS before its end and its last SECONDS arrive live, each message at",
                "its own time, quiet stretches included, as a production feed does (the world",
                "then ends on the last day's afternoon; --start is ignored). Default: off."
            })
    Integer liveTail;

    @Option(
            names = "--to",
            required = true,
            paramLabel = "kafka|DIR",
            description = "'kafka' for the stack's Kafka, or a directory for JSON lines.")
    String to;

    @Option(
            names = "--topic-prefix",
            paramLabel = "PREFIX",
            defaultValue = "${env:PULSE_TOPIC_PREFIX:-}",
            description =
                    "With --to kafka: the topics' prefix, as the jobs' --kafka.topic-prefix"
                            + " (default: $PULSE_TOPIC_PREFIX, else none).")
    String topicPrefix;

    @Option(
            names = "--truth",
            paramLabel = "FILE",
            description = "Write the ground-truth manifest (JSON) here.")
    Path truth;

    @Override
    public Integer call() throws IOException, InterruptedException {
        WorldParameters parameters = parameters();
        long begin = System.nanoTime();
        World world;
        Delivery delivery = new Delivery(rate, Console::progress);
        if (liveTail != null) {
            LivePlacement.Plan plan =
                    LivePlacement.place(
                            parameters,
                            System.currentTimeMillis(),
                            rate,
                            Duration.ofSeconds(liveTail));
            world = plan.world();
            parameters = world.parameters();
            delivery.live();
            Console.progress(
                    "placed live: the world catches up with the clock at about "
                            + Instant.ofEpochMilli(plan.liveFrom())
                            + " and ends at "
                            + plan.end());
        } else {
            world = Generator.build(parameters);
        }
        Console.progress(
                String.format(
                        "world of seed %d built in %.1f s: %,d messages",
                        seed, (System.nanoTime() - begin) / 1e9, world.messages().size()));

        CountDownLatch finished = new CountDownLatch(1);
        // Ctrl-C asks the delivery to stop and waits until what was sent is flushed
        Thread hook =
                new Thread(
                        () -> {
                            delivery.stop();
                            try {
                                finished.await(30, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "pulse-generate-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            Delivery.Result result;
            try (EventSink sink = sink(parameters)) {
                result = delivery.send(world.messages(), sink);
            }
            if (truth != null) {
                GroundTruth.of(world).write(truth);
                Console.progress(
                        "truth written to "
                                + truth
                                + (result.complete()
                                        ? ""
                                        : " (it describes the whole world, of which"
                                                + " only the first "
                                                + result.sent()
                                                + " messages were sent)"));
            }
            return result.complete() ? 0 : 130;
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting because of Ctrl-C: the hook is already running
            }
        }
    }

    private EventSink sink(WorldParameters parameters) throws IOException {
        if ("kafka".equals(to)) {
            return new KafkaSink(kafkaBootstrap(), topicPrefix, parameters);
        }
        return new DirectorySink(Path.of(to));
    }

    /** $PULSE_KAFKA_BOOTSTRAP alone is enough to send (no ClickHouse needed), else the stack's. */
    private String kafkaBootstrap() {
        String env = System.getenv("PULSE_KAFKA_BOOTSTRAP");
        return env != null && !env.isBlank() ? env : where.resolve().kafkaBootstrap();
    }

    private WorldParameters parameters() {
        Instant weekStart = WorldParameters.DEFAULT_START;
        if (start != null) {
            try {
                weekStart = OffsetDateTime.parse(start).toInstant();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(
                        "--start '"
                                + start
                                + "' is not ISO-8601 with an offset, e.g."
                                + " 2020-11-01T00:00:00+08:00");
            }
        }
        if (liveTail != null && liveTail < 1) {
            throw new IllegalArgumentException("--live-tail must be at least 1 second");
        }
        if (rate < 0) {
            throw new IllegalArgumentException("--rate must not be negative");
        }
        long events = count != null ? count : (long) learners * WorldParameters.EVENTS_PER_LEARNER;
        return WorldParameters.defaults(seed)
                .withLearners(learners, events)
                .withInstitutions(institutions)
                .withWeek(weekStart, days);
    }
}
