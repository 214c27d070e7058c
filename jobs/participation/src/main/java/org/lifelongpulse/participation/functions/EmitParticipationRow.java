package org.lifelongpulse.participation.functions;

import org.lifelongpulse.participation.records.ParticipationGroup;
import org.lifelongpulse.participation.records.ParticipationRow;

/** A minute's tally for district × activity type × channel × age band, as a table row. */
public final class EmitParticipationRow
        implements AggregateByMinute.MinuteRow<ParticipationGroup, MinuteTally, ParticipationRow> {

    private static final long serialVersionUID = 1L;

    @Override
    public ParticipationRow of(ParticipationGroup key, long minute, MinuteTally t) {
        // The number of events counted grows with every late emission: it orders the versions.
        return new ParticipationRow(
                minute,
                key.district(),
                key.activityType(),
                key.channel(),
                key.ageBand(),
                t.visits,
                t.uniqueLearners(),
                t.learningSeconds,
                t.creditPoints,
                t.visits);
    }
}
