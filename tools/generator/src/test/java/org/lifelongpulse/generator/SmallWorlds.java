package org.lifelongpulse.generator;

/** Small generated worlds for tests: quick to build, with fault rates high enough to show. */
final class SmallWorlds {

    private SmallWorlds() {}

    static WorldParameters small(long seed) {
        return WorldParameters.defaults(seed)
                .withLearners(1_500, 12_000)
                .withInstitutions(40)
                .withFaultRates(0.02, 0.04, 0.01, 0.01);
    }
}
