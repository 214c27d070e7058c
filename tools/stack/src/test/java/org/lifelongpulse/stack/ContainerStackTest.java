package org.lifelongpulse.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.lifelongpulse.contracts.ClickHouseDialect;

/**
 * The containers are defined by the local processes' code: the broker gets the local broker's
 * settings, ClickHouse the users file the local server would get on a current release. Built
 * without a Docker engine: defining a container starts nothing.
 */
class ContainerStackTest {

    private static final ClickHouseAccounts ACCOUNTS =
            new ClickHouseAccounts(
                    new ClickHouseAccounts.Account("adm", "a-pass"),
                    new ClickHouseAccounts.Account("wri", "w-pass"),
                    new ClickHouseAccounts.Account("rea", "r-pass"));

    @Test
    void theBrokerContainerGetsEverySettingOfTheLocalBroker() {
        String local =
                new KafkaBroker(new StackLayout(Path.of("/tmp/unused")))
                        .serverProperties(9092, 9093);
        Map<String, String> env = new ContainerStack(ACCOUNTS).kafka().getEnvMap();

        // Written out by hand: the image maps KAFKA_A_B to a.b.
        assertThat(env)
                .containsEntry("KAFKA_NUM_PARTITIONS", "2")
                .containsEntry("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
                .containsEntry("KAFKA_TRANSACTION_MAX_TIMEOUT_MS", "3600000")
                .containsEntry("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR", "1");
        List<String> localSettings =
                Arrays.stream(local.split("\n"))
                        .filter(line -> !line.startsWith("#") && !line.isBlank())
                        .filter(
                                line ->
                                        !line.matches(
                                                "(process\\.roles|node\\.id|controller\\..*"
                                                    + "|listeners|advertised\\.listeners|inter\\.broker\\..*"
                                                    + "|listener\\.security\\..*|log\\.dirs)=.*"))
                        .toList();
        assertThat(localSettings).hasSize(13);
        for (String line : localSettings) {
            String key = line.substring(0, line.indexOf('='));
            String value = line.substring(line.indexOf('=') + 1);
            assertThat(env)
                    .as(key)
                    .containsEntry("KAFKA_" + key.toUpperCase().replace('.', '_'), value);
        }
    }

    @Test
    void theClickHouseContainerGetsTheLocalUsersFileForItsDialectAndOnlyTheAdmin() {
        assertThat(ContainerStack.clickHouseDialect()).isEqualTo(ClickHouseDialect.SQL_ACCOUNTS);
        String containers = ContainerStack.clickHouseUsers(ACCOUNTS);
        String local =
                ClickHouseServer.usersXml(
                        ACCOUNTS, ClickHouseDialect.SQL_ACCOUNTS, ClickHouseServer.LOOPBACK);

        assertThat(containers.replace("<ip>::/0</ip>", "<ip>127.0.0.1</ip><ip>::1</ip>"))
                .isEqualTo(local);
        assertThat(containers)
                .startsWith("<?xml version=\"1.0\"?>")
                .contains(
                        "<clickhouse>",
                        "<adm>",
                        "<access_management>1</access_management>",
                        "<password_sha256_hex>" + ACCOUNTS.admin().passwordSha256Hex())
                .doesNotContain("<wri>", "<rea>", "a-pass");
    }

    @Test
    void onAServerWithoutSqlUsersTheLocalFileHoldsAllThreeAccounts() {
        String legacy =
                ClickHouseServer.usersXml(
                        ACCOUNTS, ClickHouseDialect.USERS_XML, ClickHouseServer.LOOPBACK);

        assertThat(legacy)
                .contains("<yandex>", "<adm>", "<wri>", "<rea>")
                .doesNotContain("access_management");
        String reader = legacy.substring(legacy.indexOf("<rea>"), legacy.indexOf("</rea>"));
        assertThat(reader)
                .contains(
                        "<profile>readonly</profile>",
                        "<allow_databases><database>pulse</database></allow_databases>",
                        "<networks><ip>127.0.0.1</ip><ip>::1</ip></networks>")
                .as("the reader never sees the dead letters as received")
                .doesNotContain("pulse_restricted");
        String writer = legacy.substring(legacy.indexOf("<wri>"), legacy.indexOf("</wri>"));
        assertThat(writer)
                .contains(
                        "<allow_databases><database>pulse</database>"
                                + "<database>pulse_restricted</database></allow_databases>");
        String admin = legacy.substring(legacy.indexOf("<adm>"), legacy.indexOf("</adm>"));
        assertThat(admin).as("the admin reads every database").doesNotContain("allow_databases");
    }

    @Test
    void theImagesArePinned() {
        assertThat(ContainerStack.KAFKA_IMAGE).matches("apache/kafka:\\d+\\.\\d+\\.\\d+");
        assertThat(ContainerStack.CLICKHOUSE_IMAGE)
                .matches("clickhouse/clickhouse-server:25\\.8\\.\\d+\\.\\d+");
        assertThat(
                        Arrays.stream(ContainerStack.CLICKHOUSE_IMAGE.split(":"))
                                .collect(Collectors.toList()))
                .doesNotContain("latest");
    }
}
