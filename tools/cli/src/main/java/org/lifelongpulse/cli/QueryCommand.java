package org.lifelongpulse.cli;

import java.util.concurrent.Callable;
import org.lifelongpulse.stack.ClickHouseAccounts;
import org.lifelongpulse.stack.Endpoints;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./pulse query "SQL"}. */
@Command(
        name = "query",
        mixinStandardHelpOptions = true,
        description = "Run SQL on ClickHouse and print the result as TSV with a header row.")
final class QueryCommand implements Callable<Integer> {

    enum Role {
        reader,
        writer,
        admin
    }

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Mixin StackEndpoints where;

    @Parameters(
            paramLabel = "SQL",
            description =
                    "The query, e.g. \"SELECT count() FROM" + " pulse.learning_events FINAL\".")
    String sql;

    @Option(
            names = "--as",
            paramLabel = "ROLE",
            defaultValue = "reader",
            description =
                    "Account to use: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE},"
                            + " read-only).")
    Role role;

    @Override
    public Integer call() {
        Endpoints endpoints = where.resolve();
        ClickHouseAccounts accounts = endpoints.accounts();
        ClickHouseAccounts.Account account =
                switch (role) {
                    case reader -> accounts.reader();
                    case writer -> accounts.writer();
                    case admin -> accounts.admin();
                };
        spec.commandLine()
                .getOut()
                .print(
                        StackEndpoints.clickHouse(endpoints, account)
                                .query(sql, "TabSeparatedWithNames"));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
