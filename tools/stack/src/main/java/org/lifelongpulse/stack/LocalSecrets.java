package org.lifelongpulse.stack;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The secrets the local stack gives the jobs it runs, explicitly: the jobs themselves have no
 * fallback ({@code org.lifelongpulse.jobs.JobSecrets}). Each is the environment's value when set,
 * else a development value marked {@code dev-only-}, never fit for real data.
 */
public final class LocalSecrets {

    /**
     * Environment variable of the id-hash key (the jobs' {@code JobSecrets.ID_HASH_SECRET_ENV}).
     */
    public static final String ID_HASH_SECRET_ENV = "PULSE_ID_HASH_SECRET";

    /** Environment variable of the writer's password. */
    public static final String WRITER_PASSWORD_ENV = "PULSE_CH_WRITER_PASSWORD";

    /** The development key of the id hashes. */
    public static final String DEVELOPMENT_ID_HASH_SECRET =
            ClickHouseAccounts.DEV_PASSWORD_PREFIX + "id-hash-secret-change-me";

    private LocalSecrets() {}

    /** The id-hash key of local runs: $PULSE_ID_HASH_SECRET, else the development key. */
    public static String idHashSecret() {
        String secret = System.getenv(ID_HASH_SECRET_ENV);
        return secret == null || secret.isBlank() ? DEVELOPMENT_ID_HASH_SECRET : secret;
    }

    /** Both secrets as the environment of a job's client ({@code flink run}). */
    public static Map<String, String> jobEnvironment(ClickHouseAccounts accounts) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(ID_HASH_SECRET_ENV, idHashSecret());
        env.put(WRITER_PASSWORD_ENV, accounts.writer().password());
        return env;
    }
}
