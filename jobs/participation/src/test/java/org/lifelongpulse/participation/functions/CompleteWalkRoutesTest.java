package org.lifelongpulse.participation.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lifelongpulse.participation.Activities.at;
import static org.lifelongpulse.participation.Activities.checkIn;

import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;
import org.lifelongpulse.avro.District;
import org.lifelongpulse.avro.WalkRoute;
import org.lifelongpulse.participation.records.Activity;
import org.lifelongpulse.participation.records.LearnerRoute;
import org.lifelongpulse.participation.records.RouteCompletion;

class CompleteWalkRoutesTest {

    private static final WalkRoute BUND =
            WalkRoute.newBuilder()
                    .setRouteId("R1")
                    .setName("Bund")
                    .setDistrict(District.HUANGPU)
                    .setPointIds(List.of("P1", "P2", "P3"))
                    .setUpdatedAt(Instant.EPOCH)
                    .build();

    @Test
    void completesWhenEveryPointHasACheckInAtTheLastOfThem() throws Exception {
        var harness = harness();
        harness.processBroadcastElement(BUND, 0L);
        send(harness, checkIn("e1", at(0, 0), "L1", "R1", "P1"));
        send(harness, checkIn("e2", at(5, 0), "L1", "R1", "P3"));
        send(harness, checkIn("e3", at(2, 0), "L2", "R1", "P1")); // another learner
        assertThat(harness.extractOutputValues()).isEmpty();

        send(harness, checkIn("e4", at(9, 0), "L1", "R1", "P2"));
        send(harness, checkIn("e5", at(12, 0), "L1", "R1", "P2")); // again: no new completion
        assertThat(harness.extractOutputValues())
                .containsExactly(
                        new RouteCompletion(
                                "R1", "L1", "HUANGPU", at(9, 0), 3, Long.MAX_VALUE - at(9, 0)));
    }

    @Test
    void checkInsBeforeTheRouteArrivesCompleteWhenItDoes() throws Exception {
        var harness = harness();
        send(harness, checkIn("e1", at(0, 0), "L1", "R1", "P1"));
        send(harness, checkIn("e2", at(1, 0), "L1", "R1", "P2"));
        send(harness, checkIn("e3", at(2, 0), "L1", "R1", "P3"));
        assertThat(harness.extractOutputValues()).isEmpty();
        harness.processBroadcastElement(BUND, 0L);
        assertThat(harness.extractOutputValues())
                .extracting(RouteCompletion::completedAt)
                .containsExactly(at(2, 0));
    }

    @Test
    void anEarlierCheckInArrivingLateMovesTheCompletionEarlierWithAHigherVersion()
            throws Exception {
        var harness = harness();
        harness.processBroadcastElement(BUND, 0L);
        send(harness, checkIn("e1", at(0, 0), "L1", "R1", "P1"));
        send(harness, checkIn("e2", at(1, 0), "L1", "R1", "P2"));
        send(harness, checkIn("e3", at(3, 0), "L1", "R1", "P3"));
        send(harness, checkIn("e4", at(2, 0), "L1", "R1", "P3")); // out of order, earlier
        List<RouteCompletion> out = harness.extractOutputValues();
        assertThat(out)
                .extracting(RouteCompletion::completedAt)
                .containsExactly(at(3, 0), at(2, 0));
        assertThat(out.get(1).version()).isGreaterThan(out.get(0).version());
    }

    private static void send(
            KeyedBroadcastOperatorTestHarness<LearnerRoute, Activity, WalkRoute, RouteCompletion> h,
            Activity a)
            throws Exception {
        h.processElement(a, a.eventTime());
    }

    private static KeyedBroadcastOperatorTestHarness<
                    LearnerRoute, Activity, WalkRoute, RouteCompletion>
            harness() throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                new CompleteWalkRoutes(),
                CompleteWalkRoutes::keyOf,
                TypeInformation.of(LearnerRoute.class),
                CompleteWalkRoutes.ROUTES);
    }
}
