package org.lifelongpulse.participation.functions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.lifelongpulse.participation.records.DistinctScope;
import org.lifelongpulse.participation.records.DistinctToken;
import org.lifelongpulse.participation.records.MinuteDistinct;
import org.lifelongpulse.pseudonyms.LearnerPseudonym;
import org.lifelongpulse.testkit.SnapshotBytes;

/**
 * Campaign state per learner, as the benchmark measures it but without a cluster: every learner
 * counted in the campaign over ALL districts and in its own district, all minutes final; the growth
 * of a full snapshot from 1,000 to 11,000 learners, so that metadata cancels out. Learners are real
 * pseudonyms (keyed hashes), as the job holds them.
 */
class CampaignStateSizeTest {

    static final String CAMPAIGN = "activity-week-2020";
    static final String[] DISTRICTS = {"HUANGPU", "XUHUI", "PUDONG", "CHONGMING"};
    static final long T = 1_601_514_000_000L;

    @Test
    void bytesPerLearnerStayWithinTheTarget() throws Exception {
        long small = snapshotBytes(1_000);
        long large = snapshotBytes(11_000);
        double perLearner = (large - small) / 10_000.0;
        System.out.printf("campaign state: %.1f bytes per learner%n", perLearner);
        assertThat(perLearner).isLessThanOrEqualTo(200);
    }

    static long snapshotBytes(int learners) throws Exception {
        LearnerPseudonym pseudonym = new LearnerPseudonym("size-test-secret");
        try (KeyedOneInputStreamOperatorTestHarness<DistinctScope, DistinctToken, MinuteDistinct>
                h =
                        new KeyedOneInputStreamOperatorTestHarness<>(
                                new RunningDistinctByMinute(
                                                Duration.ofSeconds(60), List.of("participant"))
                                        .operator(),
                                DistinctToken::scope,
                                TypeInformation.of(DistinctScope.class))) {
            h.open();
            for (int i = 0; i < learners; i++) {
                String learner = pseudonym.hash("L" + i);
                long time = T + i * 10L;
                String district = DISTRICTS[i % DISTRICTS.length];
                h.processElement(
                        new DistinctToken(
                                new DistinctScope(CAMPAIGN, "ALL"), "participant", learner, time),
                        time);
                h.processElement(
                        new DistinctToken(
                                new DistinctScope(CAMPAIGN, district),
                                "participant",
                                learner,
                                time),
                        time);
            }
            h.processWatermark(Long.MAX_VALUE);
            return SnapshotBytes.keyedState(h);
        }
    }
}
