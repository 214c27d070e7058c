package org.lifelongpulse.participation.functions;

import org.apache.flink.api.common.functions.AggregateFunction;
import org.lifelongpulse.participation.records.Visit;

/** Adds activities, as {@link Visit}s, into a {@link MinuteTally}. */
public final class TallyActivities<V extends Visit>
        implements AggregateFunction<V, MinuteTally, MinuteTally> {

    private static final long serialVersionUID = 1L;

    @Override
    public MinuteTally createAccumulator() {
        return new MinuteTally();
    }

    @Override
    public MinuteTally add(V a, MinuteTally tally) {
        tally.visits++;
        tally.learningSeconds += a.seconds();
        tally.creditPoints += a.credits();
        tally.addLearner(a.learnerHigh(), a.learnerLow(), a.learnerOther());
        return tally;
    }

    @Override
    public MinuteTally getResult(MinuteTally tally) {
        return tally;
    }

    @Override
    public MinuteTally merge(MinuteTally a, MinuteTally b) {
        a.visits += b.visits;
        a.learningSeconds += b.learningSeconds;
        a.creditPoints += b.creditPoints;
        a.addLearners(b);
        return a;
    }
}
