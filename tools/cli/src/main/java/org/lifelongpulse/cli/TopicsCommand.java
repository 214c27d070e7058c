package org.lifelongpulse.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.lifelongpulse.contracts.Topic;
import org.lifelongpulse.ops.kafka.KafkaTopics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code pulse topics create}: the pipeline's topics under a deployment's prefix, the one step
 * every deployment runs (compose and Kubernetes one-shots, the local stack). Idempotent: existing
 * topics are kept, and a compacted contract topic that exists without compaction is an error, not
 * something to paper over.
 */
@Command(
        name = "topics",
        mixinStandardHelpOptions = true,
        description = "The Kafka topics of the contracts (schemas/avro, DESIGN.md).",
        subcommands = {TopicsCommand.Create.class})
final class TopicsCommand implements Runnable {

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** One contract topic as the broker has it. */
    record TopicState(
            Topic contract, String name, int partitions, String cleanupPolicy, boolean created) {

        boolean policyAsContract() {
            return contract.compacted()
                    ? cleanupPolicy.contains(TopicConfig.CLEANUP_POLICY_COMPACT)
                    : !cleanupPolicy.contains(TopicConfig.CLEANUP_POLICY_COMPACT);
        }
    }

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = {
                "Create every contract topic that is missing, under the prefix the jobs get as"
                        + " --kafka.topic-prefix; reference data and rule settings compacted, with"
                        + " one partition.",
                "Prints each topic with its partitions and cleanup.policy. A second run changes"
                        + " nothing. Exit code 1 when a topic exists with the wrong cleanup.policy."
            })
    static final class Create implements Callable<Integer> {

        @Mixin StackEndpoints where;

        @Option(
                names = "--bootstrap",
                paramLabel = "HOST:PORT",
                description =
                        "Kafka bootstrap servers (default: $PULSE_KAFKA_BOOTSTRAP, else the local"
                                + " stack's).")
        String bootstrap;

        @Option(
                names = "--prefix",
                paramLabel = "PREFIX",
                defaultValue = "${env:PULSE_TOPIC_PREFIX:-}",
                description =
                        "Topic prefix, e.g. staging. (default: $PULSE_TOPIC_PREFIX, else none).")
        String prefix;

        @Option(
                names = "--partitions",
                paramLabel = "N",
                defaultValue = "${env:PULSE_TOPIC_PARTITIONS:-2}",
                description =
                        "Partitions of the event topics, at least the jobs' parallelism"
                                + " (default: $PULSE_TOPIC_PARTITIONS, else 2).")
        int partitions;

        @Option(
                names = "--replication",
                paramLabel = "R",
                defaultValue = "${env:PULSE_TOPIC_REPLICATION:-1}",
                description = "Replication factor (default: $PULSE_TOPIC_REPLICATION, else 1).")
        short replication;

        @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if (partitions < 1 || replication < 1) {
                throw new IllegalArgumentException(
                        "--partitions and --replication must be at least 1");
            }
            String servers = bootstrap();
            List<String> created = KafkaTopics.ensure(servers, prefix, partitions, replication);
            List<TopicState> states = describe(servers, prefix, created);
            int wrong = 0;
            for (TopicState t : states) {
                spec.commandLine()
                        .getOut()
                        .printf(
                                "%-40s partitions=%-3d cleanup.policy=%-8s %s%n",
                                t.name(),
                                t.partitions(),
                                t.cleanupPolicy(),
                                t.created() ? "created" : "exists");
                if (!t.policyAsContract()) {
                    wrong++;
                    Console.error(
                            t.name()
                                    + " has cleanup.policy="
                                    + t.cleanupPolicy()
                                    + " but its contract is "
                                    + (t.contract().compacted() ? "compacted" : "not compacted")
                                    + ": change it with kafka-configs.sh --alter --entity-type"
                                    + " topics --entity-name "
                                    + t.name()
                                    + " --add-config cleanup.policy="
                                    + (t.contract().compacted() ? "compact" : "delete"));
                }
            }
            Console.progress(
                    created.isEmpty()
                            ? "every topic exists; nothing changed"
                            : "created " + created.size() + " topic(s) on " + servers);
            return wrong == 0 ? 0 : 1;
        }

        private String bootstrap() {
            if (bootstrap != null && !bootstrap.isBlank()) {
                return bootstrap;
            }
            String env = System.getenv("PULSE_KAFKA_BOOTSTRAP");
            if (env != null && !env.isBlank()) {
                return env;
            }
            return where.resolve().kafkaBootstrap();
        }
    }

    /** Every contract topic under the prefix, as the broker describes it. */
    static List<TopicState> describe(String bootstrap, String prefix, List<String> created) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props)) {
            List<String> names = new ArrayList<>();
            List<ConfigResource> resources = new ArrayList<>();
            for (Topic t : Topic.values()) {
                names.add(t.topicName(prefix));
                resources.add(new ConfigResource(ConfigResource.Type.TOPIC, t.topicName(prefix)));
            }
            Map<String, TopicDescription> descriptions =
                    admin.describeTopics(names).allTopicNames().get();
            Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get();
            List<TopicState> states = new ArrayList<>();
            for (Topic t : Topic.values()) {
                String name = t.topicName(prefix);
                var policy =
                        configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name))
                                .get(TopicConfig.CLEANUP_POLICY_CONFIG);
                states.add(
                        new TopicState(
                                t,
                                name,
                                descriptions.get(name).partitions().size(),
                                policy == null ? "" : policy.value(),
                                created.contains(name)));
            }
            return states;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing topics", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "could not describe the topics on "
                            + bootstrap
                            + ": "
                            + e.getCause().getMessage(),
                    e.getCause());
        }
    }
}
