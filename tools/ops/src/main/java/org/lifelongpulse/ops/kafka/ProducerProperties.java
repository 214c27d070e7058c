package org.lifelongpulse.ops.kafka;

import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The settings of every producer of the tools (the generator, {@link ContractProducer}, the drill's
 * garbage): idempotent with {@code acks=all}, so that a retried send is written once, batched and
 * compressed, and one batch in flight per connection.
 */
public final class ProducerProperties {

    private ProducerProperties() {}

    /** Producer properties for this bootstrap; serializers are the caller's. */
    public static Properties of(String bootstrap) {
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
        return props;
    }
}
