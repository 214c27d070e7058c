package org.lifelongpulse.ops.kafka;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.lifelongpulse.contracts.Topic;

/**
 * Creates the pipeline's topics when missing, the one place that does: every contract topic under
 * the deployment's prefix ({@code kafka.topic-prefix}, {@link Topic#topicName(String)}), compacted
 * ones (reference data and rules) with one partition. Created topics are awaited until each
 * partition has a leader, so that a producer's first batch does not race the election.
 */
public final class KafkaTopics {

    /** Partitions of the event topics; two, so that parallelism 2 reads in parallel locally. */
    public static final int DEFAULT_PARTITIONS = 2;

    private static final long LEADER_WAIT_SECONDS = 60;

    private KafkaTopics() {}

    /** Every contract topic without a prefix; returns the names it created. */
    public static List<String> ensure(String bootstrap, int partitions, short replication) {
        return ensure(bootstrap, "", partitions, replication);
    }

    /**
     * Every contract topic under a prefix: a deployment's, a test's or a benchmark's own topics.
     * Returns the names it created.
     */
    public static List<String> ensure(
            String bootstrap, String prefix, int partitions, short replication) {
        Map<Topic, Integer> all = new LinkedHashMap<>();
        Arrays.stream(Topic.values()).forEach(t -> all.put(t, partitions));
        return ensure(bootstrap, prefix, all, replication);
    }

    /**
     * These contract topics under a prefix, event topics with the partitions given (compacted ones
     * always get one). Returns the names it created.
     */
    public static List<String> ensure(
            String bootstrap, String prefix, Map<Topic, Integer> partitions, short replication) {
        return create(bootstrap, plan(prefix, partitions, replication));
    }

    /** The topics to create for these contract topics under a prefix. */
    static List<NewTopic> plan(String prefix, Map<Topic, Integer> partitions, short replication) {
        List<NewTopic> topics = new ArrayList<>();
        partitions.forEach(
                (topic, count) -> {
                    String name = topic.topicName(prefix);
                    if (topic.compacted()) {
                        topics.add(
                                new NewTopic(name, 1, replication)
                                        .configs(
                                                Map.of(
                                                        TopicConfig.CLEANUP_POLICY_CONFIG,
                                                        TopicConfig.CLEANUP_POLICY_COMPACT)));
                    } else {
                        topics.add(new NewTopic(name, count, replication));
                    }
                });
        return topics;
    }

    /**
     * Creates those of the topics that are missing (one created meanwhile by another client is
     * fine) and waits until each partition of those created has a leader. Also for topics outside
     * the contracts, e.g. a test's own. Returns the names it created.
     */
    public static List<String> create(String bootstrap, List<NewTopic> topics) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing =
                    topics.stream().filter(t -> !existing.contains(t.name())).toList();
            List<String> created = new ArrayList<>();
            for (var result : admin.createTopics(missing).values().entrySet()) {
                try {
                    result.getValue().get();
                    created.add(result.getKey());
                } catch (ExecutionException e) {
                    // another client created it meanwhile: that is what we wanted
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            awaitLeaders(admin, missing.stream().map(NewTopic::name).toList());
            return missing.stream().map(NewTopic::name).filter(created::contains).toList();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "could not create topics on " + bootstrap + ": " + e.getCause().getMessage(),
                    e.getCause());
        }
    }

    private static boolean everyPartitionLed(TopicDescription topic) {
        return topic.partitions().stream()
                .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
    }

    /** Created topics take a moment to get partition leaders; produce only once they have. */
    private static void awaitLeaders(Admin admin, List<String> topics)
            throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LEADER_WAIT_SECONDS);
        while (!topics.isEmpty()) {
            boolean ready;
            try {
                ready =
                        admin.describeTopics(topics).allTopicNames().get().values().stream()
                                .allMatch(KafkaTopics::everyPartitionLed);
            } catch (ExecutionException e) {
                // just created: the broker may not know the topic yet
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
                ready = false;
            }
            if (ready) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "topics " + topics + " got no leaders in " + LEADER_WAIT_SECONDS + " s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }
}
