package org.lifelongpulse.generator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.lifelongpulse.avro.Institution;
import org.lifelongpulse.avro.LearningResource;
import org.lifelongpulse.avro.WalkRoute;
import org.lifelongpulse.contracts.Topic;

/**
 * A generated world: reference data, the event messages in send order (faults included and marked),
 * and which institutions are scripted. Everything the truth needs, nothing more.
 *
 * @param parameters what the world was generated from
 * @param institutions every reference version of every institution
 * @param routes the walk routes
 * @param resources the resource catalogue: an entry for every resource id of the activity
 * @param events learning and fund messages in arrival order
 * @param scenarios institution id to its script, for the scripted ones
 */
public record World(
        WorldParameters parameters,
        List<Institution> institutions,
        List<WalkRoute> routes,
        List<LearningResource> resources,
        List<Message> events,
        Map<String, Scenario> scenarios) {

    /**
     * Reference data first (institutions by update time, then routes, then the resource catalogue),
     * then the events.
     */
    public List<Message> messages() {
        List<Message> all =
                new ArrayList<>(
                        institutions.size() + routes.size() + resources.size() + events.size());
        institutions.stream()
                .sorted(
                        Comparator.comparing(Institution::getUpdatedAt)
                                .thenComparing(i -> i.getInstitutionId().toString()))
                .forEach(
                        i ->
                                all.add(
                                        Message.of(
                                                Topic.INSTITUTIONS,
                                                i,
                                                Fault.NONE,
                                                i.getUpdatedAt().toEpochMilli(),
                                                i.getUpdatedAt().toEpochMilli())));
        routes.forEach(
                r ->
                        all.add(
                                Message.of(
                                        Topic.WALK_ROUTES,
                                        r,
                                        Fault.NONE,
                                        r.getUpdatedAt().toEpochMilli(),
                                        r.getUpdatedAt().toEpochMilli())));
        resources.forEach(
                r ->
                        all.add(
                                Message.of(
                                        Topic.LEARNING_RESOURCES,
                                        r,
                                        Fault.NONE,
                                        r.getUpdatedAt().toEpochMilli(),
                                        r.getUpdatedAt().toEpochMilli())));
        all.addAll(events);
        return all;
    }

    /**
     * The world as far as it has arrived by {@code arrival}: the reference data and the events that
     * arrive by then. Its truth ({@link GroundTruth#of}) is the truth of what was sent.
     */
    public World arrivedBy(long arrival) {
        return new World(
                parameters,
                institutions,
                routes,
                resources,
                events.stream().filter(m -> m.arrivalMillis() <= arrival).toList(),
                scenarios);
    }
}
