package org.lifelongpulse.state;

import java.util.function.Consumer;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.TimestampedCollector;
import org.apache.flink.streaming.api.watermark.Watermark;

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
 * <p>A {@link Scheduled} function also keeps its own schedule of event-time work in memory instead
 * of one Flink timer per instant: the operator lets it act on each watermark before Flink's timers
 * fire ({@link Scheduled#advanceTo}), and before each snapshot lets it register, as Flink timers,
 * the instants still pending ({@link Scheduled#scheduleBeforeSnapshot}), so that a snapshot holds
 * the timers a function with only Flink timers would have had, and resumes the same way.
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

    /** The event-time timers of the key last set, as the function's {@code TimerService} has. */
    public interface EventTimers {
        void register(long time);

        void delete(long time);
    }

    /** A keyed function with part of its state and its schedule of event-time work in memory. */
    public interface Scheduled<K, OUT> extends Buffered<K> {

        /**
         * Does what is due by {@code watermark}, called for each watermark before Flink's timers
         * fire and the watermark goes on: a row collected here precedes it, with the timestamp the
         * function sets. Keys are set through {@code currentKey} where state or timers are used.
         */
        void advanceTo(
                long watermark,
                Consumer<K> currentKey,
                EventTimers timers,
                TimestampedCollector<OUT> out)
                throws Exception;

        /**
         * Registers as Flink timers the instants still pending in memory, each under its key, so
         * that the snapshot that follows holds them; called before {@link #writeToState}. The
         * function deletes them again once they are done ({@link #advanceTo}, before Flink fires
         * them).
         */
        void scheduleBeforeSnapshot(Consumer<K> currentKey, EventTimers timers) throws Exception;
    }

    private transient InternalTimerService<VoidNamespace> timerService;
    private transient EventTimers eventTimers;
    private transient TimestampedCollector<OUT> scheduledOutput;

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
    public void open() throws Exception {
        super.open();
        if (userFunction instanceof Scheduled<?, ?>) {
            // The service KeyedProcessOperator.open() created: the function's own timers.
            timerService =
                    getInternalTimerService("user-timers", VoidNamespaceSerializer.INSTANCE, this);
            eventTimers =
                    new EventTimers() {
                        @Override
                        public void register(long time) {
                            timerService.registerEventTimeTimer(VoidNamespace.INSTANCE, time);
                        }

                        @Override
                        public void delete(long time) {
                            timerService.deleteEventTimeTimer(VoidNamespace.INSTANCE, time);
                        }
                    };
            scheduledOutput = new TimestampedCollector<>(output);
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        Scheduled<K, OUT> scheduled = scheduled();
        if (scheduled != null) {
            scheduled.advanceTo(
                    mark.getTimestamp(), this::setCurrentKey, eventTimers, scheduledOutput);
        }
        super.processWatermark(mark);
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        Scheduled<K, OUT> scheduled = scheduled();
        if (scheduled != null) {
            scheduled.scheduleBeforeSnapshot(this::setCurrentKey, eventTimers);
        }
        // Flink snapshots the keyed state after this method (the key is left at the last written).
        buffered().writeToState(this::setCurrentKey);
        super.snapshotState(context);
    }

    @SuppressWarnings("unchecked")
    private Scheduled<K, OUT> scheduled() {
        return timerService == null ? null : (Scheduled<K, OUT>) userFunction;
    }

    @SuppressWarnings("unchecked")
    private Buffered<K> buffered() {
        return (Buffered<K>) userFunction;
    }
}
