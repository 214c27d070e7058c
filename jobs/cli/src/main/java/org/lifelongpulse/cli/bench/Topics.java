package org.lifelongpulse.cli.bench;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/** Creates a benchmark's scratch topics before its unbounded job subscribes to them. */
final class Topics {

    private Topics() {}

    static void create(String bootstrap, String topic, int partitions, boolean compacted)
            throws Exception {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        try (Admin admin = Admin.create(props)) {
            NewTopic t = new NewTopic(topic, partitions, (short) 1);
            if (compacted) {
                t.configs(Map.of("cleanup.policy", "compact"));
            }
            admin.createTopics(List.of(t)).all().get();
        }
    }
}
