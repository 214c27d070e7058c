package org.lifelongpulse.participation.records;

import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.lifelongpulse.pseudonyms.PseudonymHalves;

/** A {@link Visit} counted in its district × activity type × channel × age band. */
@TypeInfo(ShuffleFormats.ParticipationVisitInfo.class)
public record ParticipationVisit(
        ParticipationGroup group,
        long learnerHigh,
        long learnerLow,
        String learnerOther,
        long seconds,
        long credits)
        implements Visit {

    public static ParticipationVisit of(Activity a) {
        return of(ParticipationGroup.of(a), a.learnerHash(), a.seconds(), a.credits());
    }

    public static ParticipationVisit of(
            ParticipationGroup group, String learner, long seconds, long credits) {
        return PseudonymHalves.split(
                learner,
                (high, low, other) ->
                        new ParticipationVisit(group, high, low, other, seconds, credits));
    }
}
