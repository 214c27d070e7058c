package org.lifelongpulse.participation.records;

/** A {@link Visit} counted for its resource × activity type × provider. */
public record ResourceVisit(ResourceGroup group, String learnerHash, long seconds, long credits)
        implements Visit {

    public static ResourceVisit of(Activity a) {
        return new ResourceVisit(ResourceGroup.of(a), a.learnerHash(), a.seconds(), a.credits());
    }
}
