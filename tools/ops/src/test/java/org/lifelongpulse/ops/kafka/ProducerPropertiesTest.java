package org.lifelongpulse.ops.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The settings every producer of the tools shares. */
class ProducerPropertiesTest {

    @Test
    void idempotentAcksAllOneBatchInFlight() {
        Properties props = ProducerProperties.of("broker:9092");
        assertThat(props.get("bootstrap.servers")).isEqualTo("broker:9092");
        assertThat(props.get("acks")).isEqualTo("all");
        assertThat(props.get("enable.idempotence")).isEqualTo(true);
        // the fix for OutOfOrderSequenceException after a retried first batch
        assertThat(props.get("max.in.flight.requests.per.connection")).isEqualTo(1);
        assertThat(props.get("compression.type")).isEqualTo("lz4");
    }
}
