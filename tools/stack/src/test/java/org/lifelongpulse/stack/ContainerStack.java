package org.lifelongpulse.stack;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lifelongpulse.contracts.ClickHouseDialect;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.utility.DockerImageName;

/**
 * A Kafka broker (KRaft) and a current ClickHouse LTS in containers, for integration tests on a
 * machine with a Docker engine. They are defined by the same code as the local processes: the
 * broker gets {@link KafkaBroker#SETTINGS} and ClickHouse the users file of {@link
 * ClickHouseServer#usersXml} for its dialect, which on a current release holds only the
 * administrator; the writer and reader are then created by the schema migrator's {@code CREATE
 * USER} and {@code GRANT}, as in production.
 *
 * <p>A plain {@link GenericContainer} rather than Testcontainers' ClickHouse module: that module
 * defines its own account through the image's environment and waits over JDBC; here the accounts
 * come from the project and readiness is the HTTP {@code /ping} the local stack uses.
 */
public final class ContainerStack implements AutoCloseable {

    /** Kafka 4.2.0, the version of the local broker and of the jobs' client. */
    public static final String KAFKA_IMAGE = "apache/kafka:4.2.0";

    /** ClickHouse 25.8, the current long-term-support release, pinned to a patch release. */
    public static final String CLICKHOUSE_IMAGE = "clickhouse/clickhouse-server:25.8.33.6";

    static final int CLICKHOUSE_HTTP_PORT = 8123;

    /** Where the image's server reads additional users from. */
    static final String USERS_FILE = "/etc/clickhouse-server/users.d/pulse-accounts.xml";

    /** Connections reach the container from the Docker network, not from its loopback. */
    static final List<String> ANY_NETWORK = List.of("::/0");

    private final ClickHouseAccounts accounts;
    private final KafkaContainer kafka;
    private final GenericContainer<?> clickHouse;

    /** Defines both containers; {@link #start()} starts them. */
    public ContainerStack(ClickHouseAccounts accounts) {
        this.accounts = accounts;
        this.kafka =
                new KafkaContainer(DockerImageName.parse(KAFKA_IMAGE)).withEnv(kafkaEnvironment());
        this.clickHouse =
                new GenericContainer<>(DockerImageName.parse(CLICKHOUSE_IMAGE))
                        .withExposedPorts(CLICKHOUSE_HTTP_PORT)
                        .withCopyToContainer(Transferable.of(clickHouseUsers(accounts)), USERS_FILE)
                        .waitingFor(
                                Wait.forHttp("/ping")
                                        .forPort(CLICKHOUSE_HTTP_PORT)
                                        .forStatusCode(200)
                                        .withStartupTimeout(Duration.ofMinutes(2)));
    }

    /** The dialect of the pinned ClickHouse image, from its tag. */
    static ClickHouseDialect clickHouseDialect() {
        return ClickHouseDialect.forServerVersion(
                DockerImageName.parse(CLICKHOUSE_IMAGE).getVersionPart());
    }

    /** The users file copied into the ClickHouse container. */
    static String clickHouseUsers(ClickHouseAccounts accounts) {
        return ClickHouseServer.usersXml(accounts, clickHouseDialect(), ANY_NETWORK);
    }

    /**
     * {@link KafkaBroker#SETTINGS} as the apache/kafka image reads them: {@code KAFKA_} and the key
     * in upper case, with {@code .} as {@code _}, {@code _} as {@code __}, {@code -} as {@code
     * ___}.
     */
    static Map<String, String> kafkaEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        KafkaBroker.SETTINGS.forEach(
                (key, value) ->
                        env.put(
                                "KAFKA_"
                                        + key.replace("_", "__")
                                                .replace("-", "___")
                                                .replace('.', '_')
                                                .toUpperCase(java.util.Locale.ROOT),
                                value));
        return env;
    }

    KafkaContainer kafka() {
        return kafka;
    }

    GenericContainer<?> clickHouse() {
        return clickHouse;
    }

    /**
     * Starts both containers and checks that the server's reported version has the dialect its
     * users file was written for. Returns where they are reached.
     */
    public Endpoints start() {
        Startables.deepStart(kafka, clickHouse).join();
        String url =
                "http://"
                        + clickHouse.getHost()
                        + ":"
                        + clickHouse.getMappedPort(CLICKHOUSE_HTTP_PORT);
        String version = ClickHouseServer.version(url, accounts.admin());
        if (ClickHouseDialect.forServerVersion(version) != clickHouseDialect()) {
            throw new StackException(
                    CLICKHOUSE_IMAGE
                            + " reports version "
                            + version
                            + ", whose dialect is not the tag's "
                            + clickHouseDialect());
        }
        return new Endpoints(kafka.getBootstrapServers(), url, accounts);
    }

    /** The images the containers run and the version ClickHouse reports, for the run's log. */
    public String versions(Endpoints endpoints) {
        return KAFKA_IMAGE
                + ", "
                + CLICKHOUSE_IMAGE
                + " (reports "
                + ClickHouseServer.version(endpoints.clickHouseUrl(), accounts.admin())
                + ")";
    }

    @Override
    public void close() {
        clickHouse.stop();
        kafka.stop();
    }
}
