package org.lifelongpulse.admission;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.function.SerializableFunction;

/**
 * Turns what an aggregation dropped behind its watermark (its late side output) into {@link
 * DroppedEvent}s, counting them in {@code eventsDroppedBehindWatermark}.
 */
public final class RecordDropped<T> extends ProcessFunction<T, DroppedEvent> {

    private static final long serialVersionUID = 1L;

    private final String job;
    private final String operator;
    private final SerializableFunction<T, String> item;

    private transient Counter dropped;

    /**
     * @param operator the uid of the aggregation that dropped the events
     * @param item names a dropped element (its key and member)
     */
    public RecordDropped(String job, String operator, SerializableFunction<T, String> item) {
        this.job = job;
        this.operator = operator;
        this.item = item;
    }

    @Override
    public void open(OpenContext openContext) {
        dropped = getRuntimeContext().getMetricGroup().counter("eventsDroppedBehindWatermark");
    }

    @Override
    public void processElement(T element, Context ctx, Collector<DroppedEvent> out)
            throws Exception {
        dropped.inc();
        long eventTime = ctx.timestamp() == null ? Long.MIN_VALUE : ctx.timestamp();
        out.collect(
                new DroppedEvent(
                        job,
                        operator,
                        item.apply(element),
                        eventTime,
                        ctx.timerService().currentWatermark(),
                        System.currentTimeMillis()));
    }
}
