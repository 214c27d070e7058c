package org.lifelongpulse.participation.records;

import org.lifelongpulse.pseudonyms.PseudonymHalves;

/**
 * What a per-minute tally needs of an activity: the learner, seconds and credits. Projected, with
 * the group it is counted in, before the shuffle to the window, so that the network carries a few
 * fields instead of the whole activity (the event time travels with the record). The learner
 * travels as the two halves of its pseudonym ({@link PseudonymHalves}), or, when its id is not one,
 * as {@link #learnerOther}.
 */
public interface Visit {

    long learnerHigh();

    long learnerLow();

    /** The learner's id when it is not a pseudonym; null when it is one. */
    String learnerOther();

    long seconds();

    long credits();

    /** The learner's id as the activity had it. */
    default String learnerHash() {
        return learnerOther() != null
                ? learnerOther()
                : PseudonymHalves.of(learnerHigh(), learnerLow());
    }
}
