package org.lifelongpulse.generator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.lifelongpulse.avro.ActivityType;
import org.lifelongpulse.avro.Institution;
import org.lifelongpulse.avro.LearningActivity;
import org.lifelongpulse.avro.PrepaidTransaction;
import org.lifelongpulse.contracts.Topic;

/**
 * Builds a world from its parameters: the activity week's learners and events, the training
 * market's institutions and transactions, and the faults on top, merged into one arrival order.
 * Pure computation on simulated time; sending is {@link Delivery}'s job.
 */
public final class Generator {

    /** Events that feed walk completions and MOOC funnels are never sent too late. */
    private static final Set<ActivityType> NEVER_TOO_LATE =
            Set.of(
                    ActivityType.WALK_CHECKIN,
                    ActivityType.COURSE_ENROLL,
                    ActivityType.MOOC_PROGRESS,
                    ActivityType.MOOC_COMPLETE);

    private Generator() {}

    public static World build(WorldParameters parameters) {
        long seed = parameters.seed();
        Catalogue catalogue =
                new Catalogue(parameters.activityStartMillis() - 30 * Time.DAY, parameters.days());
        LearnerPopulation learners =
                new LearnerPopulation(parameters.learners(), Seeds.derive(seed, "learners"));
        List<LearningActivity> activity =
                new ActivityWeek(
                                parameters,
                                learners,
                                catalogue.routes(),
                                Seeds.derive(seed, "activity"))
                        .events();

        List<TrainingMarket.Member> members =
                new TrainingMarket(parameters, RuleThresholds.defaults()).members();
        List<PrepaidTransaction> fund = TrainingMarket.timeline(members);
        Set<String> ordinary =
                members.stream()
                        .filter(m -> m.scenario() == null)
                        .map(TrainingMarket.Member::institutionId)
                        .collect(Collectors.toSet());

        List<Message> events = new ArrayList<>();
        events.addAll(
                new FaultInjector(parameters, Seeds.derive(seed, "activity-faults"))
                        .inject(
                                Topic.LEARNING_ACTIVITY,
                                activity,
                                new FaultInjector.Eligibility(
                                        r -> true,
                                        r ->
                                                !NEVER_TOO_LATE.contains(
                                                        ((LearningActivity) r).getActivityType())),
                                parameters.activityPartitions()));
        // scripted institutions keep their order, so their first detections are unambiguous;
        // no fund event is ever too late (a late payment would leave the ledger undefined)
        events.addAll(
                new FaultInjector(parameters, Seeds.derive(seed, "fund-faults"))
                        .inject(
                                Topic.FUND_TRANSACTIONS,
                                fund,
                                new FaultInjector.Eligibility(
                                        r ->
                                                ordinary.contains(
                                                        ((PrepaidTransaction) r)
                                                                .getInstitutionId()
                                                                .toString()),
                                        r -> false),
                                parameters.fundPartitions()));
        events.sort(Comparator.comparingLong(Message::arrivalMillis));
        // in the order they are sent, each late arrival still meets the fate its mark promises
        FaultInjector.checkLateness(
                parameters, Topic.LEARNING_ACTIVITY, events, parameters.activityPartitions());

        List<Institution> institutions = new ArrayList<>();
        Map<String, Scenario> scenarios = new LinkedHashMap<>();
        for (TrainingMarket.Member m : members) {
            institutions.addAll(m.versions());
            if (m.scenario() != null) {
                scenarios.put(m.institutionId(), m.scenario());
            }
        }
        return new World(
                parameters,
                List.copyOf(institutions),
                catalogue.routes(),
                catalogue.resources(),
                events,
                scenarios);
    }
}
