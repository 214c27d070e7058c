package org.lifelongpulse.generator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.lifelongpulse.contracts.Topic;

/**
 * The night-payment world of {@code ./pulse bench fund-risk}: 1,000 learners with two events each
 * are too few for any 20 s tail to feed every activity partition, so a tail that must feed both
 * topics falls back to one that may feed no transaction partition at all; the partitions' last
 * transactions then arrive in the fast replay, and their clocks hold the alert back.
 */
class LivePlacementTest {

    private static final WorldParameters SPARSE_ACTIVITY =
            WorldParameters.defaults(1).withLearners(1_000, 2_000);

    @Test
    void aTailForTheTransactionsAloneFeedsEveryTransactionPartition() {
        LivePlacement.Plan plan =
                LivePlacement.place(
                        SPARSE_ACTIVITY,
                        System.currentTimeMillis(),
                        5_000,
                        Duration.ofSeconds(20),
                        EnumSet.of(Topic.FUND_TRANSACTIONS));
        int partitions = plan.world().parameters().fundPartitions();
        int[] inTail = new int[partitions];
        for (Message m : plan.world().events()) {
            if (m.topic() == Topic.FUND_TRANSACTIONS
                    && m.fault() == Fault.NONE
                    && m.arrivalMillis() > plan.liveFrom()
                    && m.arrivalMillis() <= plan.cut()) {
                inTail[FaultInjector.partitionOf(m.key(), partitions)]++;
            }
        }
        assertThat(java.util.Arrays.stream(inTail).boxed().toList())
                .as("on-time transactions per partition in the tail")
                .allMatch(n -> n >= 2);
    }
}
