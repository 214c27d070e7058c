package org.lifelongpulse.participation;

import java.time.Instant;
import org.lifelongpulse.participation.records.Activity;

/** Test activities at named instants of the activity week's opening morning. */
public final class Activities {

    /** 09:00:00 in Shanghai on the opening day; the start of a minute. */
    public static final Instant OPENING = Instant.parse("2020-11-01T01:00:00Z");

    private Activities() {}

    public static long at(int minute, int second) {
        return OPENING.plusSeconds(minute * 60L + second).toEpochMilli();
    }

    public static Activity activity(String id, long eventTime, String learner) {
        return new Activity(
                id,
                eventTime,
                learner,
                "XUHUI",
                "AGE_60_69",
                "WEB",
                "LESSON_ATTEND",
                "course-1",
                null,
                null,
                "activity-week-2020",
                600,
                null,
                "learning.activity.v1",
                0,
                0L);
    }

    public static Activity onPartition(Activity a, int partition, long offset) {
        return new Activity(
                a.eventId(),
                a.eventTime(),
                a.learnerHash(),
                a.district(),
                a.ageBand(),
                a.channel(),
                a.activityType(),
                a.resourceId(),
                a.routeId(),
                a.providerId(),
                a.campaign(),
                a.durationSeconds(),
                a.creditPoints(),
                a.sourceTopic(),
                partition,
                offset);
    }

    public static Activity checkIn(
            String id, long eventTime, String learner, String route, String point) {
        return new Activity(
                id,
                eventTime,
                learner,
                "HUANGPU",
                "AGE_70_PLUS",
                "ONSITE",
                "WALK_CHECKIN",
                point,
                route,
                null,
                "activity-week-2020",
                300,
                null,
                "learning.activity.v1",
                0,
                0L);
    }

    /** {@code a} with the id hash it carries forced to {@code hash} (its bucket follows). */
    public static Activity withIdHash(Activity a, long hash) {
        return new Activity(
                a.eventId(),
                a.eventTime(),
                a.learnerHash(),
                a.district(),
                a.ageBand(),
                a.channel(),
                a.activityType(),
                a.resourceId(),
                a.routeId(),
                a.providerId(),
                a.campaign(),
                a.durationSeconds(),
                a.creditPoints(),
                a.sourceTopic(),
                a.sourcePartition(),
                a.sourceOffset(),
                hash);
    }
}
