package org.lifelongpulse.stack.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.lifelongpulse.stack.StackException;

/**
 * Which servers the integration tests run against, and why: external endpoints when {@code
 * PULSE_KAFKA_BOOTSTRAP} and {@code PULSE_CLICKHOUSE_URL} are set, else containers when a Docker
 * engine answers, else local processes. {@code -Dpulse.stack=local|containers|external} forces one;
 * a forced backend that cannot run is an error, never a silent fallback.
 *
 * @param backend the servers chosen
 * @param reason why, in a few words
 */
record StackChoice(Backend backend, String reason) {

    /** The system property that forces a backend. */
    static final String PROPERTY = "pulse.stack";

    static final String KAFKA_ENV = "PULSE_KAFKA_BOOTSTRAP";
    static final String CLICKHOUSE_ENV = "PULSE_CLICKHOUSE_URL";

    /** The servers the tests can run against. */
    enum Backend {
        /** Kafka and ClickHouse as local processes: {@link org.lifelongpulse.stack.LocalStack}. */
        LOCAL,
        /** Kafka and ClickHouse in containers: {@link org.lifelongpulse.stack.ContainerStack}. */
        CONTAINERS,
        /** Servers run elsewhere, named by {@code PULSE_KAFKA_BOOTSTRAP} and the URL. */
        EXTERNAL
    }

    /**
     * Chooses the backend.
     *
     * @param forced the value of {@code -Dpulse.stack}, or null
     * @param env the environment
     * @param docker asks for a Docker engine; called only when the choice depends on it
     */
    static StackChoice choose(
            String forced, Map<String, String> env, Supplier<DockerEngine.Answer> docker) {
        List<String> unset = new ArrayList<>();
        for (String name : List.of(KAFKA_ENV, CLICKHOUSE_ENV)) {
            if (env.get(name) == null || env.get(name).isBlank()) {
                unset.add(name);
            }
        }
        String external =
                unset.isEmpty() ? KAFKA_ENV + " and " + CLICKHOUSE_ENV + " are set" : null;
        if (forced != null && !forced.isBlank()) {
            String by = "-D" + PROPERTY + "=" + forced.strip();
            switch (forced.strip().toLowerCase(Locale.ROOT)) {
                case "local":
                    return new StackChoice(Backend.LOCAL, "forced by " + by);
                case "external":
                    if (external == null) {
                        throw new StackException(
                                by
                                        + " needs "
                                        + KAFKA_ENV
                                        + " and "
                                        + CLICKHOUSE_ENV
                                        + "; unset: "
                                        + String.join(", ", unset));
                    }
                    return new StackChoice(Backend.EXTERNAL, "forced by " + by + "; " + external);
                case "containers":
                    DockerEngine.Answer answer = docker.get();
                    if (!answer.answers()) {
                        throw new StackException(
                                by
                                        + " needs a Docker engine, and none answers ("
                                        + answer.detail()
                                        + "). Start Docker, point DOCKER_HOST at an"
                                        + " engine, or choose -D"
                                        + PROPERTY
                                        + "=local.");
                    }
                    return new StackChoice(
                            Backend.CONTAINERS,
                            "forced by " + by + "; Docker engine at " + answer.engine());
                default:
                    throw new StackException(
                            by + " is not a backend; choose local, containers" + " or external");
            }
        }
        if (external != null) {
            return new StackChoice(Backend.EXTERNAL, external);
        }
        DockerEngine.Answer answer = docker.get();
        if (answer.answers()) {
            return new StackChoice(
                    Backend.CONTAINERS, "a Docker engine answers at " + answer.engine());
        }
        String partial =
                unset.size() == 1
                        ? "; only one of " + KAFKA_ENV + " and " + CLICKHOUSE_ENV + " is set"
                        : "";
        return new StackChoice(
                Backend.LOCAL, "no Docker engine answers (" + answer.detail() + ")" + partial);
    }

    /** The line printed at the start of the run. */
    String line() {
        return "[pulse-stack] backend: "
                + backend.name().toLowerCase(Locale.ROOT)
                + " ("
                + reason
                + "); -D"
                + PROPERTY
                + "=local|containers|external forces one";
    }
}
