package org.lifelongpulse.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.avro.Schema;
import org.lifelongpulse.cli.schema.SchemaFiles;
import org.lifelongpulse.cli.schema.StackSchema;
import org.lifelongpulse.contracts.Topic;
import org.lifelongpulse.contracts.WriterSchemas;
import org.lifelongpulse.ops.clickhouse.Migration;
import org.lifelongpulse.ops.clickhouse.SchemaMigrator;
import org.lifelongpulse.ops.kafka.ContractProducer;
import org.lifelongpulse.stack.Endpoints;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ./pulse schema apply|status|register}. */
@Command(
        name = "schema",
        mixinStandardHelpOptions = true,
        description = {
            "The ClickHouse schema (apply, status: versioned migrations from schemas/clickhouse/)",
            "and the Avro writer schemas of producers (register: the schema topic"
                    + " pulse.schemas.v1)."
        },
        subcommands = {
            SchemaCommand.Apply.class,
            SchemaCommand.Status.class,
            SchemaCommand.Register.class
        })
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

    @Command(
            name = "register",
            mixinStandardHelpOptions = true,
            description = {
                "Register a producer's Avro writer schema on the schema topic pulse.schemas.v1.",
                "",
                "Every message carries its writer schema's fingerprint. A producer that writes"
                        + " with",
                "a newer version of a contract (an added optional field, an added enum symbol)",
                "registers that version here BEFORE sending: the jobs look unknown fingerprints up",
                "on this topic, read added fields as absent and unknown symbols as UNKNOWN."
                        + " Without",
                "the registration, its messages are dead-lettered as \"unknown writer schema",
                "fingerprint\". ./pulse produce and the generator register their schemas",
                "themselves.",
                "",
                "FILE is one .avsc file: a record named like one of the contracts (e.g.",
                "org.lifelongpulse.avro.LearningActivity); it may define its own enums or use the",
                "contracts' by name. It is refused when the current contract cannot read what it",
                "writes (a removed or renamed field without a default, a changed type).",
                "",
                "Prints the full name, the fingerprint (as dead letters show it) and the topic.",
                "Exit codes: 0 registered; 1 the file is not a schema the contracts can read (the",
                "reason names the file); 3 Kafka refused or could not be reached."
            })
    static final class Register implements Callable<Integer> {

        @Mixin StackEndpoints where;

        @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

        @picocli.CommandLine.Parameters(
                index = "0",
                paramLabel = "FILE.avsc",
                description = "The writer schema, as Avro JSON.")
        Path file;

        @picocli.CommandLine.Option(
                names = "--prefix",
                paramLabel = "PREFIX",
                defaultValue = "",
                description =
                        "Topic prefix of the deployment (its kafka.topic-prefix, e.g. staging.);"
                                + " empty by default.")
        String prefix;

        @Override
        public Integer call() throws Exception {
            Schema writer;
            try {
                writer = SchemaFiles.writerSchema(file);
            } catch (IllegalArgumentException e) {
                Console.error(e.getMessage());
                return 1;
            }
            String topic = Topic.SCHEMAS.topicName(prefix);
            try (ContractProducer producer =
                    new ContractProducer(where.resolve().kafkaBootstrap())) {
                producer.register(topic, writer).get();
            } catch (ExecutionException e) {
                throw new IllegalStateException(
                        "Kafka refused the schema: " + e.getCause().getMessage(), e.getCause());
            }
            spec.commandLine()
                    .getOut()
                    .printf(
                            "registered %s %s on %s%n",
                            writer.getFullName(), WriterSchemas.fingerprint(writer), topic);
            return 0;
        }
    }
}
