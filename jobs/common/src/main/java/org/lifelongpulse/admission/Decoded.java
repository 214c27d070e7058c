package org.lifelongpulse.admission;

import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.lifelongpulse.avro.DeadLetter;

/**
 * What the Kafka source hands on for one message: the job's event, or the dead letter saying why
 * there is none. Decoding in the source lets watermarks be generated per Kafka partition.
 */
public class Decoded<O extends Admissible> {

    /** The event; null when the message is a dead letter. */
    public O value;

    /** Why the message could not be used; null when it decoded. */
    public DeadLetter deadLetter;

    public Decoded() {}

    public Decoded(O value, DeadLetter deadLetter) {
        this.value = value;
        this.deadLetter = deadLetter;
    }

    /** Event time for watermarks; dead letters do not move them. */
    public long eventTime() {
        return value == null ? Long.MIN_VALUE : value.eventTime();
    }

    /** Flink's type for {@code Decoded<O>}: a POJO with an Avro field, never Kryo. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static <O extends Admissible> TypeInformation<Decoded<O>> typeOf(Class<O> valueClass) {
        return (TypeInformation)
                Types.POJO(
                        Decoded.class,
                        Map.of(
                                "value", TypeInformation.of(valueClass),
                                "deadLetter", TypeInformation.of(DeadLetter.class)));
    }
}
