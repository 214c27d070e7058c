package org.lifelongpulse.stack.testing;

import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.lifelongpulse.stack.ClickHouseAccounts;
import org.lifelongpulse.stack.ContainerStack;
import org.lifelongpulse.stack.Endpoints;
import org.lifelongpulse.stack.LocalStack;

/**
 * Gives integration tests a real Kafka broker and a real ClickHouse server, one stack per test JVM,
 * from the backend {@link StackChoice} picks and names in one line at the start: the endpoints in
 * {@code PULSE_KAFKA_BOOTSTRAP} and {@code PULSE_CLICKHOUSE_URL} when both are set; otherwise a
 * {@link ContainerStack} (Kafka and a current ClickHouse LTS) when a Docker engine answers;
 * otherwise a {@link LocalStack} (the same code as {@code ./pulse stack up}) under {@code
 * target/pulse-stack}. {@code -Dpulse.stack=local|containers|external} forces one. What the
 * extension started is stopped when the JVM's tests are done.
 *
 * <p>Test methods and constructors may declare an {@link Endpoints} parameter, and a {@link
 * LocalStack} parameter for drills that stop and start a server (tests that need one are skipped on
 * the other backends).
 */
public final class LocalStackExtension implements BeforeAllCallback, ParameterResolver {

    private static final String KEY = LocalStackExtension.class.getName();

    @Override
    public void beforeAll(ExtensionContext context) {
        endpoints(context);
    }

    /** The stack's endpoints, starting it on first use. */
    public static Endpoints endpoints(ExtensionContext context) {
        return shared(context).endpoints();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == Endpoints.class || type == LocalStack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        if (parameter.getParameter().getType() == LocalStack.class) {
            SharedStack shared = shared(context);
            org.junit.jupiter.api.Assumptions.assumeTrue(
                    shared.stack() != null,
                    "needs the local stack, not "
                            + shared.choice().backend().name().toLowerCase(Locale.ROOT));
            return shared.stack();
        }
        return endpoints(context);
    }

    private static SharedStack shared(ExtensionContext context) {
        return context.getRoot()
                .getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(KEY, key -> SharedStack.start(), SharedStack.class);
    }

    /** The per-JVM stack; closed by JUnit when the root context closes. */
    record SharedStack(
            StackChoice choice, Endpoints endpoints, LocalStack stack, AutoCloseable containers)
            implements AutoCloseable {

        static SharedStack start() {
            StackChoice choice =
                    StackChoice.choose(
                            System.getProperty(StackChoice.PROPERTY),
                            System.getenv(),
                            () -> DockerEngine.probe(System.getenv()));
            System.out.println(choice.line());
            return switch (choice.backend()) {
                case EXTERNAL -> new SharedStack(choice, Endpoints.fromEnvironment(), null, null);
                case CONTAINERS -> startContainers(choice);
                case LOCAL -> startLocal(choice);
            };
        }

        private static SharedStack startLocal(StackChoice choice) {
            LocalStack stack =
                    new LocalStack(
                            Path.of("target", "pulse-stack"),
                            ClickHouseAccounts.fromEnvironment(),
                            line -> System.out.println("[pulse-stack] " + line));
            stack.down(true); // a leftover from an aborted run would hold stale data
            LocalStack.UpResult up = stack.up();
            System.out.println("[pulse-stack] up in " + up.startup().toMillis() + " ms");
            return new SharedStack(choice, up.stack().endpoints(), stack, null);
        }

        private static SharedStack startContainers(StackChoice choice) {
            long started = System.nanoTime();
            ContainerStack containers = new ContainerStack(ClickHouseAccounts.fromEnvironment());
            try {
                Endpoints endpoints = containers.start();
                System.out.println(
                        "[pulse-stack] containers up in "
                                + (System.nanoTime() - started) / 1_000_000
                                + " ms: "
                                + containers.versions(endpoints));
                return new SharedStack(choice, endpoints, null, containers);
            } catch (RuntimeException e) {
                containers.close();
                throw e;
            }
        }

        @Override
        public void close() throws Exception {
            if (stack != null) {
                stack.down(false);
            }
            if (containers != null) {
                containers.close();
            }
        }
    }
}
