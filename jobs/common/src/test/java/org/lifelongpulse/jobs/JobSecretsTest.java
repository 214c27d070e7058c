package org.lifelongpulse.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

class JobSecretsTest {

    private static final String KEY = "a-random-key-of-32-characters-ok";

    @Test
    void withoutTheHashKeyTheJobRefusesNamingTheVariable() {
        assertThatThrownBy(
                        () ->
                                JobSecrets.idHashSecret(
                                        new Configuration(), Map.<String, String>of()::get))
                .isInstanceOf(JobSecrets.MissingSecretException.class)
                .hasMessageStartingWith("PULSE_ID_HASH_SECRET is not set")
                .hasMessageNotContaining("\n");
        assertThatThrownBy(
                        () ->
                                JobSecrets.idHashSecret(
                                        new Configuration(),
                                        Map.of("PULSE_ID_HASH_SECRET", "  ")::get))
                .hasMessageStartingWith("PULSE_ID_HASH_SECRET is not set");
    }

    @Test
    void aShortKeyIsRefused() {
        assertThatThrownBy(
                        () ->
                                JobSecrets.idHashSecret(
                                        new Configuration(),
                                        Map.of("PULSE_ID_HASH_SECRET", "short")::get))
                .hasMessageContaining("too short (5 characters)");
    }

    @Test
    void theKeyComesFromTheOptionThenTheEnvironment() {
        Configuration config = new Configuration();
        assertThat(JobSecrets.idHashSecret(config, Map.of("PULSE_ID_HASH_SECRET", KEY)::get))
                .isEqualTo(KEY);
        config.set(JobSecrets.ID_HASH_SECRET, KEY + "-option");
        assertThat(JobSecrets.idHashSecret(config, Map.of("PULSE_ID_HASH_SECRET", KEY)::get))
                .isEqualTo(KEY + "-option");
    }

    @Test
    void withoutTheWriterPasswordTheJobRefusesNamingTheVariable() {
        assertThatThrownBy(
                        () ->
                                JobSecrets.writerPassword(
                                        new Configuration(), Map.<String, String>of()::get))
                .isInstanceOf(JobSecrets.MissingSecretException.class)
                .hasMessageStartingWith("PULSE_CH_WRITER_PASSWORD is not set");
        Configuration config = new Configuration();
        config.set(JobSecrets.WRITER_PASSWORD, "from-option");
        assertThat(
                        JobSecrets.writerPassword(
                                config, Map.of("PULSE_CH_WRITER_PASSWORD", "env")::get))
                .isEqualTo("from-option");
        assertThat(
                        JobSecrets.writerPassword(
                                new Configuration(),
                                Map.of("PULSE_CH_WRITER_PASSWORD", "env")::get))
                .isEqualTo("env");
    }
}
