package org.lifelongpulse.generator;

import java.util.SplittableRandom;
import org.lifelongpulse.avro.AgeBand;
import org.lifelongpulse.avro.Channel;
import org.lifelongpulse.avro.District;

/**
 * The learners: each has one district and one age band for the whole week. Some learners are far
 * more active than others (repeat participation), so picking one is skewed.
 */
final class LearnerPopulation {

    /** One learner. */
    record Learner(
            String id,
            District district,
            AgeBand ageBand,
            double onlineAffinity,
            Channel preferredOnline) {}

    private final Learner[] learners;

    LearnerPopulation(int size, SplittableRandom random) {
        learners = new Learner[size];
        int digits = Math.max(6, String.valueOf(size).length());
        for (int i = 0; i < size; i++) {
            District district = CityProfile.DISTRICT_BY_POPULATION.draw(random);
            AgeBand band = CityProfile.AGE_BAND.draw(random);
            double affinity =
                    switch (band) {
                        case UNDER_18, AGE_18_34 -> 0.8;
                        case AGE_35_59 -> 0.6;
                        case AGE_60_69 -> 0.4;
                        default -> 0.3;
                    };
            boolean young = band == AgeBand.UNDER_18 || band == AgeBand.AGE_18_34;
            Channel online =
                    young
                            ? (random.nextDouble() < 0.7 ? Channel.MOBILE_APP : Channel.WEB)
                            : (random.nextDouble() < 0.6 ? Channel.MINI_PROGRAM : Channel.WEB);
            learners[i] =
                    new Learner(
                            String.format("L%0" + digits + "d", i + 1),
                            district,
                            band,
                            affinity,
                            online);
        }
    }

    int size() {
        return learners.length;
    }

    /** A learner, skewed towards the active ones: index = n * u^1.7. */
    Learner pick(SplittableRandom random) {
        int i = (int) (learners.length * Math.pow(random.nextDouble(), 1.7));
        return learners[Math.min(i, learners.length - 1)];
    }
}
