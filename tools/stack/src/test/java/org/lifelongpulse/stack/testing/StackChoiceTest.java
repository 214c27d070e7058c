package org.lifelongpulse.stack.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.lifelongpulse.stack.StackException;
import org.lifelongpulse.stack.testing.StackChoice.Backend;

/** How the extension picks its backend, with the Docker engine's answer given by hand. */
class StackChoiceTest {

    private static final Map<String, String> NO_ENDPOINTS = Map.of("HOME", "/home/someone");
    private static final Map<String, String> ENDPOINTS =
            Map.of(
                    "PULSE_KAFKA_BOOTSTRAP", "kafka.example:9092",
                    "PULSE_CLICKHOUSE_URL", "https://clickhouse.example:8443");
    private static final DockerEngine.Answer NO_ENGINE =
            new DockerEngine.Answer(
                    false,
                    "unix:///var/run/docker.sock",
                    "unix:///var/run/docker.sock: no such socket");
    private static final DockerEngine.Answer ENGINE =
            new DockerEngine.Answer(true, "unix:///var/run/docker.sock", "");

    @Test
    void withoutAnEngineTheLocalProcessesRunAndTheLineSaysWhy() {
        StackChoice choice = StackChoice.choose(null, NO_ENDPOINTS, () -> NO_ENGINE);

        assertThat(choice.backend()).isEqualTo(Backend.LOCAL);
        assertThat(choice.line())
                .startsWith(
                        "[pulse-stack] backend: local (no Docker engine"
                                + " answers (unix:///var/run/docker.sock: no such socket))");
    }

    @Test
    void theRealProbeFindsNoEngineWhereNoneExistsAndTheLocalProcessesRun() {
        Map<String, String> env = Map.of("DOCKER_HOST", "unix:///nonexistent/docker.sock");
        long started = System.nanoTime();

        StackChoice choice = StackChoice.choose(null, env, () -> DockerEngine.probe(env));

        assertThat(choice.backend()).isEqualTo(Backend.LOCAL);
        assertThat(choice.reason()).contains("unix:///nonexistent/docker.sock: no such socket");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void anAnsweringEngineGivesContainers() {
        StackChoice choice = StackChoice.choose(null, NO_ENDPOINTS, () -> ENGINE);

        assertThat(choice.backend()).isEqualTo(Backend.CONTAINERS);
        assertThat(choice.reason())
                .isEqualTo("a Docker engine answers at unix:///var/run/docker.sock");
    }

    @Test
    void endpointsInTheEnvironmentWinWithoutAskingForAnEngine() {
        AtomicInteger asked = new AtomicInteger();
        Supplier<DockerEngine.Answer> docker =
                () -> {
                    asked.incrementAndGet();
                    return ENGINE;
                };

        StackChoice choice = StackChoice.choose(null, ENDPOINTS, docker);

        assertThat(choice.backend()).isEqualTo(Backend.EXTERNAL);
        assertThat(choice.reason())
                .isEqualTo("PULSE_KAFKA_BOOTSTRAP and PULSE_CLICKHOUSE_URL are set");
        assertThat(asked).hasValue(0);
    }

    @Test
    void oneEndpointAloneIsNotExternalAndTheLineSaysSo() {
        StackChoice choice =
                StackChoice.choose(
                        null,
                        Map.of("PULSE_KAFKA_BOOTSTRAP", "kafka.example:9092"),
                        () -> NO_ENGINE);

        assertThat(choice.backend()).isEqualTo(Backend.LOCAL);
        assertThat(choice.reason())
                .endsWith("only one of PULSE_KAFKA_BOOTSTRAP and PULSE_CLICKHOUSE_URL is set");
    }

    @Test
    void forcedContainersWithoutAnEngineIsOneErrorNamingTheMissingEngine() {
        assertThatThrownBy(() -> StackChoice.choose("containers", NO_ENDPOINTS, () -> NO_ENGINE))
                .isInstanceOf(StackException.class)
                .hasMessage(
                        "-Dpulse.stack=containers needs a Docker engine, and none answers"
                            + " (unix:///var/run/docker.sock: no such socket). Start Docker, point"
                            + " DOCKER_HOST at an engine, or choose -Dpulse.stack=local.");
    }

    @Test
    void forcedContainersWithAnEngineWinsOverEndpoints() {
        StackChoice choice = StackChoice.choose("containers", ENDPOINTS, () -> ENGINE);

        assertThat(choice.backend()).isEqualTo(Backend.CONTAINERS);
        assertThat(choice.reason()).startsWith("forced by -Dpulse.stack=containers");
    }

    @Test
    void forcedExternalWithoutTheEnvironmentNamesWhatIsUnset() {
        assertThatThrownBy(
                        () ->
                                StackChoice.choose(
                                        "external",
                                        Map.of("PULSE_CLICKHOUSE_URL", "http://ch:8123"),
                                        () -> ENGINE))
                .isInstanceOf(StackException.class)
                .hasMessage(
                        "-Dpulse.stack=external needs PULSE_KAFKA_BOOTSTRAP and"
                                + " PULSE_CLICKHOUSE_URL; unset: PULSE_KAFKA_BOOTSTRAP");
        assertThatThrownBy(() -> StackChoice.choose("external", NO_ENDPOINTS, () -> ENGINE))
                .hasMessageEndingWith("unset: PULSE_KAFKA_BOOTSTRAP, PULSE_CLICKHOUSE_URL");
    }

    @Test
    void forcedExternalWithTheEnvironmentIsExternal() {
        assertThat(StackChoice.choose("external", ENDPOINTS, () -> NO_ENGINE).backend())
                .isEqualTo(Backend.EXTERNAL);
    }

    @Test
    void forcedLocalNeverAsksForAnEngineAndIgnoresEndpoints() {
        StackChoice choice =
                StackChoice.choose(
                        " LOCAL ",
                        ENDPOINTS,
                        () -> {
                            throw new AssertionError("asked for an engine");
                        });

        assertThat(choice.backend()).isEqualTo(Backend.LOCAL);
        assertThat(choice.reason()).isEqualTo("forced by -Dpulse.stack=LOCAL");
    }

    @Test
    void anUnknownBackendIsAnError() {
        assertThatThrownBy(() -> StackChoice.choose("docker", NO_ENDPOINTS, () -> ENGINE))
                .isInstanceOf(StackException.class)
                .hasMessage(
                        "-Dpulse.stack=docker is not a backend; choose local, containers"
                                + " or external");
    }

    @Test
    void theEnginesAskedAreDockerHostElseTheUsualSockets() {
        assertThat(
                        DockerEngine.candidates(
                                Map.of(
                                        "DOCKER_HOST",
                                        "tcp://10.0.0.5:2375",
                                        "HOME",
                                        "/home/someone")))
                .containsExactly("tcp://10.0.0.5:2375");
        assertThat(
                        DockerEngine.candidates(
                                Map.of(
                                        "HOME",
                                        "/home/someone",
                                        "XDG_RUNTIME_DIR",
                                        "/run/user/1000")))
                .isEqualTo(
                        List.of(
                                "unix:///var/run/docker.sock",
                                "unix:///home/someone/.docker/run/docker.sock",
                                "unix:///home/someone/.docker/desktop/docker.sock",
                                "unix:///run/user/1000/docker.sock"));
    }
}
