package org.lifelongpulse.ops.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.lifelongpulse.contracts.Topic;

/** What {@link KafkaTopics} asks the broker to create, without a broker. */
class KafkaTopicsTest {

    private static List<NewTopic> everyTopic(String prefix, int partitions) {
        Map<Topic, Integer> all = new LinkedHashMap<>();
        Arrays.stream(Topic.values()).forEach(t -> all.put(t, partitions));
        return KafkaTopics.plan(prefix, all, (short) 1);
    }

    @Test
    void everyTopicIsNamedUnderThePrefixTheDeadLettersToo() {
        assertThat(everyTopic("staging.", 3))
                .extracting(NewTopic::name)
                .containsExactly(
                        "staging.learning.activity.v1",
                        "staging.fund.transactions.v1",
                        "staging.fund.institutions.v1",
                        "staging.fund.institution-versions.v1",
                        "staging.learning.routes.v1",
                        "staging.learning.resources.v1",
                        "staging.fund.rules.v1",
                        "staging.fund.alerts.v1",
                        "staging.fund.alert-actions.v1",
                        "staging.pulse.deadletters.v1",
                        "staging.pulse.schemas.v1");
        assertThat(everyTopic("", 3))
                .extracting(NewTopic::name)
                .contains("pulse.deadletters.v1", "learning.activity.v1");
    }

    @Test
    void compactedTopicsGetOnePartitionAndCompaction() {
        for (NewTopic topic : everyTopic("", 3)) {
            boolean reference =
                    List.of(
                                    "fund.institutions.v1",
                                    "fund.institution-versions.v1",
                                    "learning.routes.v1",
                                    "learning.resources.v1",
                                    "fund.rules.v1",
                                    "fund.alert-actions.v1",
                                    "pulse.schemas.v1")
                            .contains(topic.name());
            assertThat(topic.numPartitions()).as(topic.name()).isEqualTo(reference ? 1 : 3);
            assertThat(topic.configs())
                    .as(topic.name())
                    .isEqualTo(reference ? Map.of("cleanup.policy", "compact") : null);
        }
    }

    @Test
    void theGeneratorsPartitionsPerTopic() {
        Map<Topic, Integer> world = new LinkedHashMap<>();
        world.put(Topic.LEARNING_ACTIVITY, 4);
        world.put(Topic.FUND_TRANSACTIONS, 2);
        world.put(Topic.WALK_ROUTES, 5);
        assertThat(KafkaTopics.plan("it.", world, (short) 1))
                .extracting(NewTopic::name, NewTopic::numPartitions)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("it.learning.activity.v1", 4),
                        org.assertj.core.groups.Tuple.tuple("it.fund.transactions.v1", 2),
                        org.assertj.core.groups.Tuple.tuple("it.learning.routes.v1", 1));
    }
}
