package org.lifelongpulse.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.lifelongpulse.adapters.kafka.RawRecord;
import org.lifelongpulse.contracts.Topic;
import org.lifelongpulse.testkit.KryoFreeTypes;

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

    @ParameterizedTest
    @ValueSource(
            classes = {
                RawRecord.class,
                org.lifelongpulse.admission.LateEvent.class,
                org.lifelongpulse.admission.DuplicateEvent.class,
                org.lifelongpulse.admission.DroppedEvent.class
            })
    void everyCommonRecordIsAFlinkPojoWithoutKryo(Class<?> type) {
        TypeInformation<?> info = TypeInformation.of(type);
        assertThat(info).isInstanceOf(PojoTypeInfo.class);
        assertThat(KryoFreeTypes.serializer(info)).isNotNull();
    }

    static java.util.stream.Stream<OutputTag<?>> sideOutputs() throws Exception {
        return java.util.stream.Stream.concat(
                KryoFreeTypes.outputTagsOf("org.lifelongpulse.admission").stream(),
                KryoFreeTypes.outputTagsOf("org.lifelongpulse.adapters.kafka").stream());
    }

    @ParameterizedTest
    @MethodSource("sideOutputs")
    void everyCommonSideOutputIsSerializedWithoutKryo(OutputTag<?> tag) {
        assertThat(KryoFreeTypes.serializer(tag.getTypeInfo())).isNotNull();
    }
}
