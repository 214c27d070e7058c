package org.lifelongpulse.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.lifelongpulse.avro.AlertAction;
import org.lifelongpulse.avro.AlertActionType;
import org.lifelongpulse.cli.alerts.AlertCase;
import org.lifelongpulse.cli.alerts.AlertCases;
import org.lifelongpulse.cli.alerts.CaseActions;
import org.lifelongpulse.cli.alerts.CaseHistory;
import org.lifelongpulse.cli.alerts.CaseListing;
import org.lifelongpulse.cli.alerts.TriageQueue;
import org.lifelongpulse.cli.snapshot.TimeArgument;
import org.lifelongpulse.contracts.Topic;
import org.lifelongpulse.ops.kafka.ContractProducer;
import org.lifelongpulse.stack.Endpoints;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./pulse alerts list|show|ack|assign|note|close}: the supervisors' case handling. Reads the
 * alerts and their cases from ClickHouse as the read-only account ({@link AlertCases}); records
 * actions as {@link AlertAction}s on {@code fund.alert-actions.v1}, which the fund-risk job applies
 * (a CLOSE resolves the alert) and stores in {@code pulse.alert_actions}.
 */
@Command(
        name = "alerts",
        mixinStandardHelpOptions = true,
        description = {
            "Fund-risk alerts as cases: the triage queue, one alert's history, and the",
            "supervisors' actions (acknowledge, assign, note, close), recorded on the compacted",
            "topic fund.alert-actions.v1. Times are Asia/Shanghai.",
            "Exit codes: 0 done, 1 nothing recorded (unknown or closed alert), 2 usage error,",
            "3 failure (no stack, Kafka or ClickHouse refused)."
        },
        subcommands = {
            AlertsCommand.ListAlerts.class,
            AlertsCommand.Show.class,
            AlertsCommand.Ack.class,
            AlertsCommand.Assign.class,
            AlertsCommand.Note.class,
            AlertsCommand.Close.class
        })
final class AlertsCommand implements Runnable {

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static AlertCases cases(Endpoints endpoints) {
        return new AlertCases(
                StackEndpoints.clickHouse(endpoints, endpoints.accounts().reader())::rows);
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = {
                "The triage queue: open enforced alerts (latest version not RESOLVED, not closed",
                "by a supervisor), unacknowledged first, then RED before YELLOW, then the oldest",
                "first. With --closed: the closed and resolved alerts, the latest first, with who",
                "closed them and why (for an alert the job resolved by itself: its evidence, and",
                "its last detection as the time)."
            })
    static final class ListAlerts implements Callable<Integer> {

        @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

        @Mixin StackEndpoints where;

        @Option(
                names = "--mine",
                description = "Only the alerts assigned to the supervisor --by names.")
        boolean mine;

        @Option(
                names = "--by",
                paramLabel = "NAME",
                description = "The supervisor for --mine (default: $PULSE_SUPERVISOR, else $USER).")
        String by;

        @Option(names = "--closed", description = "The closed alerts instead of the open ones.")
        boolean closed;

        @Option(
                names = "--since",
                paramLabel = "TIME",
                description =
                        "With --closed: only those closed at or after TIME (ISO-8601, local"
                                + " Shanghai time 2021-10-25T08:00, or now-<n>[m|h|d|w]).")
        String since;

        @Option(names = "--rule", paramLabel = "RULE", description = "Only this rule, e.g. R5.")
        String rule;

        @Option(
                names = "--district",
                paramLabel = "DISTRICT",
                description = "Only this district, e.g. PUDONG.")
        String district;

        @Option(
                names = "--institution",
                paramLabel = "ID",
                description = "Only this institution, e.g. INST-0052.")
        String institution;

        @Option(
                names = "--limit",
                paramLabel = "N",
                defaultValue = "50",
                description = "At most N alerts (default: ${DEFAULT-VALUE}).")
        int limit;

