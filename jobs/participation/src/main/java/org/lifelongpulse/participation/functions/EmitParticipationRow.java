package org.lifelongpulse.participation.functions;

import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import org.lifelongpulse.participation.records.ParticipationGroup;
import org.lifelongpulse.participation.records.ParticipationRow;

/** A minute's tally for district × activity type × channel × age band, as a table row. */
public final class EmitParticipationRow
        extends ProcessWindowFunction<
                MinuteTally, ParticipationRow, ParticipationGroup, TimeWindow> {

    private static final long serialVersionUID = 1L;

    @Override
    public void process(
            ParticipationGroup key,
            Context ctx,
            Iterable<MinuteTally> tallies,
            Collector<ParticipationRow> out) {
        MinuteTally t = tallies.iterator().next();
        // The number of events counted grows with every late firing: it orders the versions.
        out.collect(
                new ParticipationRow(
                        ctx.window().getStart(),
                        key.district(),
                        key.activityType(),
                        key.channel(),
                        key.ageBand(),
                        t.visits,
                        t.uniqueLearners(),
                        t.learningSeconds,
                        t.creditPoints,
                        t.visits));
    }
}
