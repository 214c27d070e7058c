package org.lifelongpulse.ops.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.lifelongpulse.contracts.Topic;

/** Creates the pipeline's topics when missing: compacted ones for reference data and rules. */
public final class KafkaTopics {

    /** Partitions of the event topics; two, so that parallelism 2 reads in parallel locally. */
    public static final int DEFAULT_PARTITIONS = 2;

    private KafkaTopics() {}

    /** Creates what is missing and returns the names it created. */
    public static List<String> ensure(String bootstrap, int partitions, short replication) {
        return ensure(bootstrap, "", partitions, replication);
    }

    /**
     * The same under a prefix ({@code kafka.topic-prefix}): a deployment's, a test's or a
     * benchmark's own topics.
     */
    public static List<String> ensure(String bootstrap, String prefix, int partitions,
            short replication) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = new ArrayList<>();
            for (Topic topic : Topic.values()) {
                String name = prefix + topic.topicName();
                if (existing.contains(name)) {
                    continue;
                }
                NewTopic newTopic = new NewTopic(name,
                        topic.compacted() ? 1 : partitions, replication);
                if (topic.compacted()) {
                    newTopic.configs(Map.of(
                            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
                }
                missing.add(newTopic);
            }
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get();
            }
            return missing.stream().map(NewTopic::name).toList();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not create topics on " + bootstrap + ": "
                    + e.getCause().getMessage(), e.getCause());
        }
    }
}
