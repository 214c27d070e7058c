package org.lifelongpulse.participation.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lifelongpulse.participation.Activities.OPENING;
import static org.lifelongpulse.participation.Activities.at;

import java.time.Duration;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;
import org.lifelongpulse.avro.District;
import org.lifelongpulse.avro.LearningResource;
import org.lifelongpulse.avro.ResourceKind;
import org.lifelongpulse.participation.records.FunnelRow;
import org.lifelongpulse.participation.records.ResourceGroup;
import org.lifelongpulse.participation.records.ResourceRow;

/**
 * The catalogue arriving after the activity, in a fixed order: resource rows are written UNKNOWN,
 * then again with the kind one version higher; funnel rows wait for the entry and pass only for a
 * MOOC. What was kept for an unlisted resource is gone once its entry came.
 */
class LabelResourceKindTest {

    private static final Duration WAIT = Duration.ofHours(1);

    @Test
    void rowsWrittenBeforeTheEntryAreWrittenAgainWithTheKind() throws Exception {
        var harness = labels();
        ResourceGroup xuhui = new ResourceGroup("COURSE-001", "XUHUI", "LESSON_ATTEND", "");
        ResourceGroup pudong = new ResourceGroup("COURSE-001", "PUDONG", "LESSON_ATTEND", "");
        harness.processElement(ResourceRow.unlabelled(at(0, 0), xuhui, 2, 2, 600), at(0, 59));
        harness.processElement(ResourceRow.unlabelled(at(0, 0), pudong, 1, 1, 300), at(0, 59));
        // the window fires again (a late event): the newer row replaces the kept one
        harness.processElement(ResourceRow.unlabelled(at(0, 0), xuhui, 3, 3, 900), at(1, 10));
        harness.processElement(
                ResourceRow.unlabelled(
                        at(0, 0),
                        new ResourceGroup("MOOC-01", "XUHUI", "MOOC_PROGRESS", ""),
                        1,
                        1,
                        60),
                at(0, 59));
        assertThat(harness.extractOutputValues())
                .extracting(
                        r -> r.district() + "|" + r.kind() + "|" + r.visits() + "|" + r.version())
                .containsExactly(
                        "XUHUI|UNKNOWN|2|4",
                        "PUDONG|UNKNOWN|1|2",
                        "XUHUI|UNKNOWN|3|6",
                        "XUHUI|UNKNOWN|1|2");
        assertThat(kept(harness)).isEqualTo(2); // two unlisted resources

        harness.getOutput().clear();
        harness.processBroadcastElement(entry("COURSE-001", ResourceKind.COURSE), at(2, 0));
        assertThat(harness.extractOutputValues())
                .extracting(
                        r -> r.district() + "|" + r.kind() + "|" + r.visits() + "|" + r.version())
                .containsExactlyInAnyOrder("XUHUI|COURSE|3|7", "PUDONG|COURSE|1|3");
        assertThat(kept(harness)).as("MOOC-01 still waits").isEqualTo(1);

        // once listed, a row is labelled at once and nothing is kept for it
        harness.getOutput().clear();
        harness.processElement(ResourceRow.unlabelled(at(1, 0), xuhui, 1, 1, 60), at(1, 59));
        assertThat(harness.extractOutputValues())
                .extracting(r -> r.kind() + "|" + r.version())
                .containsExactly("COURSE|3");
        assertThat(kept(harness)).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void theFunnelWaitsForTheEntryAndKeepsOnlyMoocs() throws Exception {
        var harness = funnel();
        harness.processElement(new FunnelRow(at(0, 0), "MOOC-01", 1, 0, 0, 1L), at(1, 0));
        harness.processElement(new FunnelRow(at(2, 0), "MOOC-01", 1, 1, 0, 1L), at(3, 0));
        harness.processElement(new FunnelRow(at(0, 0), "COURSE-001", 4, 0, 0, 1L), at(1, 0));
        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(kept(harness)).isEqualTo(2);

        harness.processBroadcastElement(entry("COURSE-001", ResourceKind.COURSE), at(3, 0));
        harness.processBroadcastElement(entry("MOOC-01", ResourceKind.MOOC), at(3, 0));
        assertThat(harness.extractOutputValues())
                .extracting(r -> r.resourceId() + "|" + r.enrolled() + "|" + r.progressed())
                .containsExactlyInAnyOrder("MOOC-01|1|0", "MOOC-01|1|1");
        assertThat(kept(harness)).isZero();

        harness.getOutput().clear();
        harness.processElement(new FunnelRow(at(4, 0), "COURSE-001", 5, 0, 0, 1L), at(5, 0));
        harness.processElement(new FunnelRow(at(4, 0), "MOOC-01", 2, 1, 0, 1L), at(5, 0));
        assertThat(harness.extractOutputValues())
                .extracting(FunnelRow::resourceId)
                .containsExactly("MOOC-01");
        assertThat(kept(harness)).isZero();
    }

    @Test
    void rowsOfAResourceStillUnlistedAfterTheWaitAreLetGo() throws Exception {
        var harness = labels();
        ResourceGroup team = new ResourceGroup("TEAM-001", "PUTUO", "TEAM_ACTIVITY", "");
        harness.setStateTtlProcessingTime(0);
        harness.processElement(ResourceRow.unlabelled(at(0, 0), team, 1, 1, 3600), at(0, 59));
        harness.setStateTtlProcessingTime(WAIT.toMillis() + 1);
        harness.getOutput().clear();
        harness.processBroadcastElement(entry("TEAM-001", ResourceKind.TEAM), at(2, 0));
        assertThat(harness.extractOutputValues()).as("the UNKNOWN row stays as written").isEmpty();
        assertThat(kept(harness)).isZero();
    }

    /** Keyed state entries: one per resource with rows kept. */
    private static int kept(AbstractStreamOperatorTestHarness<?> harness) {
        return ((HeapKeyedStateBackend<?>) harness.getOperator().getKeyedStateBackend())
                .numKeyValueStateEntries();
    }

    private static LearningResource entry(String id, ResourceKind kind) {
        return LearningResource.newBuilder()
                .setResourceId(id)
                .setKind(kind)
                .setName(id)
                .setDistrict(kind == ResourceKind.MOOC ? null : District.XUHUI)
                .setUpdatedAt(OPENING)
                .build();
    }

    private static KeyedBroadcastOperatorTestHarness<
                    String, ResourceRow, LearningResource, ResourceRow>
            labels() throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                new LabelResourceKind(WAIT),
                LabelResourceKind::keyOf,
                Types.STRING,
                ResourceKinds.KINDS);
    }

    private static KeyedBroadcastOperatorTestHarness<String, FunnelRow, LearningResource, FunnelRow>
            funnel() throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                new KeepMoocFunnel(WAIT), KeepMoocFunnel::keyOf, Types.STRING, ResourceKinds.KINDS);
    }
}
