package org.lifelongpulse.testkit;

import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;

/** The bytes of an operator's keyed state in a full snapshot (as in a canonical savepoint). */
public final class SnapshotBytes {

    private SnapshotBytes() {}

    public static long keyedState(AbstractStreamOperatorTestHarness<?> harness) throws Exception {
        OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
        long bytes = 0;
        for (KeyedStateHandle handle : snapshot.getManagedKeyedState()) {
            bytes += handle.getStateSize();
        }
        return bytes;
    }
}
