package org.lifelongpulse.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Flink cluster's repairs with real JVMs: a killed TaskManager is replaced against the same
 * JobManager (the jobs live there), a TaskManager can be added, a killed JobManager brings the
 * whole cluster back on its ports, and {@code down} stops every process that was started.
 */
class LocalFlinkClusterITCase {

    private static final int SLOTS = 2;

    @TempDir Path workDir;

    @Test
    void upStartsOnlyWhatIsMissing() {
        List<String> progress = new ArrayList<>();
        LocalFlinkCluster cluster =
                new LocalFlinkCluster(
                        workDir,
                        line -> {
                            progress.add(line);
                            System.out.println("[flink-cluster] " + line);
                        });
        try {
            LocalFlinkCluster.Running first = cluster.up(SLOTS);
            assertThat(first.taskManagers()).hasSize(1);
            LocalFlinkCluster.Health health = cluster.health();
            assertThat(health.problems()).isEmpty();
            assertThat(health.registrations())
                    .extracting(LocalFlinkCluster.Registration::id)
                    .containsExactly(first.taskManagers().get(0).name());
            assertThat(health.slotsTotal()).isEqualTo(SLOTS);

            // The production configuration runs, endpoints and paths aside.
            assertThat(cluster.rest("/jobmanager/config"))
                    .contains("{\"key\":\"state.backend.type\",\"value\":\"rocksdb\"}")
                    .contains("{\"key\":\"restart-strategy.type\",\"value\":\"exponential-delay\"}")
                    .contains("{\"key\":\"execution.checkpointing.interval\",\"value\":\"30 s\"}");
            // Each process serves its Prometheus reporter on a port of its own.
            List<String> targets = cluster.metricsTargets();
            assertThat(targets).hasSize(2).doesNotHaveDuplicates();
            assertThat(get("http://" + targets.get(0) + "/metrics")).contains("flink_jobmanager_");
            assertThat(get("http://" + targets.get(1) + "/metrics")).contains("flink_taskmanager_");

            LocalFlinkCluster.Running same = cluster.up(SLOTS);
            assertThat(same).isEqualTo(first);

            ManagedProcess killed = cluster.killTaskManager();
            assertThat(killed).isEqualTo(first.taskManagers().get(0));
            assertThat(killed.isAlive()).isFalse();
            assertThat(cluster.health().problems())
                    .containsExactly(killed.name() + " (pid " + killed.pid() + ") is dead");
            assertThat(cluster.status())
                    .get()
                    .extracting(LocalFlinkCluster.Running::taskManagers)
                    .asList()
                    .isEmpty();

            progress.clear();
            LocalFlinkCluster.Running repaired = cluster.up(SLOTS);
            assertThat(repaired.jobManager()).isEqualTo(first.jobManager());
            assertThat(repaired.jobManager().isAlive()).isTrue();
            assertThat(repaired.restUrl()).isEqualTo(first.restUrl());
            assertThat(repaired.taskManagers())
                    .singleElement()
                    .satisfies(tm -> assertThat(tm.pid()).isNotEqualTo(killed.pid()));
            ManagedProcess replacement = repaired.taskManagers().get(0);
            assertThat(cluster.health().registrations())
                    .contains(new LocalFlinkCluster.Registration(replacement.name(), SLOTS, SLOTS));
            assertThat(cluster.health().problems()).isEmpty();
            assertThat(progress).noneMatch(line -> line.contains("JobManager (REST"));

            LocalFlinkCluster.Running scaled = cluster.up(SLOTS, 2);
            assertThat(scaled.jobManager()).isEqualTo(first.jobManager());
            assertThat(scaled.taskManagers()).hasSize(2).contains(replacement);
            LocalFlinkCluster.Health two = cluster.health();
            assertThat(two.problems()).isEmpty();
            for (LocalFlinkCluster.Member tm : two.taskManagers()) {
                assertThat(two.registration(tm))
                        .get()
                        .extracting(LocalFlinkCluster.Registration::slots)
                        .isEqualTo(SLOTS);
            }
            // Fewer asked for than run: nothing is stopped.
            assertThat(cluster.up(SLOTS, 1).taskManagers()).isEqualTo(scaled.taskManagers());
            // One of two dies: the default `up` brings the cluster back to two.
            ManagedProcess second = cluster.killTaskManager();
            assertThat(second).isEqualTo(replacement);
            LocalFlinkCluster.Running both = cluster.up(SLOTS);
            assertThat(both.jobManager()).isEqualTo(first.jobManager());
            assertThat(both.taskManagers())
                    .hasSize(2)
                    .doesNotContain(second)
                    .contains(scaled.taskManagers().get(1));

            ManagedProcess deadJobManager = cluster.killJobManager();
            assertThat(cluster.status()).isEmpty();
            assertThat(cluster.health().problems())
                    .first()
                    .asString()
                    .isEqualTo("the JobManager (pid " + deadJobManager.pid() + ") is dead");
            LocalFlinkCluster.Running restarted = cluster.up(SLOTS);
            assertThat(restarted.jobManager().pid()).isNotEqualTo(deadJobManager.pid());
            assertThat(restarted.restUrl())
                    .as("the recorded REST port, still free")
                    .isEqualTo(first.restUrl());
            assertThat(both.taskManagers()).noneMatch(ManagedProcess::isAlive);
            assertThat(restarted.taskManagers()).as("as many as were recorded").hasSize(2);
            assertThat(cluster.health().problems()).isEmpty();

            List<ManagedProcess> stopped = cluster.down();
            assertThat(stopped)
                    .containsExactlyInAnyOrder(
                            restarted.jobManager(),
                            restarted.taskManagers().get(0),
                            restarted.taskManagers().get(1));
            assertThat(stopped).noneMatch(ManagedProcess::isAlive);
            assertThat(cluster.status()).isEmpty();
            assertThat(cluster.health().problems())
                    .containsExactly("no Flink cluster was started here");
        } finally {
            cluster.down();
        }
        assertThat(
                        ProcessHandle.allProcesses()
                                .filter(
                                        p ->
                                                p.info()
                                                        .commandLine()
                                                        .map(c -> c.contains(workDir.toString()))
                                                        .orElse(false)))
                .isEmpty();
    }

    private static String get(String url) {
        try {
            return java.net.http.HttpClient.newHttpClient()
                    .send(
                            java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (java.io.IOException | InterruptedException e) {
            throw new AssertionError("GET " + url + " failed", e);
        }
    }
}
