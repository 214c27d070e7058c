package org.lifelongpulse.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stack's lifecycle: up, up again, status, down, and nothing left behind; and a repair that
 * restarts only the server that died.
 */
class LocalStackITCase {

    @TempDir Path workDir;

    @Test
    void upStartsRealServersAndDownLeavesNoProcessBehind() throws IOException {
        List<String> progress = new ArrayList<>();
        LocalStack stack =
                new LocalStack(workDir, ClickHouseAccounts.fromEnvironment(), progress::add);
        try {
            LocalStack.UpResult first = stack.up();
            assertThat(first.alreadyRunning()).isFalse();
            Endpoints endpoints = first.stack().endpoints();
            assertThat(KafkaBroker.answers(endpoints.kafkaBootstrap())).isTrue();
            assertThat(ClickHouseServer.answers(endpoints.clickHouseUrl())).isTrue();
            System.out.printf(
                    "stack start-up: %d ms; RSS kafka %d MiB, clickhouse %d MiB%n",
                    first.startup().toMillis(),
                    rssMiB(first.stack().kafka().pid()),
                    rssMiB(first.stack().clickHouse().pid()));

            LocalStack.UpResult second = stack.up();
            assertThat(second.alreadyRunning()).isTrue();
            assertThat(second.stack().kafka()).isEqualTo(first.stack().kafka());
            assertThat(second.stack().clickHouse()).isEqualTo(first.stack().clickHouse());

            List<ManagedProcess> stopped = stack.down(false);
            assertThat(stopped)
                    .extracting(ManagedProcess::name)
                    .containsExactlyInAnyOrder("kafka", "clickhouse");
            assertThat(stack.status()).isEmpty();
            assertThat(ProcessHandle.of(first.stack().kafka().pid()).filter(ProcessHandle::isAlive))
                    .isEmpty();
            assertThat(
                            ProcessHandle.of(first.stack().clickHouse().pid())
                                    .filter(ProcessHandle::isAlive))
                    .isEmpty();
            assertThat(processesMentioning(workDir.toString())).isEmpty();
            assertThat(stack.down(false)).isEmpty();
        } finally {
            stack.down(true);
        }
    }

    @Test
    void upAfterDownKeepsTheData() {
        LocalStack stack =
                new LocalStack(workDir, ClickHouseAccounts.fromEnvironment(), line -> {});
        try {
            String bootstrap = stack.up().stack().endpoints().kafkaBootstrap();
            stack.down(false);
            LocalStack.UpResult again = stack.up();
            assertThat(again.alreadyRunning()).isFalse();
            assertThat(again.stack().endpoints().kafkaBootstrap()).isEqualTo(bootstrap);
            assertThat(KafkaBroker.answers(bootstrap)).isTrue();
        } finally {
            stack.down(true);
        }
        assertThat(workDir).doesNotExist();
    }

    @Test
    void upAfterAServerDiedRestartsOnlyThatOne() {
        LocalStack stack =
                new LocalStack(workDir, ClickHouseAccounts.fromEnvironment(), line -> {});
        try {
            LocalStack.Running first = stack.up().stack();
            String bootstrap = first.endpoints().kafkaBootstrap();

            ManagedProcess killed = stack.killKafka();
            assertThat(killed).isEqualTo(first.kafka());
            assertThat(killed.isAlive()).isFalse();
            assertThat(stack.status()).isEmpty();
            LocalStack.Health health = stack.health();
            assertThat(health.healthy()).isFalse();
            assertThat(health.server("kafka").alive()).isFalse();
            assertThat(health.server("clickhouse").answers()).isTrue();
            assertThat(health.problems())
                    .containsExactly("Kafka (pid " + killed.pid() + ") is down");

            LocalStack.UpResult repaired = stack.up();
            assertThat(repaired.alreadyRunning()).isFalse();
            assertThat(repaired.started()).containsExactly("kafka");
            assertThat(repaired.stack().clickHouse()).isEqualTo(first.clickHouse());
            assertThat(repaired.stack().kafka().pid()).isNotEqualTo(killed.pid());
            assertThat(repaired.stack().endpoints().kafkaBootstrap()).isEqualTo(bootstrap);
            assertThat(KafkaBroker.answers(bootstrap)).isTrue();
            assertThat(stack.health().healthy()).isTrue();

            // And the other way round: a ClickHouse crash leaves the new broker alone.
            stack.killClickHouse();
            assertThat(stack.health().problems())
                    .singleElement()
                    .asString()
                    .startsWith("ClickHouse (pid " + first.clickHouse().pid() + ") is down");
            LocalStack.UpResult again = stack.up();
            assertThat(again.started()).containsExactly("clickhouse");
            assertThat(again.stack().kafka()).isEqualTo(repaired.stack().kafka());
            assertThat(ClickHouseServer.answers(again.stack().endpoints().clickHouseUrl()))
                    .isTrue();

            assertThat(stack.down(false))
                    .extracting(ManagedProcess::pid)
                    .containsExactlyInAnyOrder(
                            again.stack().kafka().pid(), again.stack().clickHouse().pid());
        } finally {
            stack.down(true);
        }
        assertThat(processesMentioning(workDir.toString())).isEmpty();
    }

    private static List<ProcessHandle> processesMentioning(String text) {
        return ProcessHandle.allProcesses()
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().map(c -> c.contains(text)).orElse(false))
                .toList();
    }

    private static long rssMiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return -1;
    }
}
