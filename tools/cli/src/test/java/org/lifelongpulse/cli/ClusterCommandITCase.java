package org.lifelongpulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lifelongpulse.stack.LocalFlinkCluster;
import org.lifelongpulse.stack.ManagedProcess;

/**
 * {@code cluster status} and {@code stack status} as an operator reads them: which process is down,
 * a failing exit code while it is, and {@code cluster up} replacing only that process.
 */
class ClusterCommandITCase {

    @TempDir Path workDir;

    @Test
    void statusNamesTheDeadTaskManagerAndUpReplacesOnlyIt() {
        String dir = workDir.toString();
        try {
            CliRun up = CliRun.of("cluster", "up", "--slots", "1", "--work-dir", dir);
            assertThat(up.exitCode()).as(up.err()).isZero();
            CliRun healthy = CliRun.of("cluster", "status", "--work-dir", dir);
            assertThat(healthy.exitCode()).as(healthy.out()).isZero();
            assertThat(healthy.out())
                    .startsWith("flink cluster: up  http://127.0.0.1:")
                    .containsPattern("taskmanager-1 +pid \\d+ +alive, registered, 1 of 1 slots")
                    .contains("registered TaskManagers: 1, slots free 1 of 1")
                    .containsPattern(
                            "Prometheus targets \\(/metrics\\): 127\\.0\\.0\\.1:\\d+,"
                                    + " 127\\.0\\.0\\.1:\\d+");

            // A Prometheus of its own scrapes both JVMs' reporters: read health.
            CliRun prometheus =
                    CliRun.of(
                            "cluster",
                            "prometheus",
                            "--duration",
                            "12",
                            "--scrape-interval",
                            "2",
                            "--work-dir",
                            dir);
            assertThat(prometheus.exitCode()).as(prometheus.err()).isZero();
            assertThat(prometheus.out())
                    .startsWith("http://127.0.0.1:")
                    .contains("targets up: 2 of 2");

            ManagedProcess killed =
                    new LocalFlinkCluster(workDir.resolve("flink"), line -> {}).killTaskManager();
            CliRun degraded = CliRun.of("cluster", "status", "--work-dir", dir);
            assertThat(degraded.exitCode()).as(degraded.out()).isEqualTo(1);
            assertThat(degraded.out())
                    .startsWith("flink cluster: degraded")
                    .containsPattern("jobmanager +pid \\d+ +alive, REST answers")
                    .containsPattern("taskmanager-1 +pid " + killed.pid() + " +DEAD")
                    .contains("down: taskmanager-1 (pid " + killed.pid() + ") is dead");

            CliRun repaired = CliRun.of("cluster", "up", "--work-dir", dir);
            assertThat(repaired.exitCode()).as(repaired.err()).isZero();
            assertThat(repaired.err())
                    .contains("starting Flink taskmanager-2")
                    .doesNotContain("starting the Flink JobManager");
            CliRun after = CliRun.of("cluster", "status", "--work-dir", dir);
            assertThat(after.exitCode()).as(after.out()).isZero();
            assertThat(after.out())
                    .containsPattern("taskmanager-2 +pid \\d+ +alive, registered")
                    .doesNotContainPattern("taskmanager-1 +pid");
        } finally {
            CliRun.of("cluster", "down", "--work-dir", dir);
        }
        assertThat(CliRun.of("cluster", "status", "--work-dir", dir).exitCode()).isEqualTo(1);
        assertThat(
                        ProcessHandle.allProcesses()
                                .filter(
                                        p ->
                                                p.info()
                                                        .commandLine()
                                                        .map(c -> c.contains(dir))
                                                        .orElse(false)))
                .isEmpty();
    }

    @Test
    void statusFailsAndSaysSoWhenNothingWasStarted() {
        String dir = workDir.toString();
        CliRun cluster = CliRun.of("cluster", "status", "--work-dir", dir);
        assertThat(cluster.exitCode()).isEqualTo(1);
        assertThat(cluster.out()).startsWith("flink cluster: not started");
        CliRun stack = CliRun.of("stack", "status", "--work-dir", dir);
        assertThat(stack.exitCode()).isEqualTo(1);
        assertThat(stack.outLines()).first().asString().startsWith("stack: down (");
        assertThat(stack.out())
                .containsPattern("kafka +not started")
                .containsPattern("clickhouse +not started");
    }
}
