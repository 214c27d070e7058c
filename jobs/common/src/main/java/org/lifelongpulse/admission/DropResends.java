package org.lifelongpulse.admission;

import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Lets each event id through once. Keyed by event id; a resend of an id already let through goes to
 * {@link #DUPLICATES}. The id is remembered for {@code retention} of event time after the event,
 * then forgotten by an event-time timer, so the state stays bounded and is the same after a replay.
 */
public final class DropResends<T extends Admissible> extends KeyedProcessFunction<String, T, T>
        implements ResultTypeQueryable<T> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<DuplicateEvent> DUPLICATES =
            new OutputTag<>("duplicates", TypeInformation.of(DuplicateEvent.class));
    private final Class<T> eventClass;
    private final String job;
    private final long retentionMillis;

    private transient ValueState<Long> admittedAt;
    private transient Counter duplicates;

    /**
     * @param retention how long, in event time, an id is remembered
     */
    public DropResends(Class<T> eventClass, String job, Duration retention) {
        this.eventClass = eventClass;
        this.job = job;
        this.retentionMillis = retention.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        admittedAt =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("admitted-event-time", Types.LONG));
        duplicates = getRuntimeContext().getMetricGroup().counter("duplicatesDropped");
    }

    @Override
    public void processElement(T event, Context ctx, Collector<T> out) throws Exception {
        long now = System.currentTimeMillis();
        if (admittedAt.value() != null) {
            duplicates.inc();
            ctx.output(
                    DUPLICATES,
                    new DuplicateEvent(
                            job,
                            event.sourceTopic(),
                            event.sourcePartition(),
                            event.sourceOffset(),
                            event.eventId(),
                            event.eventTime(),
                            now));
            return;
        }
        admittedAt.update(event.eventTime());
        ctx.timerService().registerEventTimeTimer(event.eventTime() + retentionMillis);
        out.collect(event);
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return TypeInformation.of(eventClass);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<T> out) {
        admittedAt.clear();
    }
}
