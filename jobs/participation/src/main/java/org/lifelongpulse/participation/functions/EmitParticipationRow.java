package org.lifelongpulse.participation.functions;

import java.util.List;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import org.lifelongpulse.participation.records.ParticipationRow;

/** A minute's tally for district × activity type × channel × age band, as a table row. */
public final class EmitParticipationRow
        extends ProcessWindowFunction<MinuteTally, ParticipationRow, String, TimeWindow> {

    private static final long serialVersionUID = 1L;

    @Override
    public void process(String key, Context ctx, Iterable<MinuteTally> tallies,
            Collector<ParticipationRow> out) {
        MinuteTally t = tallies.iterator().next();
        List<String> k = GroupKey.parts(key);
        // The number of events counted grows with every late firing: it orders the versions.
        out.collect(new ParticipationRow(ctx.window().getStart(), k.get(0), k.get(1), k.get(2),
                k.get(3), t.visits, t.uniqueLearners(), t.learningSeconds, t.creditPoints,
                t.visits));
    }
}
