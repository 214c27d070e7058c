package org.lifelongpulse.adapters.kafka;

import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.lifelongpulse.avro.DeadLetter;
import org.lifelongpulse.contracts.Topic;
import org.lifelongpulse.contracts.WireFormat;

/** Dead letters to their Kafka topic in the wire format, keyed by the topic they came from. */
public final class DeadLetterTopicSink {

    private DeadLetterTopicSink() {}

    public static KafkaSink<DeadLetter> create(String bootstrap) {
        return KafkaSink.<DeadLetter>builder()
                .setBootstrapServers(bootstrap)
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .setRecordSerializer(KafkaRecordSerializationSchema.<DeadLetter>builder()
                        .setTopic(Topic.DEAD_LETTERS.topicName())
                        .setKeySerializationSchema(
                                (SerializationSchema<DeadLetter>) letter -> letter.getSourceTopic()
                                        .getBytes(java.nio.charset.StandardCharsets.UTF_8))
                        .setValueSerializationSchema(new WireSerializer())
                        .build())
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
