package org.lifelongpulse.participation.records;

/**
 * What a per-minute tally needs of an activity: the learner, seconds and credits. Projected, with
 * the group it is counted in, before the shuffle to the window, so that the network carries four
 * fields instead of the whole activity (the event time travels with the record).
 */
public interface Visit {

    String learnerHash();

    long seconds();

    long credits();
}
