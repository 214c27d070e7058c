package org.lifelongpulse.cli;

import java.nio.file.Path;
import org.lifelongpulse.adapters.clickhouse.ClickHouseAccount;
import org.lifelongpulse.cli.schema.StackSchema;
import org.lifelongpulse.ops.clickhouse.ClickHouseHttp;
import org.lifelongpulse.stack.ClickHouseAccounts;
import org.lifelongpulse.stack.Endpoints;
import org.lifelongpulse.stack.LocalStack;
import picocli.CommandLine.Option;

/**
 * Options shared by the commands that talk to Kafka and ClickHouse: which stack to use. External
 * endpoints from the environment win; otherwise the local stack under the work directory.
 */
final class StackEndpoints {

    @Option(
            names = "--work-dir",
            paramLabel = "DIR",
            description =
                    "Local stack work directory (default: $PULSE_WORK_DIR, or .pulse"
                            + " in the project).")
    Path workDir;

    Path workDir() {
        if (workDir != null) {
            return workDir;
        }
        String env = System.getenv("PULSE_WORK_DIR");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String home = System.getenv("PULSE_HOME");
        return Path.of(home == null || home.isBlank() ? "." : home, ".pulse");
    }

    LocalStack localStack() {
        return new LocalStack(workDir(), ClickHouseAccounts.fromEnvironment(), Console::progress);
    }

    /** The endpoints to use, or a clear error when there is no stack. */
    Endpoints resolve() {
        Endpoints external = Endpoints.fromEnvironment();
        if (external != null) {
            return external;
        }
        return localStack()
                .status()
                .map(LocalStack.Running::endpoints)
                .orElseThrow(
                        () ->
                                new IllegalStateException(
                                        "no stack is running under "
                                                + workDir()
                                                + ". Start one with `./pulse stack up"
                                                + (workDir == null ? "" : " --work-dir " + workDir)
                                                + "`, or point PULSE_KAFKA_BOOTSTRAP and"
                                                + " PULSE_CLICKHOUSE_URL at an existing Kafka and"
                                                + " ClickHouse."));
    }

    static ClickHouseAccount account(ClickHouseAccounts.Account account) {
        return StackSchema.account(account);
    }

    static ClickHouseHttp clickHouse(Endpoints endpoints, ClickHouseAccounts.Account account) {
        return new ClickHouseHttp(endpoints.clickHouseUrl(), account.user(), account.password());
    }
}