        @Option(
                names = "--format",
                paramLabel = "FORMAT",
                defaultValue = "table",
                description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
        CaseListing.Format format;

        @Override
        public Integer call() {
            Instant now = Instant.now();
            String assignee = null;
            Instant after = null;
            if (limit < 1) {
                throw usage(spec, "--limit must be at least 1");
            }
            if (since != null && !closed) {
                throw usage(spec, "--since goes with --closed");
            }
            if (mine && closed) {
                throw usage(spec, "--mine lists open alerts; it does not go with --closed");
            }
            if (by != null && !mine) {
                throw usage(spec, "--by goes with --mine here");
            }
            if (mine) {
                assignee = supervisor(spec, by);
            }
            if (since != null) {
                try {
                    after = TimeArgument.parse(since, now);
                } catch (IllegalArgumentException e) {
                    throw usage(spec, "--since: " + e.getMessage());
                }
            }
            List<AlertCase> all =
                    cases(where.resolve()).enforced(upper(rule), upper(district), institution);
            List<AlertCase> matching =
                    closed
                            ? TriageQueue.closed(all, after, Integer.MAX_VALUE)
                            : TriageQueue.open(all, assignee, Integer.MAX_VALUE);
            List<AlertCase> shown = matching.subList(0, Math.min(limit, matching.size()));
            CaseListing listing = closed ? CaseListing.closed() : CaseListing.queue(now);
            PrintWriter out = spec.commandLine().getOut();
            listing.lines(shown, format).forEach(out::println);
            out.flush();
            Console.progress(
                    shown.size()
                            + " of "
                            + matching.size()
                            + (closed ? " closed" : " open")
                            + " alerts"
                            + (assignee == null ? "" : " assigned to " + assignee));
            return 0;
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description =
                    "One alert: its latest state, every version (pulse.alert_versions) and every"
                            + " supervisor's action on it (pulse.alert_actions).")
    static final class Show implements Callable<Integer> {

        @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

        @Mixin StackEndpoints where;

        @Parameters(paramLabel = "ALERT_ID", description = "The alert, as `alerts list` shows it.")
        String alertId;

        @Option(
                names = "--format",
                paramLabel = "FORMAT",
                defaultValue = "table",
                description = "table or json (default: ${DEFAULT-VALUE}).")
        CaseListing.Format format;

        @Override
        public Integer call() {
            if (format == CaseListing.Format.csv) {
                throw usage(spec, "show prints table or json");
            }
            AlertCases cases = cases(where.resolve());
            Optional<AlertCase> found = cases.find(alertId);
            if (found.isEmpty()) {
                Console.error("no alert " + alertId + " in pulse.risk_alerts");
                return 1;
            }
            var versions = cases.versions(alertId);
            var actions = cases.actions(alertId);
            PrintWriter out = spec.commandLine().getOut();
            if (format == CaseListing.Format.json) {
                out.println(CaseHistory.json(found.get(), versions, actions));
            } else {
                CaseHistory.lines(found.get(), versions, actions).forEach(out::println);
            }
            out.flush();
            return 0;
        }
    }

    /** What every action takes: the alert, who acts, and the stack. */
    abstract static class CaseAction implements Callable<Integer> {

        @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

        @Mixin StackEndpoints where;

        @Parameters(paramLabel = "ALERT_ID", description = "The alert, as `alerts list` shows it.")
        String alertId;

        @Option(
                names = "--by",
                paramLabel = "NAME",
                description = "Who acts (default: $PULSE_SUPERVISOR, else $USER).")
        String by;

        @Option(
                names = "--prefix",
                paramLabel = "PREFIX",
                defaultValue = "${env:PULSE_TOPIC_PREFIX:-}",
                description =
                        "Topic prefix of the deployment, as the jobs get it with"
                                + " --kafka.topic-prefix (default: $PULSE_TOPIC_PREFIX, else"
                                + " none).")
        String prefix;

        abstract AlertActionType type();

        /** ASSIGN's assignee; null for the others. */
        String assignee() {
            return null;
        }

        /** The note, reason or comment; null for none. */
        abstract String text();

        @Override
        public Integer call() {
            String actor = supervisor(spec, by);
            String text = text();
            if (text != null && text.isBlank()) {
                throw usage(spec, "the text must not be blank");
            }
            Endpoints endpoints = where.resolve();
            CaseActions.Outcome outcome =
                    CaseActions.decide(
                            new CaseActions.Request(type(), alertId, actor, assignee(), text),
                            cases(endpoints).find(alertId),
                            Instant.now(),
                            UUID.randomUUID());
            if (!outcome.recorded()) {
                Console.error(outcome.message());
                return outcome.exitCode();
            }
            publish(endpoints.kafkaBootstrap(), prefix, outcome.action());
            PrintWriter out = spec.commandLine().getOut();
            out.println("recorded: " + outcome.message());
            out.flush();
            return 0;
        }
    }

    @Command(
            name = "ack",
            mixinStandardHelpOptions = true,
            description =
                    "Acknowledge an alert: someone has seen it (it leaves the top of the queue).")
    static final class Ack extends CaseAction {

        @Option(names = "--note", paramLabel = "TEXT", description = "An optional comment.")
        String note;

        @Override
        AlertActionType type() {
            return AlertActionType.ACK;
        }

        @Override
        String text() {
            return note;
        }
    }

    @Command(
            name = "assign",
            mixinStandardHelpOptions = true,
            description = "Assign an alert to a supervisor (the latest assignment counts).")
    static final class Assign extends CaseAction {

        @Option(
                names = "--to",
                required = true,
                paramLabel = "NAME",
                description = "Who handles the alert from now on.")
        String to;

        @Option(names = "--note", paramLabel = "TEXT", description = "An optional comment.")
        String note;

        @Override
        AlertActionType type() {
            return AlertActionType.ASSIGN;
        }

        @Override
        String assignee() {
            return to.strip();
        }

        @Override
        String text() {
            return note;
        }
    }

    @Command(
            name = "note",
            mixinStandardHelpOptions = true,
            description = "Add a note to an alert, also to a closed one.")
    static final class Note extends CaseAction {

        @Option(names = "--note", required = true, paramLabel = "TEXT", description = "The note.")
        String note;

        @Override
        AlertActionType type() {
            return AlertActionType.NOTE;
        }

        @Override
        String text() {
            return note;
        }
    }

    @Command(
            name = "close",
            mixinStandardHelpOptions = true,
            description = {
                "Close an alert, with the reason. Final for this episode: the fund-risk job",
                "resolves the alert, absorbs the rule's hits for the cool-down (7 days by",
                "default), and a hit after that opens a new alert."
            })
    static final class Close extends CaseAction {

        @Option(
                names = "--reason",
                required = true,
                paramLabel = "TEXT",
                description = "Why the alert is closed (shown in \"Recently closed\").")
        String reason;

        @Override
        AlertActionType type() {
            return AlertActionType.CLOSE;
        }

        @Override
        String text() {
            return reason;
        }
    }

    /** Rule ids and districts are upper case (R5, PUDONG); null stays null. */
    private static String upper(String text) {
        return text == null ? null : text.strip().toUpperCase(java.util.Locale.ROOT);
    }

    /** The supervisor acting, or a usage error when there is no name to use. */
    static String supervisor(CommandLine.Model.CommandSpec spec, String by) {
        return CaseActions.actor(by, System.getenv())
                .orElseThrow(() -> usage(spec, "say who acts: --by NAME, or set PULSE_SUPERVISOR"));
    }

    private static CommandLine.ParameterException usage(
            CommandLine.Model.CommandSpec spec, String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    private static void publish(String bootstrap, String prefix, AlertAction action) {
        String topic = Topic.ALERT_ACTIONS.topicName(prefix == null ? "" : prefix);
        try (ContractProducer producer = new ContractProducer(bootstrap)) {
            producer.sendRaw(topic, Topic.ALERT_ACTIONS.keyOf(action), producer.encode(action))
                    .get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while recording the action", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "Kafka refused the action on "
                            + topic
                            + ": "
                            + e.getCause().getMessage()
                            + " (does the topic exist? `./pulse topics create`)",
                    e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "Kafka did not acknowledge the action on " + topic + " within 60 s", e);
        }
    }
}
