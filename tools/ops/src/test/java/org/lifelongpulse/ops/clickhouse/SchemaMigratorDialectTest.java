package org.lifelongpulse.ops.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.lifelongpulse.adapters.clickhouse.ClickHouseAccount;
import org.lifelongpulse.contracts.ClickHouseDialect;

/**
 * The account and schema steps as a server of each dialect receives them: the local stack's
 * ClickHouse 18.16 and the containers' current LTS get the same statements from the same migrator,
 * except the account statements only a current release takes. A fake HTTP interface answers the
 * migrator's two questions and records every statement it is sent.
 */
class SchemaMigratorDialectTest {

    private static final ClickHouseAccount ADMIN = new ClickHouseAccount("pulse_admin", "a");
    private static final ClickHouseAccount WRITER = new ClickHouseAccount("w_user", "w-pass");
    private static final ClickHouseAccount READER = new ClickHouseAccount("r_user", "r'pass");

    @Test
    void aCurrentServerGetsTheLocalStatementsPlusTheAccountScript() throws IOException {
        List<String> local = statementsSentTo("18.16.1");
        List<String> containers = statementsSentTo("25.8.33.6");

        assertThat(local).first().isEqualTo("SELECT version()");
        assertThat(local)
                .anyMatch(s -> s.contains("CREATE DATABASE"))
                .noneMatch(s -> s.contains("USER") || s.contains("GRANT"));
        assertThat(containers.subList(0, local.size())).isEqualTo(local);
        // Written out by hand from schemas/clickhouse/users/current-releases.sql.
        assertThat(containers.subList(local.size(), containers.size()))
                .map(SchemaMigratorDialectTest::withoutComments)
                .containsExactly(
                        "CREATE SETTINGS PROFILE IF NOT EXISTS pulse_readonly SETTINGS"
                                + " readonly = 2 READONLY",
                        "CREATE USER IF NOT EXISTS `w_user` IDENTIFIED WITH sha256_password"
                                + " BY 'w-pass'",
                        "ALTER USER `w_user` IDENTIFIED WITH sha256_password BY 'w-pass'",
                        "GRANT INSERT, SELECT ON pulse.* TO `w_user`",
                        "GRANT INSERT ON pulse_restricted.* TO `w_user`",
                        "CREATE USER IF NOT EXISTS `r_user` IDENTIFIED WITH sha256_password"
                                + " BY 'r\\'pass' SETTINGS PROFILE 'pulse_readonly'",
                        "ALTER USER `r_user` IDENTIFIED WITH sha256_password BY 'r\\'pass'"
                                + " SETTINGS PROFILE 'pulse_readonly'",
                        "GRANT SELECT ON pulse.* TO `r_user`");
    }

    @Test
    void theAccountStatementsAreWhatTheMigratorSends() throws IOException {
        List<String> local = statementsSentTo("18.16.1");
        List<String> containers = statementsSentTo("25.8.33.6");

        assertThat(SchemaMigrator.accountStatements(ClickHouseDialect.USERS_XML, WRITER, READER))
                .isEmpty();
        assertThat(SchemaMigrator.accountStatements(ClickHouseDialect.SQL_ACCOUNTS, WRITER, READER))
                .isEqualTo(containers.subList(local.size(), containers.size()));
    }

    /** Every statement a fresh server of the version receives from the packaged migrator. */
    private static List<String> statementsSentTo(String version) throws IOException {
        List<String> received = new ArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(
                "/",
                exchange -> {
                    String sql =
                            new String(
                                    exchange.getRequestBody().readAllBytes(),
                                    StandardCharsets.UTF_8);
                    synchronized (received) {
                        received.add(sql);
                    }
                    String answer =
                            sql.equals("SELECT version()")
                                    ? version + "\n"
                                    : sql.startsWith("EXISTS TABLE") ? "0\n" : "";
                    byte[] body = answer.getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort();
            SchemaMigrator.Report report =
                    SchemaMigrator.forPackagedMigrations(url, ADMIN, WRITER, READER, line -> {})
                            .apply();
            assertThat(report.serverVersion()).isEqualTo(version);
            assertThat(report.applied()).isNotEmpty();
        } finally {
            server.stop(0);
        }
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    private static String withoutComments(String statement) {
        return Arrays.stream(statement.split("\n"))
                .filter(line -> !line.strip().startsWith("--") && !line.isBlank())
                .collect(Collectors.joining("\n"))
                .strip();
    }
}
