package org.lifelongpulse.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.lifelongpulse.adapters.kafka.RawRecord;
import org.lifelongpulse.contracts.Topic;

/** No record that flows between operators may fall back to Kryo. */
class SerializerGuardTest {

    @ParameterizedTest
    @EnumSource(Topic.class)
    void everyContractIsSerializedWithAvro(Topic topic) {
        TypeInformation<?> info = TypeInformation.of(topic.recordClass());
        assertThat(info).isInstanceOf(AvroTypeInfo.class).isNotInstanceOf(GenericTypeInfo.class);
    }

    @Test
    void rawKafkaRecordsAreFlinkPojos() {
        assertThat(TypeInformation.of(RawRecord.class)).isInstanceOf(PojoTypeInfo.class);
    }
}
