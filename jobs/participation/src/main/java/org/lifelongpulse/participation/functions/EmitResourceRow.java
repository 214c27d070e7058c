package org.lifelongpulse.participation.functions;

import java.util.List;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import org.lifelongpulse.participation.records.ResourceRow;

/** A minute's tally for resource × activity type × provider, as a table row. */
public final class EmitResourceRow
        extends ProcessWindowFunction<MinuteTally, ResourceRow, String, TimeWindow> {

    private static final long serialVersionUID = 1L;

    @Override
    public void process(String key, Context ctx, Iterable<MinuteTally> tallies,
            Collector<ResourceRow> out) {
        MinuteTally t = tallies.iterator().next();
        List<String> k = GroupKey.parts(key);
        out.collect(new ResourceRow(ctx.window().getStart(), k.get(0), k.get(1), k.get(2),
                t.visits, t.uniqueLearners(), t.learningSeconds, t.visits));
    }
}
