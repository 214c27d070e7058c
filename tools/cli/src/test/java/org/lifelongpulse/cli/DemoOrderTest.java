package org.lifelongpulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lifelongpulse.contracts.Topic;
import org.lifelongpulse.generator.Fault;
import org.lifelongpulse.generator.Message;

/** The demo sends the fund market and the activity week side by side, each in its own order. */
class DemoOrderTest {

    private static Message message(Topic topic, long i) {
        return new Message(topic, topic.name() + i, null, new byte[0], Fault.NONE, i, i);
    }

    @Test
    void bothStreamsStartAtOnceAndKeepTheirOwnOrder() {
        // event-time order: 6 fund messages, then 3 activity messages
        List<Message> world = new ArrayList<>();
        world.add(message(Topic.INSTITUTIONS, 0));
        for (long i = 1; i <= 5; i++) {
            world.add(message(Topic.FUND_TRANSACTIONS, i));
        }
        world.add(message(Topic.WALK_ROUTES, 6));
        world.add(message(Topic.LEARNING_ACTIVITY, 7));
        world.add(message(Topic.LEARNING_ACTIVITY, 8));

        List<String> sent =
                DemoCommand.bothStreamsAtOnce(world).stream().map(Message::key).toList();

        // two fund messages for every activity message, from the start
        assertThat(sent)
                .containsExactly(
                        "INSTITUTIONS0",
                        "WALK_ROUTES6",
                        "FUND_TRANSACTIONS1",
                        "FUND_TRANSACTIONS2",
                        "LEARNING_ACTIVITY7",
                        "FUND_TRANSACTIONS3",
                        "FUND_TRANSACTIONS4",
                        "LEARNING_ACTIVITY8",
                        "FUND_TRANSACTIONS5");
    }

    @Test
    void oneStreamAloneIsUnchanged() {
        List<Message> world =
                List.of(message(Topic.LEARNING_ACTIVITY, 1), message(Topic.LEARNING_ACTIVITY, 2));
        assertThat(DemoCommand.bothStreamsAtOnce(world)).isEqualTo(world);
    }
}
