package org.lifelongpulse.generator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.lifelongpulse.avro.ActivityType;
import org.lifelongpulse.avro.LearningActivity;
import org.lifelongpulse.avro.LearningResource;
import org.lifelongpulse.avro.WalkRoute;
import org.lifelongpulse.contracts.Topic;

/**
 * The participation numbers the jobs must produce, from the messages as sent: each event id counted
 * once, too-late and malformed messages left out.
 */
final class ParticipationTruth {

    /** One minute window of one district, activity type, channel and age band. */
    record Cell(long minute, String district, String activityType, String channel, String ageBand)
            implements Comparable<Cell> {

        private static final Comparator<Cell> ORDER =
                Comparator.comparingLong(Cell::minute)
                        .thenComparing(Cell::district)
                        .thenComparing(Cell::activityType)
                        .thenComparing(Cell::channel)
                        .thenComparing(Cell::ageBand);

        @Override
        public int compareTo(Cell other) {
            return ORDER.compare(this, other);
        }
    }

    /**
     * One minute of one resource in the district of the activity, by activity type and provider (""
     * when absent), with the catalogue's kind of the resource (UNKNOWN if it is not listed).
     */
    record ResourceCell(
            long minute,
            String resourceId,
            String district,
            String activityType,
            String providerId,
            String kind)
            implements Comparable<ResourceCell> {

        private static final Comparator<ResourceCell> ORDER =
                Comparator.comparingLong(ResourceCell::minute)
                        .thenComparing(ResourceCell::resourceId)
                        .thenComparing(ResourceCell::district)
                        .thenComparing(ResourceCell::activityType)
                        .thenComparing(ResourceCell::providerId);

        @Override
        public int compareTo(ResourceCell other) {
            return ORDER.compare(this, other);
        }
    }

    /** The sums of one cell. */
    static final class Sums {
        long visits;
        final Set<String> learners = new HashSet<>();
        long seconds;
        long credits;
    }

    /** A learner who checked in at every point of a route, and when the last one came. */
    record Completion(String routeId, String learnerId, long completedAt) {}

    /** Distinct learners with each funnel step on one MOOC. */
    record Funnel(String resourceId, int enrolled, int progressed, int completed) {}

    final TreeMap<Cell, Sums> cells = new TreeMap<>();
    final TreeMap<ResourceCell, Sums> resourceCells = new TreeMap<>();
    final Set<String> campaignLearners = new HashSet<>();
    final TreeMap<String, Set<String>> campaignByDistrict = new TreeMap<>();
    final List<Completion> completions = new ArrayList<>();
    final List<Funnel> funnels = new ArrayList<>();
    long counted;

    /**
     * @param resources the catalogue as sent: a resource's kind is that of its last entry
     */
    ParticipationTruth(
            List<Message> events,
            List<WalkRoute> routes,
            List<LearningResource> resources,
            String campaign) {
        Map<String, String> kinds = new HashMap<>();
        resources.forEach(r -> kinds.put(r.getResourceId(), r.getKind().name()));
        Set<String> seen = new HashSet<>();
        List<LearningActivity> included = new ArrayList<>();
        for (Message m : events) {
            if (m.topic() != Topic.LEARNING_ACTIVITY
                    || m.malformed()
                    || m.fault().droppedAsLate()) {
                continue;
            }
            LearningActivity a = (LearningActivity) m.record();
            if (seen.add(a.getEventId().toString())) {
                included.add(a);
            }
        }
        counted = included.size();
        included.sort(
                Comparator.comparing(LearningActivity::getOccurredAt)
                        .thenComparing(a -> a.getEventId().toString()));
        for (LearningActivity a : included) {
            long t = a.getOccurredAt().toEpochMilli();
            Cell cell =
                    new Cell(
                            Math.floorDiv(t, Time.MINUTE) * Time.MINUTE,
                            a.getDistrict().name(),
                            a.getActivityType().name(),
                            a.getChannel().name(),
                            a.getAgeBand().name());
            Sums sums = cells.computeIfAbsent(cell, c -> new Sums());
            sums.visits++;
            sums.learners.add(a.getLearnerId().toString());
            sums.seconds += a.getDurationSeconds() == null ? 0 : a.getDurationSeconds();
            sums.credits += a.getCreditPoints() == null ? 0 : a.getCreditPoints();
            String resource = a.getResourceId();
            Sums resourceSums =
                    resourceCells.computeIfAbsent(
                            new ResourceCell(
                                    cell.minute(),
                                    resource,
                                    cell.district(),
                                    cell.activityType(),
                                    a.getProviderId() == null ? "" : a.getProviderId(),
                                    kinds.getOrDefault(resource, "UNKNOWN")),
                            c -> new Sums());
            resourceSums.visits++;
            resourceSums.learners.add(a.getLearnerId());
            resourceSums.seconds += a.getDurationSeconds() == null ? 0 : a.getDurationSeconds();
            if (a.getCampaign() != null && campaign.contentEquals(a.getCampaign())) {
                campaignLearners.add(a.getLearnerId().toString());
                campaignByDistrict
                        .computeIfAbsent(a.getDistrict().name(), d -> new HashSet<>())
                        .add(a.getLearnerId().toString());
            }
        }
        routeCompletions(included, routes);
        moocFunnels(included, kinds);
    }

