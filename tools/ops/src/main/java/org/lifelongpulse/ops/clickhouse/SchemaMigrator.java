package org.lifelongpulse.ops.clickhouse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.lifelongpulse.adapters.clickhouse.ClickHouseAccount;
import org.lifelongpulse.adapters.clickhouse.ClickHouseException;
import org.lifelongpulse.contracts.ClickHouseDialect;

/**
 * Applies the versioned DDL of {@code schemas/clickhouse/} once each, recording what was applied in
 * {@code pulse.schema_migrations}, and sets up the pipeline's accounts where the server's {@link
 * ClickHouseDialect} has SQL user management (on older servers they live in users.xml).
 */
public final class SchemaMigrator {

    /** What {@link #apply()} did. */
    public record Report(
            String serverVersion, List<Migration> applied, int alreadyApplied, String accounts) {

        public boolean changedNothing() {
            return applied.isEmpty();
        }
    }

    private final ClickHouseHttp admin;
    private final ClickHouseAccount writer;
    private final ClickHouseAccount reader;
    private final List<Migration> migrations;
    private final Consumer<String> progress;

    public SchemaMigrator(
            ClickHouseHttp admin,
            ClickHouseAccount writer,
            ClickHouseAccount reader,
            List<Migration> migrations,
            Consumer<String> progress) {
        this.admin = admin;
        this.writer = writer;
        this.reader = reader;
        this.migrations = migrations;
        this.progress = progress;
    }

    /** A migrator for the migrations packaged with the pipeline. */
    public static SchemaMigrator forPackagedMigrations(
            String clickHouseUrl,
            ClickHouseAccount admin,
            ClickHouseAccount writer,
            ClickHouseAccount reader,
            Consumer<String> progress) {
        return new SchemaMigrator(
                new ClickHouseHttp(clickHouseUrl, admin.user(), admin.password()),
                writer,
                reader,
                Migration.packaged(),
                progress);
    }

    public Report apply() {
        String version = admin.serverVersion();
        Map<Integer, String> done = appliedChecksums();
        List<Migration> applied = new ArrayList<>();
        int already = 0;
        for (Migration migration : migrations) {
            String checksum = done.get(migration.version());
            if (checksum != null) {
                if (!checksum.equals(migration.checksum())) {
                    throw new IllegalStateException(
                            String.format(
                                    "migration V%03d (%s) was changed after it was applied. Applied"
                                        + " migrations are immutable: revert the edit and add a new"
                                        + " migration instead.",
                                    migration.version(), migration.name()));
                }
                already++;
                continue;
            }
            progress.accept(
                    String.format(
                            "applying V%03d %s (%d statements)",
                            migration.version(), migration.name(), migration.statements().size()));
            for (String statement : migration.statements()) {
                try {
                    admin.execute(statement);
                } catch (ClickHouseException e) {
                    throw new ClickHouseException(
                            String.format(
                                    "V%03d %s failed on statement%n" + "%s%n: %s",
                                    migration.version(),
                                    migration.name(),
                                    statement,
                                    e.getMessage()),
                            e.status());
                }
            }
            admin.execute(
                    String.format(
                            "INSERT INTO pulse.schema_migrations (version, name, checksum,"
                                    + " applied_at) VALUES (%d, '%s', '%s', now())",
                            migration.version(),
                            migration.name().replace("'", "\\'"),
                            migration.checksum()));
            applied.add(migration);
        }
        return new Report(version, applied, already, accounts(version));
    }

    /** Versions already applied, with the checksum they had then. */
    public Map<Integer, String> appliedChecksums() {
        Map<Integer, String> done = new HashMap<>();
        if (!"1".equals(admin.scalar("EXISTS TABLE pulse.schema_migrations"))) {
            return done;
        }
        for (List<String> row :
                admin.rows("SELECT version, checksum FROM pulse.schema_migrations")) {
            done.put(Integer.parseInt(row.get(0)), row.get(1));
        }
        return done;
    }

    private String accounts(String serverVersion) {
        ClickHouseDialect dialect = ClickHouseDialect.forServerVersion(serverVersion);
        if (!dialect.sqlManagedAccounts()) {
            return "accounts "
                    + writer.user()
                    + " and "
                    + reader.user()
                    + " come from users.xml on ClickHouse "
                    + serverVersion
                    + " (no SQL user management before 20.x)";
        }
        for (String statement : accountStatements(dialect, writer, reader)) {
            admin.execute(statement);
        }
        return "accounts "
                + writer.user()
                + " (insert) and "
                + reader.user()
                + " (read-only) ensured with CREATE USER IF NOT EXISTS";
    }

    /** The statements that set up the accounts on a server of the dialect; none for XML. */
    public static List<String> accountStatements(
            ClickHouseDialect dialect, ClickHouseAccount writer, ClickHouseAccount reader) {
        if (dialect.accountScript().isEmpty()) {
            return List.of();
        }
        Map<String, String> values =
                Map.of(
                        "PULSE_CH_WRITER_USER", writer.user(),
                        "PULSE_CH_WRITER_PASSWORD", writer.password(),
                        "PULSE_CH_READER_USER", reader.user(),
                        "PULSE_CH_READER_PASSWORD", reader.password());
        return Migration.split(
                Migration.substitute(Migration.resource(dialect.accountScript().get()), values));
    }
}
