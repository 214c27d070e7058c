package org.lifelongpulse.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stack's lifecycle: up, up again, status, down, and nothing left behind. */
class LocalStackITCase {

    @TempDir
    Path workDir;

    @Test
    void upStartsRealServersAndDownLeavesNoProcessBehind() throws IOException {
        List<String> progress = new ArrayList<>();
        LocalStack stack = new LocalStack(workDir, ClickHouseAccounts.fromEnvironment(),
                progress::add);
        try {
            LocalStack.UpResult first = stack.up();
            assertThat(first.alreadyRunning()).isFalse();
            Endpoints endpoints = first.stack().endpoints();
            assertThat(KafkaBroker.answers(endpoints.kafkaBootstrap())).isTrue();
            assertThat(ClickHouseServer.answers(endpoints.clickHouseUrl())).isTrue();
            System.out.printf("stack start-up: %d ms; RSS kafka %d MiB, clickhouse %d MiB%n",
                    first.startup().toMillis(),
                    rssMiB(first.stack().kafka().pid()), rssMiB(first.stack().clickHouse().pid()));

            LocalStack.UpResult second = stack.up();
            assertThat(second.alreadyRunning()).isTrue();
            assertThat(second.stack().kafka()).isEqualTo(first.stack().kafka());
            assertThat(second.stack().clickHouse()).isEqualTo(first.stack().clickHouse());

            List<ManagedProcess> stopped = stack.down(false);
            assertThat(stopped).extracting(ManagedProcess::name)
                    .containsExactlyInAnyOrder("kafka", "clickhouse");
            assertThat(stack.status()).isEmpty();
            assertThat(ProcessHandle.of(first.stack().kafka().pid())
                    .filter(ProcessHandle::isAlive)).isEmpty();
            assertThat(ProcessHandle.of(first.stack().clickHouse().pid())
                    .filter(ProcessHandle::isAlive)).isEmpty();
            assertThat(processesMentioning(workDir.toString())).isEmpty();
            assertThat(stack.down(false)).isEmpty();
        } finally {
            stack.down(true);
        }
    }

    @Test
    void upAfterDownKeepsTheData() {
        LocalStack stack = new LocalStack(workDir, ClickHouseAccounts.fromEnvironment(),
                line -> {});
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
