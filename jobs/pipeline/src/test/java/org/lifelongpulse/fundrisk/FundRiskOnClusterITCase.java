package org.lifelongpulse.fundrisk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lifelongpulse.stack.Endpoints;
import org.lifelongpulse.stack.LocalFlinkCluster;
import org.lifelongpulse.stack.testing.LocalStackExtension;
import org.lifelongpulse.testutils.Await;
import org.lifelongpulse.testutils.Flink;

/**
 * The fund-risk job's shaded jar on a real multi-process Flink cluster, submitted with `flink
 * run` as an operator would, bounded: its alerts and ledgers equal the ground truth.
 */
@ExtendWith(LocalStackExtension.class)
class FundRiskOnClusterITCase {

    @Test
    void onAClusterTheAlertsAndLedgersEqualTheGroundTruth(Endpoints endpoints) throws Exception {
        FundRiskRun run = FundRiskRun.prepare(endpoints, 8);
        var writer = endpoints.accounts().writer();
        List<String> args = List.of(
                "--kafka.bootstrap", endpoints.kafkaBootstrap(),
                "--kafka.bounded", "true",
                "--kafka.topic-prefix", run.world.prefix(),
                "--clickhouse.url", endpoints.clickHouseUrl(),
                "--clickhouse.user", writer.user(),
                "--clickhouse.password", writer.password(),
                "--clickhouse.sink.flush-interval", "500ms");
        LocalFlinkCluster cluster = new LocalFlinkCluster(Path.of("target", "flink-cluster-fund"),
                line -> System.out.println("[flink-cluster] " + line));
        try {
            cluster.up(4);
            String job = cluster.submit(Flink.jobJar(), FundRiskJob.class.getName(), null, args);
            Await.until("the bounded job finished", Duration.ofMinutes(5),
                    () -> List.of("FINISHED", "FAILED", "CANCELED")
                            .contains(cluster.jobStatus(job)));
            assertThat(cluster.jobStatus(job)).isEqualTo("FINISHED");
        } finally {
            cluster.down();
        }
        run.assertAlertsEqualTruth();
        run.assertLedgersEqualTruth();
    }

}
