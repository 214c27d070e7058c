package org.lifelongpulse.cli.drill;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lifelongpulse.generator.WorldParameters;
import org.lifelongpulse.ops.clickhouse.ClickHouseHttp;
import org.lifelongpulse.stack.ClickHouseAccounts;
import org.lifelongpulse.stack.LocalFlinkCluster;
import org.lifelongpulse.stack.LocalSecrets;
import org.lifelongpulse.stack.LocalStack;

/**
 * Live exactness, the way production runs: both jobs unbounded on the real multi-process cluster,
 * fed at a steady rate by a world that starts with the training market alone (weeks of transactions
 * before the first learning activity) and whose end arrives live, with quiet stretches on every
 * partition longer than the old 30 s idleness timeout. While the fast part is sent, a TaskManager
 * is killed (and replaced by {@code cluster up} while the jobs keep running), the broker is
 * restarted, and ClickHouse is down longer than a flush interval. After the end of traffic — with
 * no drain — every table must equal the generator's truth, the last minutes included, and no
 * operator may have dropped anything as late; after a drain, again. Own stack and cluster under
 * {@code target/live-drill}, so nothing else shares them.
 */
class LiveExactnessITCase {

    @Test
    void bothJobsLiveOnTheClusterEqualTheTruthWithoutADrainThroughFaults() throws Exception {
        Path dir = Path.of("target", "live-drill").toAbsolutePath();
        LocalStack stack =
                new LocalStack(
                        dir,
                        ClickHouseAccounts.fromEnvironment(),
                        line -> System.out.println("[live-drill] " + line));
        LocalFlinkCluster cluster =
                new LocalFlinkCluster(
                        dir.resolve("flink"), line -> System.out.println("[live-drill] " + line));
        cluster.down();
        stack.down(true); // and deletes the directory
        long started = System.nanoTime();
        try {
            WorldParameters world =
                    WorldParameters.defaults(12).withLearners(2_000, 16_000).withInstitutions(40);
            Drill.Report report =
                    new Drill(stack, cluster, line -> System.out.println("[live-drill] " + line))
                            .run(
                                    new Drill.Options(
                                            List.of(
                                                    Drill.Fault.TASKMANAGER,
                                                    Drill.Fault.KAFKA,
                                                    Drill.Fault.CLICKHOUSE),
                                            3,
                                            Duration.ofSeconds(10),
                                            // a fast part of ~110 s: room for the three
                                            // faults and their recoveries (~65 s in all)
                                            420,
                                            Duration.ofSeconds(45),
                                            world,
                                            Duration.ofMinutes(6)));

            assertThat(report.injections()).as("all three faults hit the fast part").hasSize(3);
            // recovered from the kill means: every subtask of both jobs was redeployed on the
            // TaskManager that replaced the killed one (see Drill#inject)
            assertThat(report.injections().get(0).what()).startsWith("TaskManager killed");
            assertThat(report.dropped())
                    .as("events any operator dropped as late")
                    .allSatisfy((job, n) -> assertThat(n).as(job).isZero());
            assertThat(report.exactAfterSeconds())
                    .as(
                            "equal to the truth without a drain; before it: %s",
                            report.beforeDrain().stream().filter(v -> !v.exact()).toList())
                    .isGreaterThanOrEqualTo(0);
            assertThat(report.afterDrain())
                    .allSatisfy(
                            v ->
                                    assertThat(v.exact())
                                            .as("%s after the drain: %s", v.what(), v)
                                            .isTrue());
            assertThat(report.afterDrain())
                    .filteredOn(
                            v ->
                                    v.what()
                                            .equals(
                                                    "risk_alerts (rule, institution, first,"
                                                            + " severity)"))
                    .singleElement()
                    .satisfies(v -> assertThat(v.expected()).isGreaterThan(20));

            // The comparison can fail: against a truth without one of its participation rows,
            // the row the job wrote is one too many.
            var endpoints = stack.status().orElseThrow().endpoints();
            var admin = endpoints.accounts().admin();
            var reconciliation =
                    new Reconciliation(
                            new ClickHouseHttp(
                                    endpoints.clickHouseUrl(), admin.user(), admin.password()),
                            endpoints.kafkaBootstrap(),
                            LocalSecrets.idHashSecret());
            ObjectNode fewer = report.truth().deepCopy();
            ((ArrayNode) fewer.path("participation").path("rows")).remove(0);
            Reconciliation.Verdict minutes = reconciliation.participation(fewer).get(0);
            assertThat(minutes.extra()).as("the row left out of the truth").isEqualTo(1);
            assertThat(minutes.missing()).isZero();
        } finally {
            System.out.printf("[live-drill] ran %.0f s%n", (System.nanoTime() - started) / 1e9);
            cluster.down();
            stack.down(false);
        }
    }
}
