package org.lifelongpulse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lifelongpulse.adapters.clickhouse.ClickHouseException;
import org.lifelongpulse.ops.clickhouse.ClickHouseHttp;
import org.lifelongpulse.ops.clickhouse.Migration;
import org.lifelongpulse.ops.clickhouse.SchemaMigrator;
import org.lifelongpulse.stack.ClickHouseAccounts;
import org.lifelongpulse.stack.Endpoints;
import org.lifelongpulse.stack.testing.LocalStackExtension;

/** `schema apply` on an empty ClickHouse, twice: tables and accounts exist, then no change. */
@ExtendWith(LocalStackExtension.class)
class SchemaApplyITCase {

    private static final Path DDL = Path.of("../../schemas/clickhouse");
    private static final Pattern CREATE_TABLE =
            Pattern.compile("CREATE TABLE IF NOT EXISTS pulse\\.(\\w+)", Pattern.CASE_INSENSITIVE);

    @Test
    void applyTwiceCreatesTablesAndAccountsThenChangesNothing(Endpoints endpoints)
            throws IOException {
        ClickHouseHttp admin = http(endpoints, endpoints.accounts().admin());
        admin.execute("DROP DATABASE IF EXISTS pulse");
        Set<String> expectedTables = tablesNamedIn(DDL);
        int migrations = migrationFiles(DDL).size();
        assertThat(expectedTables)
                .contains(
                        "participation_minute", "risk_alerts", "dead_letters", "schema_migrations");

        CliRun first = CliRun.of(CliRun.onTestStack("schema", "apply"));
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.err()).contains("applied " + migrations + " migration(s)");
        assertThat(tables(admin)).isEqualTo(expectedTables);
        Map<String, String> ddlAfterFirst = createStatements(admin, expectedTables);
        assertThat(admin.scalar("SELECT count() FROM pulse.schema_migrations"))
                .isEqualTo(Integer.toString(migrations));

        CliRun second = CliRun.of(CliRun.onTestStack("schema", "apply"));
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(second.err())
                .contains(
                        "all " + migrations + " migrations were already applied; nothing changed");
        assertThat(createStatements(admin, expectedTables)).isEqualTo(ddlAfterFirst);
        assertThat(admin.scalar("SELECT count() FROM pulse.schema_migrations"))
                .isEqualTo(Integer.toString(migrations));

        CliRun status = CliRun.of(CliRun.onTestStack("schema", "status"));
        assertThat(status.exitCode()).isZero();
        assertThat(status.outLines()).hasSize(migrations).allMatch(l -> l.endsWith("applied"));
    }

    @Test
    void theReaderOnlyReadsAndTheWriterOnlyWritesThePulseDatabase(Endpoints endpoints) {
        assertThat(CliRun.of(CliRun.onTestStack("schema", "apply")).exitCode()).isZero();
        ClickHouseAccounts accounts = endpoints.accounts();
        ClickHouseHttp reader = http(endpoints, accounts.reader());
        ClickHouseHttp writer = http(endpoints, accounts.writer());

        writer.execute(
                "INSERT INTO pulse.dead_letters (source_topic, source_partition, source_offset,"
                        + " stage, reason) VALUES ('it.accounts', 0, 1, 'test', 'probe')");
        assertThat(
                        reader.scalar(
                                "SELECT count() FROM pulse.dead_letters"
                                        + " WHERE source_topic = 'it.accounts'"))
                .isEqualTo("1");

        assertThatThrownBy(
                        () ->
                                reader.execute(
                                        "INSERT INTO pulse.dead_letters (source_topic,"
                                                + " source_partition, source_offset, stage, reason)"
                                                + " VALUES ('it.accounts', 0, 2, 'test', 'probe')"))
                .isInstanceOf(ClickHouseException.class)
                .hasMessageContaining("readonly");
        assertThatThrownBy(() -> reader.execute("DROP TABLE pulse.dead_letters"))
                .isInstanceOf(ClickHouseException.class);
        assertThatThrownBy(
                        () ->
                                writer.execute(
                                        "CREATE TABLE default.intruder (a UInt8)"
                                                + " ENGINE = Memory"))
                .isInstanceOf(ClickHouseException.class);
        assertThatThrownBy(
                        () ->
                                new ClickHouseHttp(
                                                endpoints.clickHouseUrl(),
                                                accounts.reader().user(),
                                                "wrong-password")
                                        .scalar("SELECT 1"))
                .isInstanceOf(ClickHouseException.class)
                .hasMessageContaining("password");
    }

    @Test
    void aMigrationEditedAfterItWasAppliedIsRefused(Endpoints endpoints) {
        assertThat(CliRun.of(CliRun.onTestStack("schema", "apply")).exitCode()).isZero();
        List<Migration> edited = new ArrayList<>(Migration.packaged());
        Migration first = edited.get(0);
        edited.set(0, new Migration(first.version(), first.name(), first.sql() + "\n-- edit\n"));
        ClickHouseAccounts accounts = endpoints.accounts();
        SchemaMigrator migrator =
                new SchemaMigrator(
                        http(endpoints, accounts.admin()),
                        StackEndpoints.account(accounts.writer()),
                        StackEndpoints.account(accounts.reader()),
                        edited,
                        line -> {});
        assertThatThrownBy(migrator::apply)
                .hasMessageContaining("was changed after it was applied");
    }

    private static ClickHouseHttp http(Endpoints endpoints, ClickHouseAccounts.Account account) {
        return new ClickHouseHttp(endpoints.clickHouseUrl(), account.user(), account.password());
    }

    private static Set<String> tables(ClickHouseHttp admin) {
        Set<String> names = new TreeSet<>();
        admin.rows("SELECT name FROM system.tables WHERE database = 'pulse'")
                .forEach(r -> names.add(r.get(0)));
        return names;
    }

    private static Map<String, String> createStatements(ClickHouseHttp admin, Set<String> names) {
        Map<String, String> ddl = new HashMap<>();
        names.forEach(n -> ddl.put(n, admin.scalar("SHOW CREATE TABLE pulse." + n)));
        return ddl;
    }

    private static List<Path> migrationFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches("V\\d+__.+\\.sql"))
                    .toList();
        }
    }

    /** Independently of the migrator: the table names the DDL files create. */
    private static Set<String> tablesNamedIn(Path dir) throws IOException {
        Set<String> names = new TreeSet<>();
        for (Path file : migrationFiles(dir)) {
            Matcher m = CREATE_TABLE.matcher(Files.readString(file));
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }
}
