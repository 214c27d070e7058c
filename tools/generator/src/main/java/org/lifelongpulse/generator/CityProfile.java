package org.lifelongpulse.generator;

import java.util.List;
import org.lifelongpulse.avro.AgeBand;
import org.lifelongpulse.avro.District;

/**
 * Shanghai as the simulation sees it: the 16 districts weighted by resident population (2020
 * census, in ten thousands), an age structure with the large elderly share of lifelong-learning
 * programmes, and the daily rhythm of the activity week (morning and evening peaks, quiet nights).
 */
final class CityProfile {

    static final List<District> DISTRICTS =
            List.of(
                    District.HUANGPU,
                    District.XUHUI,
                    District.CHANGNING,
                    District.JINGAN,
                    District.PUTUO,
                    District.HONGKOU,
                    District.YANGPU,
                    District.MINHANG,
                    District.BAOSHAN,
                    District.JIADING,
                    District.PUDONG,
                    District.JINSHAN,
                    District.SONGJIANG,
                    District.QINGPU,
                    District.FENGXIAN,
                    District.CHONGMING);

    private static final double[] POPULATION = {
        66.2, 111.3, 69.3, 97.6, 124.0, 75.8, 124.2, 265.3,
        223.5, 183.4, 568.2, 82.3, 191.0, 127.1, 114.1, 63.7
    };

    static final Weighted<District> DISTRICT_BY_POPULATION = new Weighted<>(DISTRICTS, POPULATION);

    static final List<AgeBand> AGE_BANDS =
            List.of(
                    AgeBand.UNDER_18,
                    AgeBand.AGE_18_34,
                    AgeBand.AGE_35_59,
                    AgeBand.AGE_60_69,
                    AgeBand.AGE_70_PLUS);

    /** Elder universities and community schools make the over-60s the largest group. */
    static final Weighted<AgeBand> AGE_BAND =
            new Weighted<>(AGE_BANDS, new double[] {6, 16, 28, 30, 20});

    /** Relative activity by local hour: morning peak 8-10, evening peak 19-21, quiet nights. */
    static final double[] HOURLY = {
        1, 0.5, 0.3, 0.3, 0.4, 1, 3, 6, 10, 12, 10, 7, 5, 6, 8, 8, 7, 6, 7, 10, 12, 9, 5, 2
    };

    /** Same curve, restricted to hours when walks and venues are open (8:00-17:59). */
    static final double[] DAYTIME = daytime();

    private static final List<Integer> HOURS =
            java.util.stream.IntStream.range(0, 24).boxed().toList();
    static final Weighted<Integer> HOUR_OF_ACTIVITY = new Weighted<>(HOURS, HOURLY);
    static final Weighted<Integer> HOUR_OF_VISIT = new Weighted<>(HOURS, DAYTIME);

    private CityProfile() {}

    private static double[] daytime() {
        double[] w = new double[24];
        for (int h = 8; h < 18; h++) {
            w[h] = HOURLY[h];
        }
        return w;
    }

    static String districtName(District d) {
        String n = d.name().toLowerCase();
        return Character.toUpperCase(n.charAt(0)) + n.substring(1);
    }
}
