package org.lifelongpulse.generator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.lifelongpulse.contracts.JsonForm;
import org.lifelongpulse.contracts.Topic;
import org.lifelongpulse.contracts.WireFormat;

/**
 * Writes a world as JSON lines, one {@code <topic>.jsonl} per topic in send order, readable by
 * {@code ./pulse produce}. Malformed messages go to {@code malformed.jsonl} (topic, key, kind and
 * the raw bytes in base64), so that the topic files hold only valid records. Every institution
 * version is also written to the history topic's file ({@link Topic#INSTITUTION_VERSIONS}), as
 * {@link KafkaSink} sends it to both topics.
 */
public final class DirectorySink implements EventSink {

    public static final String MALFORMED_FILE = "malformed.jsonl";
    private static final List<Topic> TOPICS =
            List.of(
                    Topic.INSTITUTIONS,
                    Topic.INSTITUTION_VERSIONS,
                    Topic.WALK_ROUTES,
                    Topic.LEARNING_RESOURCES,
                    Topic.LEARNING_ACTIVITY,
                    Topic.FUND_TRANSACTIONS);

    private final Map<Topic, BufferedWriter> writers = new EnumMap<>(Topic.class);
    private final BufferedWriter malformed;
    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<Topic, WireFormat<SpecificRecord>> formats = new EnumMap<>(Topic.class);

    public DirectorySink(Path directory) throws IOException {
        Files.createDirectories(directory);
        for (Topic topic : TOPICS) {
            writers.put(
                    topic,
                    Files.newBufferedWriter(fileOf(directory, topic), StandardCharsets.UTF_8));
        }
        malformed =
                Files.newBufferedWriter(directory.resolve(MALFORMED_FILE), StandardCharsets.UTF_8);
    }

    public static Path fileOf(Path directory, Topic topic) {
        return directory.resolve(topic.topicName() + ".jsonl");
    }

    @Override
    public void send(Message message) throws IOException {
        if (message.malformed()) {
            byte[] raw =
                    message.garbage() != null
                            ? message.garbage()
                            : format(message.topic()).encode(message.record());
            ObjectNode line =
                    mapper.createObjectNode()
                            .put("topic", message.topic().topicName())
                            .put("key", message.key())
                            .put("kind", message.fault().name().toLowerCase())
                            .put("value_base64", Base64.getEncoder().encodeToString(raw));
            malformed.write(mapper.writeValueAsString(line));
            malformed.write('\n');
            return;
        }
        String json = JsonForm.toJson(message.record());
        BufferedWriter writer = writers.get(message.topic());
        writer.write(json);
        writer.write('\n');
        if (message.topic() == Topic.INSTITUTIONS) {
            BufferedWriter history = writers.get(Topic.INSTITUTION_VERSIONS);
            history.write(json);
            history.write('\n');
        }
    }

    @SuppressWarnings("unchecked")
    private WireFormat<SpecificRecord> format(Topic topic) {
        return formats.computeIfAbsent(
                topic, t -> WireFormat.of((Class<SpecificRecord>) t.recordClass()));
    }

    @Override
    public void flush() throws IOException {
        for (BufferedWriter writer : writers.values()) {
            writer.flush();
        }
        malformed.flush();
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (BufferedWriter writer : List.copyOf(writers.values())) {
            try {
                writer.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        malformed.close();
        if (first != null) {
            throw first;
        }
    }
}
