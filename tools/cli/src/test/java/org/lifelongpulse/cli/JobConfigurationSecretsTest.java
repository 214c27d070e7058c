package org.lifelongpulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.lifelongpulse.jobs.JobSecrets;
import org.lifelongpulse.stack.ClickHouseAccounts;
import org.lifelongpulse.stack.Endpoints;
import org.lifelongpulse.stack.LocalSecrets;

/**
 * Every job the command line runs in its own JVM (run, demo, the benchmarks) gets the hash key
 * explicitly in its configuration: the jobs have no fallback, and the test JVMs' environment
 * carries the key, so only the configuration shows that the command line itself passes it.
 */
class JobConfigurationSecretsTest {

    private static final Endpoints LOCAL =
            new Endpoints(
                    "127.0.0.1:9092",
                    "http://127.0.0.1:8123",
                    ClickHouseAccounts.fromEnvironment());

    @Test
    void runAndDemoPassTheLocalKeyAndTheWriterPassword() {
        var config =
                JobLauncher.configuration(LOCAL, true, 1, Duration.ofSeconds(5), Path.of("cp"));
        assertThat(config.getOptional(JobSecrets.ID_HASH_SECRET))
                .contains(LocalSecrets.idHashSecret());
        assertThat(config.getOptional(JobSecrets.WRITER_PASSWORD))
                .contains(LOCAL.accounts().writer().password());
    }

    @Test
    void theBenchmarksPassTheLocalKeyAndTheWriterPassword() {
        var config = BenchCommand.stack(LOCAL, null);
        assertThat(config.getOptional(JobSecrets.ID_HASH_SECRET))
                .contains(LocalSecrets.idHashSecret());
        assertThat(config.getOptional(JobSecrets.WRITER_PASSWORD))
                .contains(LOCAL.accounts().writer().password());
    }
}
