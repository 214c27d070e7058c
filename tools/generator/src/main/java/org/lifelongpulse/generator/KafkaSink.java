package org.lifelongpulse.generator;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.lifelongpulse.contracts.Topic;
import org.lifelongpulse.contracts.WireFormat;

/**
 * Sends a world to Kafka: records in the wire format keyed by {@link Topic#keyOf}, garbage as
 * raw bytes. Creates missing topics (compacted reference topics with one partition, event topics
 * with the world's partition counts). Idempotent, acks=all; a failed send fails the flush.
 */
public final class KafkaSink implements EventSink {

    private final KafkaProducer<String, byte[]> producer;
    private final String prefix;
    private final Map<Topic, WireFormat<SpecificRecord>> formats = new EnumMap<>(Topic.class);
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    /**
     * @param prefix prepended to every topic name (empty in production; tests isolate with it)
     */
    public KafkaSink(String bootstrap, String prefix, WorldParameters parameters) {
        this.prefix = prefix;
        createMissingTopics(bootstrap, prefix, parameters);
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        // One batch in flight per partition: a retried first batch to a just-created topic can
        // otherwise leave the idempotent producer's sequence numbers behind the broker's
        // (OutOfOrderSequenceException until the delivery timeout; seen under load).
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    public static String topicName(String prefix, Topic topic) {
        return prefix + topic.topicName();
    }

    private static void createMissingTopics(String bootstrap, String prefix,
            WorldParameters parameters) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = new ArrayList<>();
            for (Topic topic : List.of(Topic.INSTITUTIONS, Topic.WALK_ROUTES,
                    Topic.LEARNING_ACTIVITY, Topic.FUND_TRANSACTIONS)) {
                String name = topicName(prefix, topic);
                if (existing.contains(name)) {
                    continue;
                }
                if (topic.compacted()) {
                    missing.add(new NewTopic(name, 1, (short) 1).configs(Map.of(
                            TopicConfig.CLEANUP_POLICY_CONFIG,
                            TopicConfig.CLEANUP_POLICY_COMPACT)));
                } else {
                    int partitions = topic == Topic.LEARNING_ACTIVITY
                            ? parameters.activityPartitions() : parameters.fundPartitions();
                    missing.add(new NewTopic(name, partitions, (short) 1));
                }
            }
            for (var result : admin.createTopics(missing).values().values()) {
                try {
                    result.get();
                } catch (ExecutionException e) {
                    // another producer created it meanwhile: that is what we wanted
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            awaitLeaders(admin, missing.stream().map(NewTopic::name).toList());
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not create the topics: "
                    + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }

    /** Created topics take a moment to get partition leaders; produce only once they have. */
    private static void awaitLeaders(Admin admin, List<String> topics)
            throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (!topics.isEmpty()) {
            boolean ready;
            try {
                ready = admin.describeTopics(topics).allTopicNames().get().values().stream()
                        .allMatch(d -> d.partitions().stream().allMatch(p -> p.leader() != null
                                && !p.leader().isEmpty()));
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
                throw new IllegalStateException("topics " + topics + " got no leaders in 60 s");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(
                    java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    @Override
    public void send(Message message) throws IOException {
        rethrow();
        byte[] value = message.garbage() != null ? message.garbage()
                : format(message.topic()).encode(message.record());
        producer.send(new ProducerRecord<>(topicName(prefix, message.topic()), message.key(),
                value), (metadata, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
    }

    @SuppressWarnings("unchecked")
    private WireFormat<SpecificRecord> format(Topic topic) {
        return formats.computeIfAbsent(topic,
                t -> WireFormat.of((Class<SpecificRecord>) t.recordClass()));
    }

    @Override
    public void flush() throws IOException {
        producer.flush();
        rethrow();
    }

    private void rethrow() throws IOException {
        Exception e = failure.get();
        if (e != null) {
            throw new IOException("Kafka refused a message: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        producer.close();
        rethrow();
    }
}
