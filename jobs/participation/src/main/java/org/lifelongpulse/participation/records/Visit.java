package org.lifelongpulse.participation.records;

/**
 * What a per-minute tally needs of an activity: its group, the learner, seconds and credits.
 * Projected before the shuffle to the window, so that the network carries four fields instead
 * of the whole activity (the event time travels with the record).
 */
public record Visit(String group, String learnerHash, long seconds, long credits) {

    public static Visit of(String group, Activity a) {
        return new Visit(group, a.learnerHash(), a.seconds(), a.credits());
    }
}
