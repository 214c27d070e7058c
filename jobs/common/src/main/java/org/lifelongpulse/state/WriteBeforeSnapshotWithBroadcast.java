package org.lifelongpulse.state;

import java.util.List;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;

/**
 * {@link WriteBeforeSnapshot} for a keyed function with a broadcast side: connect the keyed stream
 * to the broadcast one with {@code keyed.connect(other.broadcast())} and {@code transform} it with
 * this operator, which is Flink's own for {@code connect(broadcastStream).process(function)} with
 * the function's memory written to the keyed state before each snapshot.
 *
 * @param <K> the key
 * @param <IN1> the keyed input
 * @param <IN2> the broadcast input
 * @param <OUT> the output
 */
public final class WriteBeforeSnapshotWithBroadcast<K, IN1, IN2, OUT>
        extends CoBroadcastWithKeyedOperator<K, IN1, IN2, OUT> {

    private static final long serialVersionUID = 1L;

    private WriteBeforeSnapshotWithBroadcast(
            KeyedBroadcastProcessFunction<K, IN1, IN2, OUT> function,
            List<MapStateDescriptor<?, ?>> broadcastStates) {
        super(function, broadcastStates);
    }

    /** The operator for {@code function}, with its broadcast states. */
    public static <
                    K,
                    IN1,
                    IN2,
                    OUT,
                    F extends
                            KeyedBroadcastProcessFunction<K, IN1, IN2, OUT>
                                    & WriteBeforeSnapshot.Buffered<K>>
            WriteBeforeSnapshotWithBroadcast<K, IN1, IN2, OUT> of(
                    F function, List<MapStateDescriptor<?, ?>> broadcastStates) {
        return new WriteBeforeSnapshotWithBroadcast<>(function, broadcastStates);
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        buffered().startsRestored(context.isRestored());
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        // Flink snapshots the keyed state after this method (the key is left at the last written).
        buffered().writeToState(this::setCurrentKey);
        super.snapshotState(context);
    }

    @SuppressWarnings("unchecked")
    private WriteBeforeSnapshot.Buffered<K> buffered() {
        return (WriteBeforeSnapshot.Buffered<K>) userFunction;
    }
}
