package org.lifelongpulse.generator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.lifelongpulse.avro.District;
import org.lifelongpulse.avro.WalkRoute;

/**
 * What learners can take part in, after the 2020 work plan: humanities walks (300 learning points
 * on 45 routes), 50 elderly-education MOOCs, classes at elder universities and community schools,
 * the learning cloud's "air classroom" live classes, experience bases, activity-week events,
 * learning teams and the credit bank.
 */
final class Catalogue {

    static final int ROUTES = 45;
    static final int WALK_POINTS = 300;
    static final int MOOCS = 50;
    static final int EXPERIENCE_BASES = 60;
    static final int WEEK_EVENTS = 40;
    static final int TEAMS = 400;
    static final int CLASSES_PER_DISTRICT = 20;
    static final int COURSES = 200;
    static final String MOOC_PROVIDER = "SHANGHAI-OPEN-UNIVERSITY";
    static final String CREDIT_BANK = "CREDIT-BANK";

    /** Local start times (minutes after midnight) of the daily air-classroom broadcasts. */
    static final int[] LIVE_SLOTS = {9 * 60 + 30, 14 * 60, 19 * 60 + 30};

    private final List<WalkRoute> routes;

    Catalogue(long routesUpdatedAt) {
        this.routes = buildRoutes(routesUpdatedAt);
    }

    List<WalkRoute> routes() {
        return routes;
    }

    /** 300 points over 45 routes: the first routes get one point more (7 and 6 points). */
    private static List<WalkRoute> buildRoutes(long updatedAt) {
        List<WalkRoute> list = new ArrayList<>();
        int point = 1;
        for (int r = 0; r < ROUTES; r++) {
            int size = WALK_POINTS / ROUTES + (r < WALK_POINTS % ROUTES ? 1 : 0);
            District district = CityProfile.DISTRICTS.get(r % CityProfile.DISTRICTS.size());
            List<String> points = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                points.add(String.format("WALK-P%03d", point++));
            }
            list.add(
                    WalkRoute.newBuilder()
                            .setRouteId(routeId(r))
                            .setName(
                                    "Humanities walk "
                                            + (r + 1)
                                            + " ("
                                            + CityProfile.districtName(district)
                                            + ")")
                            .setDistrict(district)
                            .setPointIds(points)
                            .setUpdatedAt(Instant.ofEpochMilli(updatedAt))
                            .build());
        }
        return List.copyOf(list);
    }

    static String routeId(int index) {
        return String.format("ROUTE-%02d", index + 1);
    }

    static String mooc(int index) {
        return String.format("MOOC-%02d", index + 1);
    }

    static String experienceBase(int index) {
        return String.format("BASE-%02d", index + 1);
    }

    static String weekEvent(int index) {
        return String.format("WEEK-EVT-%02d", index + 1);
    }

    static String team(int index) {
        return String.format("TEAM-%03d", index + 1);
    }

    static String course(int index) {
        return String.format("COURSE-%03d", index + 1);
    }

    static String liveClass(int day, int slot) {
        return String.format("AIR-CLASS-D%d-S%d", day + 1, slot + 1);
    }

    static String lessonClass(District district, int index) {
        return String.format("CLASS-%s-%02d", district.name(), index + 1);
    }

    /** Elder universities teach the over-60s; community schools everyone else. */
    static String school(District district, boolean elder) {
        return (elder ? "ELDER-UNI-" : "COMMUNITY-SCHOOL-") + district.name();
    }
}
