package org.lifelongpulse.cli.schema;

import java.util.function.Consumer;
import org.lifelongpulse.adapters.clickhouse.ClickHouseAccount;
import org.lifelongpulse.ops.clickhouse.SchemaMigrator;
import org.lifelongpulse.stack.ClickHouseAccounts;
import org.lifelongpulse.stack.Endpoints;

/**
 * The schema step for a stack's endpoints, as {@code ./pulse schema apply} runs it: the packaged
 * migrations as the admin account, the writer and reader accounts granted. The drill and the system
 * tests use this same step.
 */
public final class StackSchema {

    private StackSchema() {}

    /** The migrator for the stack at {@code endpoints}, reporting to {@code progress}. */
    public static SchemaMigrator migrator(Endpoints endpoints, Consumer<String> progress) {
        ClickHouseAccounts accounts = endpoints.accounts();
        return SchemaMigrator.forPackagedMigrations(
                endpoints.clickHouseUrl(),
                account(accounts.admin()),
                account(accounts.writer()),
                account(accounts.reader()),
                progress);
    }

    /** A stack account as the ClickHouse adapters take it. */
    public static ClickHouseAccount account(ClickHouseAccounts.Account account) {
        return new ClickHouseAccount(account.user(), account.password());
    }
}
