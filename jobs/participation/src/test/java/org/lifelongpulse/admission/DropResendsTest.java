package org.lifelongpulse.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lifelongpulse.participation.Activities.activity;
import static org.lifelongpulse.participation.Activities.at;

import java.time.Duration;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;
import org.lifelongpulse.participation.records.Activity;

class DropResendsTest {

    @Test
    void letsAnIdThroughOnceAndForgetsItAfterTheRetention() throws Exception {
        var harness = harness(Duration.ofHours(1));
        Activity first = activity("e1", at(0, 5), "L1");
        harness.processElement(first, first.eventTime());
        harness.processElement(first, first.eventTime()); // resent
        harness.processElement(activity("e2", at(0, 7), "L2"), at(0, 7));

        assertThat(harness.extractOutputValues())
                .extracting(Activity::eventId)
                .containsExactly("e1", "e2");
        assertThat(harness.getSideOutput(DropResends.DUPLICATES))
                .singleElement()
                .satisfies(r -> assertThat(r.getValue().eventId()).isEqualTo("e1"));
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
        assertThat(harness.numEventTimeTimers()).isEqualTo(2);

        // An hour of event time after e1: its id is forgotten, e2's (2 s later) is not yet.
        harness.processWatermark(at(60, 5));
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        harness.processWatermark(at(60, 7));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aResendArrivingOutOfOrderIsStillDropped() throws Exception {
        var harness = harness(Duration.ofDays(1));
        harness.processElement(activity("e1", at(3, 0), "L1"), at(3, 0));
        harness.processElement(activity("e0", at(1, 0), "L1"), at(1, 0));
        harness.processElement(activity("e1", at(3, 0), "L1"), at(3, 0));
        assertThat(harness.extractOutputValues())
                .extracting(Activity::eventId)
                .containsExactly("e1", "e0");
        assertThat(harness.getSideOutput(DropResends.DUPLICATES)).hasSize(1);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Activity, Activity> harness(
            Duration retention) throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new DropResends<>(Activity.class, "test", retention),
                Activity::eventId,
                Types.STRING);
    }
}
