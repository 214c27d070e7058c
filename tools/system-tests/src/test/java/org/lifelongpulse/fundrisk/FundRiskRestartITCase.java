package org.lifelongpulse.fundrisk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lifelongpulse.fundrisk.records.LedgerRow;
import org.lifelongpulse.stack.Endpoints;
import org.lifelongpulse.stack.testing.LocalStackExtension;
import org.lifelongpulse.testutils.Flink;

/**
 * A failure injected mid-stream, after a completed checkpoint: the job restarts from the checkpoint
 * and still produces exactly the truth's alert episodes, one row per alert id in ClickHouse (FINAL)
 * and every alert version once on the topic (read committed).
 */
@ExtendWith(LocalStackExtension.class)
class FundRiskRestartITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = Flink.miniCluster(null);

    static final AtomicInteger INJECTED_FAILURES = new AtomicInteger();

    @Test
    void aRestartFromACheckpointChangesNoAlert(Endpoints endpoints) throws Exception {
        FundRiskRun run = FundRiskRun.prepare(endpoints, 8);
        INJECTED_FAILURES.set(0);

        run.runJob(
                "fund-risk restart",
                ledger ->
                        ledger.map(new FailOnceAfterACheckpoint())
                                .uid("fail-once")
                                .name("fail once"));

        assertThat(INJECTED_FAILURES.get()).as("the job failed and restarted").isEqualTo(1);
        run.assertAlertsEqualTruth();
        run.assertEpisodesEqualTruth();
        run.assertLedgersEqualTruth();
        run.assertAlertTopicHoldsEachVersionOnce();
    }

    /** Passes rows on; fails the job once, at the first rows after a completed checkpoint. */
    static final class FailOnceAfterACheckpoint extends RichMapFunction<LedgerRow, LedgerRow>
            implements CheckpointListener {

        private static final long serialVersionUID = 1L;
        private transient boolean checkpointed;
        private transient long afterCheckpoint;

        @Override
        public LedgerRow map(LedgerRow row) {
            if (checkpointed && ++afterCheckpoint > 500 && INJECTED_FAILURES.compareAndSet(0, 1)) {
                throw new IllegalStateException("injected failure after a checkpoint");
            }
            return row;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            checkpointed = true;
        }
    }
}
