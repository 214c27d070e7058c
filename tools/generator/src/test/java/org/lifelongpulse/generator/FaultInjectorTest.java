package org.lifelongpulse.generator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.lifelongpulse.contracts.Topic;

/**
 * The faults are what the jobs are promised, checked by replaying the send order: resends are exact
 * and within seconds, out-of-order events trail by at most B/2, too-late events trail every
 * partition's maximum by at least 30 minutes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultInjectorTest {

    private List<Message> messages;
    private WorldParameters parameters;

    @BeforeAll
    void generate() {
        parameters = SmallWorlds.small(5);
        messages = Generator.build(parameters).messages();
    }

    @Test
    void everyFaultKeepsItsBound() {
        long halfBound = parameters.watermarkBound().toMillis() / 2;
        Map<Topic, Long> max = new HashMap<>();
        Map<String, Long> partitionMax = new HashMap<>();
        Map<String, Message> firstById = new HashMap<>();
        Map<Fault, Integer> seen = new HashMap<>();
        for (Message m : messages) {
            seen.merge(m.fault(), 1, Integer::sum);
            assertThat(m.arrivalMillis()).isGreaterThanOrEqualTo(m.eventMillis());
            if (m.record() == null || m.topic().compacted()) {
                continue;
            }
            long streamMax = max.getOrDefault(m.topic(), m.eventMillis());
            String id = m.record().get(0).toString();
            switch (m.fault()) {
                case NONE, OUT_OF_ORDER -> {
                    assertThat(streamMax - m.eventMillis()).isLessThanOrEqualTo(halfBound);
                    assertThat(firstById.put(id, m)).isNull();
                }
                case DUPLICATE -> {
                    Message original = firstById.get(id);
                    assertThat(original.record()).isEqualTo(m.record());
                    assertThat(m.arrivalMillis() - original.arrivalMillis())
                            .isBetween(1_000L, 4_000L);
                }
                case TOO_LATE -> {
                    int partitions = parameters.activityPartitions();
                    for (int p = 0; p < partitions; p++) {
                        assertThat(partitionMax.get(m.topic() + "/" + p) - m.eventMillis())
                                .isGreaterThanOrEqualTo(30 * 60_000L);
                    }
                }
                default -> {}
            }
            max.merge(m.topic(), m.eventMillis(), Math::max);
            int partition =
                    Utils.toPositive(Utils.murmur2(m.key().getBytes(StandardCharsets.UTF_8))) % 2;
            partitionMax.merge(m.topic() + "/" + partition, m.eventMillis(), Math::max);
        }
        assertThat(seen)
                .containsKeys(
                        Fault.DUPLICATE,
                        Fault.OUT_OF_ORDER,
                        Fault.TOO_LATE,
                        Fault.GARBAGE,
                        Fault.INVALID);
    }
}
