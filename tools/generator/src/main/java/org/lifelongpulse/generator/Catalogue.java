package org.lifelongpulse.generator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.lifelongpulse.avro.District;
import org.lifelongpulse.avro.LearningResource;
import org.lifelongpulse.avro.ResourceKind;
import org.lifelongpulse.avro.WalkRoute;

/**
 * What learners can take part in, after the 2020 work plan: humanities walks (300 learning points
 * on 45 routes), 50 elderly-education MOOCs, classes at elder universities and community schools,
 * the learning cloud's "air classroom" live classes, experience bases, activity-week events,
 * learning teams and the credit bank. Every resource id the activity names is in the resource
 * catalogue ({@link #resources()}), so that a normal run counts nothing under kind UNKNOWN.
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
    static final String LEARNING_CLOUD = "LEARNING-CLOUD"; // as ActivityWeek names the provider

    /** Local start times (minutes after midnight) of the daily air-classroom broadcasts. */
    static final int[] LIVE_SLOTS = {9 * 60 + 30, 14 * 60, 19 * 60 + 30};

    private final List<WalkRoute> routes;
    private final List<LearningResource> resources;

    /**
     * @param updatedAt when the routes and the catalogue entries took effect
     * @param days the days of the activity week (one air class per slot and day)
     */
    Catalogue(long updatedAt, int days) {
        this.routes = buildRoutes(updatedAt);
        this.resources = buildResources(routes, days, updatedAt);
    }

    List<WalkRoute> routes() {
        return routes;
    }

    /** One entry per resource id of the activity (and per school, the classes' providers). */
    List<LearningResource> resources() {
        return resources;
    }

    private static List<LearningResource> buildResources(
            List<WalkRoute> routes, int days, long updatedAt) {
        List<LearningResource> list = new ArrayList<>();
        Entries entries = new Entries(list, Instant.ofEpochMilli(updatedAt));
        for (WalkRoute route : routes) {
            int stop = 1;
            for (String point : route.getPointIds()) {
                entries.add(
                        point,
                        ResourceKind.WALK_POINT,
                        "Learning point " + stop++ + " of " + route.getName(),
                        route.getDistrict(),
                        null);
            }
        }
        for (int i = 0; i < MOOCS; i++) {
            entries.add(
                    mooc(i),
                    ResourceKind.MOOC,
                    "Elderly-education MOOC " + (i + 1),
                    null,
                    MOOC_PROVIDER);
        }
        for (int i = 0; i < COURSES; i++) {
            entries.add(course(i), ResourceKind.COURSE, "Online course " + (i + 1), null, null);
        }
        for (District district : CityProfile.DISTRICTS) {
            String name = CityProfile.districtName(district);
            for (int i = 0; i < CLASSES_PER_DISTRICT; i++) {
                entries.add(
                        lessonClass(district, i),
                        ResourceKind.COURSE,
                        "Class " + (i + 1) + " in " + name,
                        district,
                        null);
            }
            entries.add(
                    school(district, true),
                    ResourceKind.VENUE,
                    "Elder university of " + name,
                    district,
                    null);
            entries.add(
                    school(district, false),
                    ResourceKind.VENUE,
                    "Community school of " + name,
                    district,
                    null);
        }
        for (int day = 0; day < days; day++) {
            for (int slot = 0; slot < LIVE_SLOTS.length; slot++) {
                entries.add(
                        liveClass(day, slot),
                        ResourceKind.LIVE_CLASS,
                        String.format(
                                "Air classroom, day %d, %02d:%02d",
                                day + 1, LIVE_SLOTS[slot] / 60, LIVE_SLOTS[slot] % 60),
                        null,
                        LEARNING_CLOUD);
            }
        }
        for (int i = 0; i < EXPERIENCE_BASES; i++) {
            entries.add(
                    experienceBase(i),
                    ResourceKind.VENUE,
                    "Experience base " + (i + 1),
                    districtOf(i),
                    null);
        }
        for (int i = 0; i < WEEK_EVENTS; i++) {
            entries.add(
                    weekEvent(i),
                    ResourceKind.EVENT,
                    "Activity-week event " + (i + 1),
                    districtOf(i),
                    null);
        }
        for (int i = 0; i < TEAMS; i++) {
            entries.add(
                    team(i), ResourceKind.TEAM, "Learning team " + (i + 1), districtOf(i), null);
        }
        entries.add(CREDIT_BANK, ResourceKind.CREDIT_BANK, "Shanghai credit bank", null, null);
        return List.copyOf(list);
    }

    /** Venues, events and teams are spread over the districts in turn. */
    private static District districtOf(int index) {
        return CityProfile.DISTRICTS.get(index % CityProfile.DISTRICTS.size());
    }

    /** Catalogue entries of one version. */
    private record Entries(List<LearningResource> list, Instant updatedAt) {
        void add(String id, ResourceKind kind, String name, District district, String provider) {
            list.add(
                    LearningResource.newBuilder()
                            .setResourceId(id)
                            .setKind(kind)
                            .setName(name)
                            .setDistrict(district)
                            .setProvider(provider)
                            .setUpdatedAt(updatedAt)
                            .build());
        }
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
