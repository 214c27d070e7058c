package org.lifelongpulse.jobs;

import java.util.function.Function;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

/**
 * The two secrets every job needs, and nothing to fall back on: the key of the keyed hashes that
 * replace learner, payer and card ids, and the ClickHouse writer's password. A job started without
 * either refuses to start with one line naming the variable; the local stack, the demo and the
 * tests pass their development values explicitly.
 */
public final class JobSecrets {

    /** Environment variable holding the key of the id hashes. */
    public static final String ID_HASH_SECRET_ENV = "PULSE_ID_HASH_SECRET";

    /** Environment variable holding the ClickHouse writer's password. */
    public static final String WRITER_PASSWORD_ENV = "PULSE_CH_WRITER_PASSWORD";

    /** Shortest key accepted: a key this short or shorter is guessable. */
    public static final int MIN_SECRET_LENGTH = 16;

    /**
     * The key, for a job run inside the caller's own JVM (a MiniCluster of the command line or a
     * test), where there is no environment to set; never given on a command line. Flink hides
     * options named *secret* in its web UI.
     */
    public static final ConfigOption<String> ID_HASH_SECRET =
            ConfigOptions.key("pseudonyms.hash-secret")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Key of the keyed hashes of learner, payer and card ids; $"
                                    + ID_HASH_SECRET_ENV
                                    + " otherwise. Required.");

    /** The writer's password ({@code ClickHouseSinkOptions.PASSWORD} is this option). */
    public static final ConfigOption<String> WRITER_PASSWORD =
            ConfigOptions.key("clickhouse.password")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Writer password. Falls back to $"
                                    + WRITER_PASSWORD_ENV
                                    + "; prefer the environment over configuration files."
                                    + " Required.");

    /** A secret that is not there: its message is the one line a user sees. */
    public static final class MissingSecretException extends IllegalStateException {
        MissingSecretException(String message) {
            super(message);
        }
    }

    private JobSecrets() {}

    /** The key of the id hashes: the option, else {@value #ID_HASH_SECRET_ENV}. */
    public static String idHashSecret(ReadableConfig config) {
        return idHashSecret(config, System::getenv);
    }

    static String idHashSecret(ReadableConfig config, Function<String, String> env) {
        String secret = config.getOptional(ID_HASH_SECRET).orElse(env.apply(ID_HASH_SECRET_ENV));
        if (secret == null || secret.isBlank()) {
            throw new MissingSecretException(
                    ID_HASH_SECRET_ENV
                            + " is not set: the key of the hashes that replace learner, payer"
                            + " and card ids must come from a secret (at least "
                            + MIN_SECRET_LENGTH
                            + " characters); the job does not start without it");
        }
        if (secret.length() < MIN_SECRET_LENGTH) {
            throw new MissingSecretException(
                    ID_HASH_SECRET_ENV
                            + " is too short ("
                            + secret.length()
                            + " characters): use a random key of at least "
                            + MIN_SECRET_LENGTH);
        }
        return secret;
    }

    /** The writer's password: {@code clickhouse.password}, else {@value #WRITER_PASSWORD_ENV}. */
    public static String writerPassword(ReadableConfig config) {
        return writerPassword(config, System::getenv);
    }

    static String writerPassword(ReadableConfig config, Function<String, String> env) {
        String password =
                config.getOptional(WRITER_PASSWORD).orElse(env.apply(WRITER_PASSWORD_ENV));
        if (password == null || password.isBlank()) {
            throw new MissingSecretException(
                    WRITER_PASSWORD_ENV
                            + " is not set: the ClickHouse writer account's password must come"
                            + " from a secret; the job does not start without it");
        }
        return password;
    }

    /**
     * For a job's {@code main}: when a secret is missing, prints {@code job: the reason} on
     * standard error and exits with status 2, before anything is built or submitted.
     */
    public static void requireOrExit(String job, ReadableConfig config) {
        try {
            idHashSecret(config);
            writerPassword(config);
        } catch (MissingSecretException e) {
            System.err.println(job + ": " + e.getMessage());
            System.exit(2);
        }
    }
}
