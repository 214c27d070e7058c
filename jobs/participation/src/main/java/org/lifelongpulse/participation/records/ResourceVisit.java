package org.lifelongpulse.participation.records;

import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.lifelongpulse.pseudonyms.PseudonymHalves;

/** A {@link Visit} counted for its resource × activity type × provider. */
@TypeInfo(ShuffleFormats.ResourceVisitInfo.class)
public record ResourceVisit(
        ResourceGroup group,
        long learnerHigh,
        long learnerLow,
        String learnerOther,
        long seconds,
        long credits)
        implements Visit {

    public static ResourceVisit of(Activity a) {
        return PseudonymHalves.split(
                a.learnerHash(),
                (high, low, other) ->
                        new ResourceVisit(
                                ResourceGroup.of(a), high, low, other, a.seconds(), a.credits()));
    }
}
