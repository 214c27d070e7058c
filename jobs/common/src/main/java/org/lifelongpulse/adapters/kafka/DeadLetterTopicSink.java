package org.lifelongpulse.adapters.kafka;

import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.lifelongpulse.avro.DeadLetter;
import org.lifelongpulse.contracts.Topic;
import org.lifelongpulse.contracts.WireFormat;

/**
 * Dead letters to their Kafka topic in the wire format, keyed by the topic they came from. The
 * topic is {@link Topic#DEAD_LETTERS} under the deployment's prefix, like every other topic.
 */
public final class DeadLetterTopicSink {

    private DeadLetterTopicSink() {}

    /**
     * @param topicPrefix {@code kafka.topic-prefix}; empty for the contract's name
     */
    public static KafkaSink<DeadLetter> create(String bootstrap, String topicPrefix) {
        return KafkaSink.<DeadLetter>builder()
                .setBootstrapServers(bootstrap)
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .setRecordSerializer(records(topicPrefix))
                .build();
    }

    /** The name the sink writes to, for its operator's name. */
    public static String topic(String topicPrefix) {
        return Topic.DEAD_LETTERS.topicName(topicPrefix);
    }

    static KafkaRecordSerializationSchema<DeadLetter> records(String topicPrefix) {
        return KafkaRecordSerializationSchema.<DeadLetter>builder()
                .setTopic(topic(topicPrefix))
                .setKeySerializationSchema(
                        (SerializationSchema<DeadLetter>)
                                letter -> letter.getSourceTopic().getBytes(StandardCharsets.UTF_8))
                .setValueSerializationSchema(new WireSerializer())
                .build();
    }

    /** The wire format, created lazily on the task (Avro encoders are not serializable). */
    private static final class WireSerializer implements SerializationSchema<DeadLetter> {
        private static final long serialVersionUID = 1L;
        private transient WireFormat<DeadLetter> format;

        @Override
        public byte[] serialize(DeadLetter letter) {
            if (format == null) {
                format = WireFormat.of(DeadLetter.class);
            }
            return format.encode(letter);
        }
    }
}
