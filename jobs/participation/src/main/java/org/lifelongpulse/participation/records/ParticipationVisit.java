package org.lifelongpulse.participation.records;

/** A {@link Visit} counted in its district × activity type × channel × age band. */
public record ParticipationVisit(
        ParticipationGroup group, String learnerHash, long seconds, long credits) implements Visit {

    public static ParticipationVisit of(Activity a) {
        return new ParticipationVisit(
                ParticipationGroup.of(a), a.learnerHash(), a.seconds(), a.credits());
    }
}
