package org.lifelongpulse.stack.testing;

import java.nio.file.Path;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.lifelongpulse.stack.ClickHouseAccounts;
import org.lifelongpulse.stack.Endpoints;
import org.lifelongpulse.stack.LocalStack;

/**
 * Gives integration tests a real Kafka broker and a real ClickHouse server: the endpoints in
 * {@code PULSE_KAFKA_BOOTSTRAP} and {@code PULSE_CLICKHOUSE_URL} when both are set, otherwise one
 * {@link LocalStack} per test JVM (the same code as {@code ./pulse stack up}), started on first
 * use under {@code target/pulse-stack} and stopped when the JVM's tests are done.
 *
 * <p>Test methods and constructors may declare an {@link Endpoints} parameter, and a {@link
 * LocalStack} parameter for drills that stop and start a server (tests that need one are skipped
 * against external endpoints).
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
            org.junit.jupiter.api.Assumptions.assumeTrue(shared.stack() != null,
                    "needs the local stack, not external endpoints");
            return shared.stack();
        }
        return endpoints(context);
    }

    private static SharedStack shared(ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(KEY, key -> SharedStack.start(), SharedStack.class);
    }

    /** The per-JVM stack; closed by JUnit when the root context closes. */
    record SharedStack(Endpoints endpoints, LocalStack stack) implements AutoCloseable {

        static SharedStack start() {
            Endpoints external = Endpoints.fromEnvironment();
            if (external != null) {
                return new SharedStack(external, null);
            }
            LocalStack stack = new LocalStack(Path.of("target", "pulse-stack"),
                    ClickHouseAccounts.fromEnvironment(),
                    line -> System.out.println("[pulse-stack] " + line));
            stack.down(true); // a leftover from an aborted run would hold stale data
            LocalStack.UpResult up = stack.up();
            System.out.println("[pulse-stack] up in " + up.startup().toMillis() + " ms");
            return new SharedStack(up.stack().endpoints(), stack);
        }

        @Override
        public void close() {
            if (stack != null) {
                stack.down(false);
            }
        }
    }
}
