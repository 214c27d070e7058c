package org.lifelongpulse.generator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.lifelongpulse.avro.ActivityType;
import org.lifelongpulse.avro.AgeBand;
import org.lifelongpulse.avro.Channel;
import org.lifelongpulse.avro.LearningActivity;
import org.lifelongpulse.avro.WalkRoute;
import org.lifelongpulse.generator.LearnerPopulation.Learner;

/**
 * The learning events of the activity week, before any fault: sessions of learners (a class, a live
 * broadcast, a MOOC journey from enrolment to completion, a humanities walk along a route, a visit,
 * an event, a team meeting, a credit deposit), placed on a daily curve with an opening-day spike.
 * Events come back sorted by event time with ids in that order.
 */
final class ActivityWeek {

    private enum SessionKind {
        LESSON,
        LIVE,
        MOOC,
        WALK,
        VISIT,
        EVENT,
        TEAM,
        CREDIT,
        ENROLL
    }

    private static final Weighted<SessionKind> KIND =
            new Weighted<>(
                    List.of(SessionKind.values()), new double[] {22, 16, 8, 7, 8, 12, 10, 8, 9});

    /** The opening day draws two and a half times the crowd of an ordinary day. */
    private static final double OPENING_DAY_WEIGHT = 2.5;

    private final WorldParameters parameters;
    private final LearnerPopulation learners;
    private final List<WalkRoute> routes;
    private final SplittableRandom random;
    private final Weighted<Integer> dayOfWeek;
    private final List<Draft> drafts = new ArrayList<>();

    /** An event before it has an id, with its creation order for stable sorting. */
    private record Draft(long time, long order, LearningActivity.Builder event) {}

    ActivityWeek(
            WorldParameters parameters,
            LearnerPopulation learners,
            List<WalkRoute> routes,
            SplittableRandom random) {
        this.parameters = parameters;
        this.learners = learners;
        this.routes = routes;
        this.random = random;
        double[] weights = new double[parameters.days()];
        java.util.Arrays.fill(weights, 1.0);
        weights[0] = OPENING_DAY_WEIGHT;
        this.dayOfWeek =
                new Weighted<>(
                        java.util.stream.IntStream.range(0, parameters.days()).boxed().toList(),
                        weights);
    }

    /** Exactly {@code activityEvents} events, sorted by event time, ids in that order. */
    List<LearningActivity> events() {
        long target = parameters.activityEvents();
        while (drafts.size() < target) {
            session(target);
        }
        drafts.sort(Comparator.comparingLong(Draft::time).thenComparingLong(Draft::order));
        String tag = Seeds.tag(parameters.seed());
        List<LearningActivity> events = new ArrayList<>(drafts.size());
        for (int i = 0; i < drafts.size(); i++) {
            events.add(
                    drafts.get(i)
                            .event()
                            .setEventId(String.format("%s-a%08d", tag, i + 1))
                            .build());
        }
        drafts.clear();
        return events;
    }

    private void session(long target) {
        Learner learner = learners.pick(random);
        int day = dayOfWeek.draw(random);
        long dayStart = parameters.activityStartMillis() + day * Time.DAY;
        SessionKind kind = KIND.draw(random);
        boolean campaign = kind == SessionKind.EVENT || random.nextDouble() < 0.7;
        List<Draft> session = new ArrayList<>();
        switch (kind) {
            case LESSON -> {
                long t = at(dayStart, CityProfile.HOUR_OF_VISIT);
                boolean elder = isElder(learner) && random.nextDouble() < 0.7;
                add(
                        session,
                        t,
                        base(
                                        learner,
                                        ActivityType.LESSON_ATTEND,
                                        Channel.ONSITE,
                                        Catalogue.lessonClass(
                                                learner.district(),
                                                random.nextInt(Catalogue.CLASSES_PER_DISTRICT)))
                                .setProviderId(Catalogue.school(learner.district(), elder))
                                .setDurationSeconds(2700 + random.nextInt(2701))
                                .setCreditPoints(random.nextBoolean() ? 1 : null));
            }
            case LIVE -> {
                int slot = random.nextInt(Catalogue.LIVE_SLOTS.length);
                long t =
                        dayStart
                                + Catalogue.LIVE_SLOTS[slot] * Time.MINUTE
                                + random.nextLong(-5 * Time.MINUTE, 20 * Time.MINUTE);
                add(
                        session,
                        t,
                        base(
                                        learner,
                                        ActivityType.LIVE_CLASS_VIEW,
                                        Channel.LIVE_STREAM,
                                        Catalogue.liveClass(day, slot))
                                .setProviderId("LEARNING-CLOUD")
                                .setDurationSeconds(600 + random.nextInt(3001)));
            }
            case MOOC -> moocJourney(session, learner, at(dayStart, CityProfile.HOUR_OF_ACTIVITY));
            case WALK -> walk(session, learner, at(dayStart, CityProfile.HOUR_OF_VISIT));
            case VISIT ->
                    add(
                            session,
                            at(dayStart, CityProfile.HOUR_OF_VISIT),
                            base(
                                            learner,
                                            ActivityType.EXPERIENCE_VISIT,
                                            Channel.ONSITE,
                                            Catalogue.experienceBase(
                                                    random.nextInt(Catalogue.EXPERIENCE_BASES)))
                                    .setDurationSeconds(1800 + random.nextInt(5401))
                                    .setCreditPoints(1));
            case EVENT -> {
                boolean online = random.nextDouble() < learner.onlineAffinity() * 0.5;
                add(
                        session,
                        at(dayStart, CityProfile.HOUR_OF_ACTIVITY),
                        base(
                                        learner,
                                        ActivityType.EVENT_JOIN,
                                        online ? Channel.LIVE_STREAM : Channel.ONSITE,
                                        Catalogue.weekEvent(random.nextInt(Catalogue.WEEK_EVENTS)))
                                .setDurationSeconds(1800 + random.nextInt(3601)));
            }
            case TEAM ->
                    add(
                            session,
                            at(dayStart, CityProfile.HOUR_OF_VISIT),
                            base(
                                            learner,
                                            ActivityType.TEAM_ACTIVITY,
                                            random.nextDouble() < 0.2
                                                    ? Channel.MINI_PROGRAM
                                                    : Channel.ONSITE,
                                            Catalogue.team(random.nextInt(Catalogue.TEAMS)))
                                    .setDurationSeconds(3600 + random.nextInt(3601)));
            case CREDIT ->
                    add(
                            session,
                            at(dayStart, CityProfile.HOUR_OF_ACTIVITY),
                            base(
                                            learner,
                                            ActivityType.CREDIT_DEPOSIT,
                                            learner.preferredOnline(),
                                            Catalogue.CREDIT_BANK)
                                    .setCreditPoints(1 + random.nextInt(10)));
            case ENROLL ->
                    add(
                            session,
                            at(dayStart, CityProfile.HOUR_OF_ACTIVITY),
                            base(
                                    learner,
                                    ActivityType.COURSE_ENROLL,
                                    learner.preferredOnline(),
                                    Catalogue.course(random.nextInt(Catalogue.COURSES))));
            default -> throw new IllegalStateException("unhandled session kind " + kind);
        }
        long end = parameters.activityEndMillis();
        for (Draft draft : session) {
            if (drafts.size() >= target) {
                return;
            }
            // a journey that runs past the end of the week is cut there
            if (draft.time() < end && draft.time() >= parameters.activityStartMillis()) {
                if (campaign) {
                    draft.event().setCampaign(parameters.campaign());
                }
                drafts.add(new Draft(draft.time(), drafts.size(), draft.event()));
            }
        }
    }

