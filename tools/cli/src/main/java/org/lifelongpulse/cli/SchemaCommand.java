package org.lifelongpulse.cli;

import java.util.concurrent.Callable;
import org.lifelongpulse.cli.schema.StackSchema;
import org.lifelongpulse.ops.clickhouse.Migration;
import org.lifelongpulse.ops.clickhouse.SchemaMigrator;
import org.lifelongpulse.stack.Endpoints;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ./pulse schema apply|status}. */
@Command(
        name = "schema",
        mixinStandardHelpOptions = true,
        description = "The ClickHouse schema: versioned migrations from schemas/clickhouse/.",
        subcommands = {SchemaCommand.Apply.class, SchemaCommand.Status.class})
final class SchemaCommand implements Runnable {

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static SchemaMigrator migrator(Endpoints endpoints) {
        return StackSchema.migrator(endpoints, Console::progress);
    }

    @Command(
            name = "apply",
            mixinStandardHelpOptions = true,
            description =
                    "Apply the migrations not yet applied (as the admin account); a second"
                            + " run changes nothing and says so.")
    static final class Apply implements Callable<Integer> {

        @Mixin StackEndpoints where;

        @Override
        public Integer call() {
            SchemaMigrator.Report report = migrator(where.resolve()).apply();
            if (report.changedNothing()) {
                Console.progress(
                        "schema is up to date: all "
                                + report.alreadyApplied()
                                + " migrations were already applied; nothing changed");
            } else {
                Console.progress(
                        "applied "
                                + report.applied().size()
                                + " migration(s)"
                                + (report.alreadyApplied() > 0
                                        ? ", " + report.alreadyApplied() + " were already applied"
                                        : "")
                                + " on ClickHouse "
                                + report.serverVersion());
            }
            Console.progress(report.accounts());
            return 0;
        }
    }

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description = "List the migrations and whether each is applied.")
    static final class Status implements Callable<Integer> {

        @Mixin StackEndpoints where;

        @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            var applied = migrator(where.resolve()).appliedChecksums();
            int pending = 0;
            for (Migration m : Migration.packaged()) {
                String state;
                if (!applied.containsKey(m.version())) {
                    state = "pending";
                    pending++;
                } else {
                    state =
                            applied.get(m.version()).equals(m.checksum())
                                    ? "applied"
                                    : "applied, but the file changed since";
                }
                spec.commandLine()
                        .getOut()
                        .printf("V%03d  %-40s %s%n", m.version(), m.name(), state);
            }
            return pending == 0 ? 0 : 1;
        }
    }
}