    /** In event-time order: a route is complete at the check-in that covers its last point. */
    private void routeCompletions(List<LearningActivity> included, List<WalkRoute> routes) {
        Map<String, Set<String>> pointsOf = new HashMap<>();
        routes.forEach(
                r -> {
                    Set<String> points = new HashSet<>();
                    r.getPointIds().forEach(p -> points.add(p.toString()));
                    pointsOf.put(r.getRouteId().toString(), points);
                });
        Map<String, Set<String>> visited = new HashMap<>();
        Set<String> done = new HashSet<>();
        for (LearningActivity a : included) {
            if (a.getActivityType() != ActivityType.WALK_CHECKIN || a.getRouteId() == null) {
                continue;
            }
            String route = a.getRouteId().toString();
            Set<String> points = pointsOf.get(route);
            String point = a.getResourceId().toString();
            if (points == null || !points.contains(point)) {
                continue;
            }
            String key = route + "\u0000" + a.getLearnerId();
            Set<String> seen = visited.computeIfAbsent(key, k -> new HashSet<>());
            seen.add(point);
            if (seen.size() == points.size() && done.add(key)) {
                completions.add(
                        new Completion(
                                route,
                                a.getLearnerId().toString(),
                                a.getOccurredAt().toEpochMilli()));
            }
        }
        completions.sort(
                Comparator.comparing(Completion::routeId).thenComparing(Completion::learnerId));
    }

    /**
     * MOOCs are the resources the catalogue lists as MOOC: a course's enrolment (COURSE_ENROLL on
     * COURSE-###) is no MOOC's.
     */
    private void moocFunnels(List<LearningActivity> included, Map<String, String> kinds) {
        Map<String, List<Set<String>>> steps = new TreeMap<>();
        for (LearningActivity a : included) {
            String resource = a.getResourceId().toString();
            ActivityType type = a.getActivityType();
            if ("MOOC".equals(kinds.get(resource))) {
                List<Set<String>> sets =
                        steps.computeIfAbsent(
                                resource,
                                r -> List.of(new HashSet<>(), new HashSet<>(), new HashSet<>()));
                int step =
                        switch (type) {
                            case COURSE_ENROLL -> 0;
                            case MOOC_PROGRESS -> 1;
                            case MOOC_COMPLETE -> 2;
                            default -> -1;
                        };
                if (step >= 0) {
                    sets.get(step).add(a.getLearnerId().toString());
                }
            }
        }
        steps.forEach(
                (resource, sets) ->
                        funnels.add(
                                new Funnel(
                                        resource,
                                        sets.get(0).size(),
                                        sets.get(1).size(),
                                        sets.get(2).size())));
    }

    Map<String, Integer> campaignDistrictCounts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        campaignByDistrict.forEach((d, set) -> counts.put(d, set.size()));
        return counts;
    }
}
