package org.lifelongpulse.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) in its own JVM, with its
 * data under the stack's work directory.
 */
final class KafkaBroker {

    private static final String CLASSPATH_RESOURCE = "kafka-broker.classpath";

    private final Path dir;
    private final Path log;

    KafkaBroker(StackLayout layout) {
        this.dir = layout.kafkaDir();
        this.log = layout.logDir().resolve("kafka.log");
    }

    Path log() {
        return log;
    }

    /** Writes the configuration, formats the storage on first use, and starts the broker. */
    Process start(int port, int controllerPort) {
        try {
            Files.createDirectories(dir.resolve("data"));
            Path config = dir.resolve("server.properties");
            Files.writeString(config, serverProperties(port, controllerPort));
            Files.writeString(dir.resolve("log4j2.properties"), log4jProperties());
            if (!Files.exists(dir.resolve("data").resolve("meta.properties"))) {
                List<String> format = javaCommand("kafka.tools.StorageTool");
                format.addAll(
                        List.of(
                                "format",
                                "-t",
                                Uuid.randomUuid().toString(),
                                "-c",
                                config.toString(),
                                "--standalone"));
                Processes.run(format, dir, log, 120);
            }
            List<String> server = javaCommand("kafka.Kafka");
            server.add(config.toString());
            return Processes.startDetached(server, dir, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the broker answers on {@code bootstrap}. */
    static boolean answers(String bootstrap) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000);
        try (Admin admin = Admin.create(props)) {
            return !admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    private List<String> javaCommand(String mainClass) {
        String java =
                ProcessHandle.current()
                        .info()
                        .command()
                        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>();
        command.add(java);
        command.add("-Xms256m");
        command.add("-Xmx512m");
        command.add("-XX:+UseG1GC");
        command.add("-Dlog4j2.configurationFile=" + dir.resolve("log4j2.properties"));
        command.add("-Dpulse.stack.process=kafka");
        command.add("-cp");
        command.add(brokerClasspath());
        command.add(mainClass);
        return command;
    }

    private static String brokerClasspath() {
        try (InputStream in = KafkaBroker.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
            if (in == null) {
                throw new StackException(
                        "the broker classpath ("
                                + CLASSPATH_RESOURCE
                                + ") is missing from the build; rebuild with `mvn -pl tools/stack"
                                + " package`");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The broker's settings beyond its listeners and data directory, for the local process and the
     * Kafka container alike: one node, no topic created by accident, and transactions as long as
     * Flink's exactly-once sink asks for (up to an hour).
     */
    static final Map<String, String> SETTINGS =
            settings(
                    "num.partitions", "2",
                    "auto.create.topics.enable", "false",
                    "offsets.topic.replication.factor", "1",
                    "offsets.topic.num.partitions", "4",
                    "transaction.state.log.replication.factor", "1",
                    "transaction.state.log.min.isr", "1",
                    "transaction.state.log.num.partitions", "4",
                    "share.coordinator.state.topic.replication.factor", "1",
                    "share.coordinator.state.topic.min.isr", "1",
                    "transaction.max.timeout.ms", "3600000",
                    "group.initial.rebalance.delay.ms", "0",
                    "log.retention.hours", "-1",
                    "log.cleaner.backoff.ms", "1000");

    private static Map<String, String> settings(String... keysAndValues) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            settings.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return Collections.unmodifiableMap(settings);
    }

    String serverProperties(int port, int controllerPort) {
        List<String> lines =
                new ArrayList<>(
                        List.of(
                                "# Written by the Lifelong Pulse local stack; rewritten at every"
                                        + " start.",
                                "process.roles=broker,controller",
                                "node.id=1",
                                "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
                                "listeners=PLAINTEXT://127.0.0.1:"
                                        + port
                                        + ",CONTROLLER://127.0.0.1:"
                                        + controllerPort,
                                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                                "controller.listener.names=CONTROLLER",
                                "inter.broker.listener.name=PLAINTEXT",
                                "listener.security.protocol.map="
                                        + "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                                "log.dirs=" + dir.resolve("data")));
        SETTINGS.forEach((key, value) -> lines.add(key + "=" + value));
        lines.add("");
        return String.join("\n", lines);
    }

    private String log4jProperties() {
        Path file = log.getParent().resolve("kafka-server.log");
        return String.join(
                "\n",
                "appender.file.type=RollingFile",
                "appender.file.name=file",
                "appender.file.fileName=" + file,
                "appender.file.filePattern=" + file + ".%i",
                "appender.file.layout.type=PatternLayout",
                "appender.file.layout.pattern=%d{ISO8601} %-5p [%c{1}] %m%n",
                "appender.file.policies.type=Policies",
                "appender.file.policies.size.type=SizeBasedTriggeringPolicy",
                "appender.file.policies.size.size=20MB",
                "appender.file.strategy.type=DefaultRolloverStrategy",
                "appender.file.strategy.max=3",
                "rootLogger.level=INFO",
                "rootLogger.appenderRef.file.ref=file",
                "logger.kafka.name=kafka",
                "logger.kafka.level=INFO",
                "logger.apache.name=org.apache.kafka",
                "logger.apache.level=WARN",
                "");
    }
}
