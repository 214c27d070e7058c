package org.lifelongpulse.state;

import java.util.function.Consumer;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;

/**
 * Runs a keyed function that keeps its hot state in memory and writes it to Flink's keyed state
 * only before each snapshot, instead of at every event: with RocksDB each state access is a JNI
 * call and a serialization of key and value, so a value counted into by many events between two
 * checkpoints costs one write instead of a read and a write per event.
 *
 * <p>The function writes in {@link Buffered#writeToState}, which this operator calls in {@link
 * #snapshotState(StateSnapshotContext)}: Flink calls that before it snapshots the keyed state
 * (StreamOperatorStateHandler), so every snapshot holds what the function had counted. What is in
 * memory is never stored by any other path; after a restore the function reads the state.
 *
 * @param <K> the key
 * @param <IN> the input
 * @param <OUT> the output
 */
public final class WriteBeforeSnapshot<K, IN, OUT> extends KeyedProcessOperator<K, IN, OUT> {

    private static final long serialVersionUID = 1L;

    /** A keyed function with part of its state in memory. */
    public interface Buffered<K> {

        /**
         * Called once, before the function is opened.
         *
         * @param restored whether the subtask starts from a checkpoint or savepoint, so that its
         *     keyed state may hold keys it has not seen; if not, the state holds only what the
         *     function wrote, and a key it does not know has no state to read
         */
        void startsRestored(boolean restored);

        /** Writes what is in memory and not yet in the state, setting each key it writes under. */
        void writeToState(Consumer<K> currentKey) throws Exception;
    }

    private WriteBeforeSnapshot(KeyedProcessFunction<K, IN, OUT> function) {
        super(function);
    }

    /** The operator for {@code function}. */
    public static <K, IN, OUT, F extends KeyedProcessFunction<K, IN, OUT> & Buffered<K>>
            WriteBeforeSnapshot<K, IN, OUT> of(F function) {
        return new WriteBeforeSnapshot<>(function);
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
    private Buffered<K> buffered() {
        return (Buffered<K>) userFunction;
    }
}
