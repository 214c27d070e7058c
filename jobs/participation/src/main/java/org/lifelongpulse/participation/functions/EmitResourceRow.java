package org.lifelongpulse.participation.functions;

import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import org.lifelongpulse.participation.records.ResourceGroup;
import org.lifelongpulse.participation.records.ResourceRow;

/**
 * A minute's tally for resource × district × activity type × provider, as a table row whose kind
 * {@link LabelResourceKind} fills in.
 */
public final class EmitResourceRow
        extends ProcessWindowFunction<MinuteTally, ResourceRow, ResourceGroup, TimeWindow> {

    private static final long serialVersionUID = 1L;

    @Override
    public void process(
            ResourceGroup key,
            Context ctx,
            Iterable<MinuteTally> tallies,
            Collector<ResourceRow> out) {
        MinuteTally t = tallies.iterator().next();
        out.collect(
                ResourceRow.unlabelled(
                        ctx.window().getStart(),
                        key,
                        t.visits,
                        t.uniqueLearners(),
                        t.learningSeconds));
    }
}