    /** Enrol, then zero to five progress steps hours apart, then sometimes completion. */
    private void moocJourney(List<Draft> session, Learner learner, long t) {
        String mooc = Catalogue.mooc((int) (Catalogue.MOOCS * Math.pow(random.nextDouble(), 1.5)));
        add(
                session,
                t,
                base(learner, ActivityType.COURSE_ENROLL, learner.preferredOnline(), mooc)
                        .setProviderId(Catalogue.MOOC_PROVIDER));
        int steps = random.nextDouble() < 0.75 ? 1 + random.nextInt(5) : 0;
        for (int i = 0; i < steps; i++) {
            t += random.nextLong(3 * Time.HOUR, 30 * Time.HOUR);
            add(
                    session,
                    t,
                    base(learner, ActivityType.MOOC_PROGRESS, learner.preferredOnline(), mooc)
                            .setProviderId(Catalogue.MOOC_PROVIDER)
                            .setDurationSeconds(600 + random.nextInt(1801)));
        }
        if (steps >= 2 && random.nextDouble() < 0.4) {
            t += random.nextLong(Time.HOUR, 10 * Time.HOUR);
            add(
                    session,
                    t,
                    base(learner, ActivityType.MOOC_COMPLETE, learner.preferredOnline(), mooc)
                            .setProviderId(Catalogue.MOOC_PROVIDER)
                            .setCreditPoints(2));
        }
    }

    /** A walk checks in at the route's points in order; a little over half finish it. */
    private void walk(List<Draft> session, Learner learner, long t) {
        WalkRoute route = routes.get(random.nextInt(routes.size()));
        List<String> points = route.getPointIds();
        int walked =
                random.nextDouble() < 0.55 ? points.size() : 1 + random.nextInt(points.size() - 1);
        Channel channel = random.nextDouble() < 0.15 ? Channel.MINI_PROGRAM : Channel.ONSITE;
        for (int i = 0; i < walked; i++) {
            if (i > 0) {
                t += random.nextLong(8 * Time.MINUTE, 25 * Time.MINUTE);
            }
            add(
                    session,
                    t,
                    base(learner, ActivityType.WALK_CHECKIN, channel, points.get(i).toString())
                            .setRouteId(route.getRouteId())
                            .setDurationSeconds(300 + random.nextInt(901)));
        }
    }

    private long at(long dayStart, Weighted<Integer> hours) {
        int hour = hours.draw(random);
        // dayStart is a local midnight, so adding whole hours gives local hours
        return dayStart + hour * Time.HOUR + random.nextLong(Time.HOUR);
    }

    private static boolean isElder(Learner learner) {
        return learner.ageBand() == AgeBand.AGE_60_69 || learner.ageBand() == AgeBand.AGE_70_PLUS;
    }

    private static LearningActivity.Builder base(
            Learner learner, ActivityType type, Channel channel, String resource) {
        return LearningActivity.newBuilder()
                .setEventId("")
                .setOccurredAt(Instant.EPOCH)
                .setLearnerId(learner.id())
                .setDistrict(learner.district())
                .setAgeBand(learner.ageBand())
                .setChannel(channel)
                .setActivityType(type)
                .setResourceId(resource);
    }

    private static void add(List<Draft> session, long time, LearningActivity.Builder event) {
        event.setOccurredAt(Instant.ofEpochMilli(time));
        session.add(new Draft(time, session.size(), event));
    }
}
