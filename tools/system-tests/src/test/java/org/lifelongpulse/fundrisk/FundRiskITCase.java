package org.lifelongpulse.fundrisk;

import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lifelongpulse.stack.Endpoints;
import org.lifelongpulse.stack.testing.LocalStackExtension;
import org.lifelongpulse.testutils.Flink;

/**
 * End to end: the default world's 300 institutions (every scripted risk scenario and its near
 * misses, with duplicates, out-of-order and malformed messages) through the fund-risk job on a
 * MiniCluster (parallelism 2) into real Kafka and ClickHouse: alerts (one row per expected episode,
 * with its status), ledgers and the alerts topic equal the generator's truth; and no raw learner,
 * payer or card id is readable by the read-only account, dead letters included.
 */
@ExtendWith(LocalStackExtension.class)
class FundRiskITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = Flink.miniCluster(null);

    @Test
    void alertsAndLedgersEqualTheGroundTruth(Endpoints endpoints) throws Exception {
        FundRiskRun run = FundRiskRun.prepare(endpoints, 6);

        run.runJob("fund-risk end to end", ledger -> ledger);

        run.assertAlertsEqualTruth();
        run.assertEpisodesEqualTruth();
        run.assertLedgersEqualTruth();
        run.assertFaultsAccountedFor();
        run.assertAlertTopicHoldsEachVersionOnce();
        run.assertNoRawIdReadable();
    }
}
