package org.lifelongpulse.participation.records;

import org.lifelongpulse.pseudonyms.PseudonymHalves;

/** A {@link Visit} counted for its resource × activity type × provider. */
public record ResourceVisit(
        ResourceGroup group,
        long learnerHigh,
        long learnerLow,
        String learnerOther,
        long seconds,
        long credits)
        implements Visit {

    public static ResourceVisit of(Activity a) {
        String learner = a.learnerHash();
        boolean pseudonym = PseudonymHalves.isPseudonym(learner);
        return new ResourceVisit(
                ResourceGroup.of(a),
                pseudonym ? PseudonymHalves.high(learner) : 0,
                pseudonym ? PseudonymHalves.low(learner) : 0,
                pseudonym ? null : learner,
                a.seconds(),
                a.credits());
    }
}
