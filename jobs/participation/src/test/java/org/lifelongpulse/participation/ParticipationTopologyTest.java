package org.lifelongpulse.participation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lifelongpulse.admission.DroppedEvent;
import org.lifelongpulse.admission.DuplicateEvent;
import org.lifelongpulse.admission.LateEvent;
import org.lifelongpulse.avro.ActivityType;
import org.lifelongpulse.avro.AgeBand;
import org.lifelongpulse.avro.Channel;
import org.lifelongpulse.avro.DeadLetter;
import org.lifelongpulse.avro.District;
import org.lifelongpulse.avro.LearningActivity;
import org.lifelongpulse.avro.LearningResource;
import org.lifelongpulse.avro.ResourceKind;
import org.lifelongpulse.avro.WalkRoute;
import org.lifelongpulse.contracts.Topic;
import org.lifelongpulse.contracts.WireFormat;
import org.lifelongpulse.jobs.JobSecrets;
import org.lifelongpulse.participation.records.Activity;
import org.lifelongpulse.participation.records.CampaignTotalsRow;
import org.lifelongpulse.participation.records.FunnelRow;
import org.lifelongpulse.participation.records.ParticipationRow;
import org.lifelongpulse.participation.records.ResourceRow;
import org.lifelongpulse.participation.records.RouteCompletion;
import org.lifelongpulse.testkit.CollectedOutputs;
import org.lifelongpulse.testkit.MemoryTopics;
import org.lifelongpulse.testkit.TopologyRun;

/**
 * The whole production topology ({@link ParticipationJob#define}, the path of {@code
 * defineProduction}) at parallelism 2 on topics in memory: every table and topic it writes equals a
 * hand-worked case with resends, out-of-order, late and invalid messages.
 *
 * <p>The worked case. Out-of-orderness 10 s, allowed lateness 60 s, campaign {@code
 * activity-week-2020} (every event but e12). Times are minute:second after 09:00 in Shanghai on the
 * opening day (long past, so no partition is live: event time moves only with the events). A
 * partition's clock is its newest event time - 10 s - 1 ms; an event is late when its minute's end
 * + 60 s is at or behind that clock.
 *
 * <pre>
 * learning.activity.v1, partition 0              clock after
 *   o0 e1 00:10 A  G1 course-1  600 s, 2 cr      -0:00.001
 *   o1 e2 00:40 B  G1 course-1  300 s             0:29.999
 *   o2 e1 again (a resend)                        → duplicate (in time: 1:59.999 > 0:29.999)
 *   o3 bytes that are no Avro                     → dead letter, decode
 *   o4 e3 01:30 A  G1 course-1  120 s             1:19.999
 *   o5 e4 00:50 C  G1 course-1  240 s, 1 cr       out of order, in time (1:59.999 > 1:19.999)
 *   o6 e5 03:20 B  G1 course-1   60 s             3:09.999
 *   o7 e6 01:05 C  G1 course-1                    → late: 2:59.999 <= 3:09.999, by 124,999 ms
 *   o8 e13 03:25 with duration -5 s               → dead letter, validate
 * learning.activity.v1, partition 1
 *   o0 e7  00:20 D  G2 check-in P1 of route R1, 300 s
 *   o1 e8  00:30 D  G2 check-in P2 of route R1, 300 s
 *   o2 e9  00:25 E  G3 COURSE_ENROLL MOOC-1 (provider SOU), 60 s
 *   o3 e8 again (a resend)                        → duplicate (in time: 1:59.999 > 0:19.999)
 *   o4 e10 02:10 E  G4 MOOC_PROGRESS MOOC-1, 900 s, 1 cr
 *   o5 e11 02:40 A  G5 MOOC_COMPLETE MOOC-1, 1200 s, 3 cr
 *   o6 e12 02:45 F  G6 COURSE_ENROLL course-2, 300 s, no campaign
 * learning.routes.v1, partition 0: o0 R1 = [P1, P2] in HUANGPU; o1 bytes that are no Avro
 * learning.resources.v1, partition 0: course-1 and course-2 COURSE, MOOC-1 MOOC, P1 WALK_POINT,
 *   bytes that are no Avro; P2 is not listed
 *
 * G1 = XUHUI|LESSON_ATTEND|WEB|AGE_60_69, G2 = HUANGPU|WALK_CHECKIN|ONSITE|AGE_70_PLUS,
 * G3/G4 = XUHUI|COURSE_ENROLL/MOOC_PROGRESS|MOBILE_APP|AGE_35_59,
 * G5 = XUHUI|MOOC_COMPLETE|WEB|AGE_60_69, G6 = XUHUI|COURSE_ENROLL|WEB|AGE_60_69
 * </pre>
 *
 * Admitted: e1 e2 e3 e4 e5 e7 e8 e9 e10 e11 e12 (11). Per minute and group (visits, learners,
 * seconds, credits; version = visits): G1 00 = 3 (e1 e2 e4), 3, 1140, 3; G1 01 = 1, 1, 120, 0; G6
 * 02 = 1, 1, 300, 0 (e12); G1 03 = 1, 1, 60, 0; G2 00 = 2, 1 (D twice), 600, 0; G3 00 = 1, 1, 60,
 * 0; G4 02 = 1, 1, 900, 1; G5 02 = 1, 1, 1200, 3. Campaign, scope ALL (distinct, new, returning,
 * visits): 00 = 5 (A B C D E), 5, 0, 6; 01 = 5, 0, 1 (A), 1; 02 = 5, 0, 2 (E A), 2; 03 = 5, 0, 1
 * (B), 1. XUHUI: 00 = 4 (A B C E), 4, 0, 4; 01 = 4, 0, 1, 1; 02 = 4, 0, 2, 2; 03 = 4, 0, 1, 1.
 * HUANGPU: 00 = 1, 1, 0, 2. Funnel of MOOC-1: 00 = 1 enrolled; 02 = 1 enrolled, 1 progressed, 1
 * completed; course-2's enrolment (e12) is no MOOC's, so no funnel row. Route R1 completed by D at
 * 00:30 (the later of the first check-ins at P1 and P2). Resource rows carry the activity's
 * district and the catalogue's kind (version 2 x visits + 1); P2's stays UNKNOWN (version 2 x
 * visits). The catalogue and the activity race here, so rows may first be written UNKNOWN: the test
 * holds in either order (LabelResourceKindTest fixes the order).
 */
class ParticipationTopologyTest {

    @RegisterExtension static final MiniClusterExtension FLINK = TopologyRun.miniCluster();

    static final Instant OPENING = Instant.parse("2020-11-01T01:00:00Z");
    static final String ACTIVITY = Topic.LEARNING_ACTIVITY.topicName();
    static final String ROUTES = Topic.WALK_ROUTES.topicName();
    static final String CATALOGUE = Topic.LEARNING_RESOURCES.topicName();
    static final String CAMPAIGN = "activity-week-2020";

    @Test
    void theWholeTopologyWritesTheWorkedCase() throws Exception {
        MemoryTopics topics = new MemoryTopics();
        send(topics, 0, lesson("e1", 0, 10, "A", 600, 2));
        send(topics, 0, lesson("e2", 0, 40, "B", 300, null));
        send(topics, 0, lesson("e1", 0, 10, "A", 600, 2));
        topics.send(ACTIVITY, 0, "not an Avro message".getBytes(StandardCharsets.UTF_8), at(3, 0));
        send(topics, 0, lesson("e3", 1, 30, "A", 120, null));
        send(topics, 0, lesson("e4", 0, 50, "C", 240, 1));
        send(topics, 0, lesson("e5", 3, 20, "B", 60, null));
        send(topics, 0, lesson("e6", 1, 5, "C", 100, null));
        send(topics, 0, lesson("e13", 3, 25, "C", -5, null));

        send(topics, 1, checkIn("e7", 0, 20, "P1"));
        send(topics, 1, checkIn("e8", 0, 30, "P2"));
        send(
                topics,
                1,
                mooc(
                        "e9",
                        0,
                        25,
                        "E",
                        ActivityType.COURSE_ENROLL,
                        Channel.MOBILE_APP,
                        AgeBand.AGE_35_59,
                        60,
                        null));
        send(topics, 1, checkIn("e8", 0, 30, "P2"));
        send(
                topics,
                1,
                mooc(
                        "e10",
                        2,
                        10,
                        "E",
                        ActivityType.MOOC_PROGRESS,
                        Channel.MOBILE_APP,
                        AgeBand.AGE_35_59,
                        900,
                        1));
        send(
                topics,
                1,
                mooc(
                        "e11",
                        2,
                        40,
                        "A",
                        ActivityType.MOOC_COMPLETE,
                        Channel.WEB,
                        AgeBand.AGE_60_69,
                        1200,
                        3));
        LearningActivity e12 = lesson("e12", 2, 45, "F", 300, null);
        e12.setResourceId("course-2");
        e12.setActivityType(ActivityType.COURSE_ENROLL);
        e12.setCampaign(null);
        send(topics, 1, e12);

        topics.send(
                ROUTES,
                0,
                WalkRoute.newBuilder()
                        .setRouteId("R1")
                        .setName("Bund walk")
                        .setDistrict(District.HUANGPU)
                        .setPointIds(List.of("P1", "P2"))
                        .setUpdatedAt(OPENING.minusSeconds(3600))
                        .build(),
                at(0, 0));
        topics.send(ROUTES, 0, new byte[] {0, 1, 2}, at(0, 0));
        for (LearningResource entry :
                List.of(
                        resource("course-1", ResourceKind.COURSE),
                        resource("course-2", ResourceKind.COURSE),
                        resource("MOOC-1", ResourceKind.MOOC),
                        resource("P1", ResourceKind.WALK_POINT))) {
            topics.send(CATALOGUE, 0, entry, at(0, 0));
        }
        topics.send(CATALOGUE, 0, new byte[] {3, 2, 1}, at(0, 0));

        Configuration config = new Configuration();
        config.set(ParticipationOptions.OUT_OF_ORDERNESS, Duration.ofSeconds(10));
        config.set(ParticipationOptions.ALLOWED_LATENESS, Duration.ofSeconds(60));
        config.set(ParticipationOptions.CAMPAIGN, CAMPAIGN);
        CollectedOutputs out = new CollectedOutputs();
        StreamExecutionEnvironment env = TopologyRun.environment(config);
        ParticipationJob.define(
                env,
                config,
                topics,
                ParticipationSinks.to(out, ParticipationOptions.settings(config).hashSecret()));
        env.execute("participation topology");

        // learning_events: every admitted event once, learner hashed, with its position
        List<Activity> events = out.of("pulse.learning_events");
        assertThat(events)
                .extracting(a -> a.eventId() + "@" + a.sourcePartition() + "/" + a.sourceOffset())
                .containsExactlyInAnyOrder(
                        "e1@0/0", "e2@0/1", "e3@0/4", "e4@0/5", "e5@0/6", "e7@1/0", "e8@1/1",
                        "e9@1/2", "e10@1/4", "e11@1/5", "e12@1/6");
        Map<String, String> learnerOf =
                Map.of(
                        "e1", "A", "e2", "B", "e3", "A", "e4", "C", "e5", "B", "e7", "D", "e8", "D",
                        "e9", "E", "e10", "E", "e11", "A");
        for (Activity a : events) {
            assertThat(a.learnerHash())
                    .as(a.eventId())
                    .isEqualTo(hmac(learnerOf.getOrDefault(a.eventId(), "F")));
        }

        // participation_minute, as ClickHouse keeps it: the highest version of each row
        assertThat(
                        latest(
                                out.<ParticipationRow>of("pulse.participation_minute"),
                                r ->
                                        r.minute()
                                                + "|"
                                                + r.district()
                                                + "|"
                                                + r.activityType()
                                                + "|"
                                                + r.channel()
                                                + "|"
                                                + r.ageBand(),
                                ParticipationRow::version))
                .containsOnly(
                        entry(0, "XUHUI|LESSON_ATTEND|WEB|AGE_60_69", "3|3|1140|3|3"),
                        entry(1, "XUHUI|LESSON_ATTEND|WEB|AGE_60_69", "1|1|120|0|1"),
                        entry(2, "XUHUI|COURSE_ENROLL|WEB|AGE_60_69", "1|1|300|0|1"),
                        entry(3, "XUHUI|LESSON_ATTEND|WEB|AGE_60_69", "1|1|60|0|1"),
                        entry(0, "HUANGPU|WALK_CHECKIN|ONSITE|AGE_70_PLUS", "2|1|600|0|2"),
                        entry(0, "XUHUI|COURSE_ENROLL|MOBILE_APP|AGE_35_59", "1|1|60|0|1"),
                        entry(2, "XUHUI|MOOC_PROGRESS|MOBILE_APP|AGE_35_59", "1|1|900|1|1"),
                        entry(2, "XUHUI|MOOC_COMPLETE|WEB|AGE_60_69", "1|1|1200|3|1"));
        for (ParticipationRow r : out.<ParticipationRow>of("pulse.participation_minute")) {
            assertThat(r.version())
                    .as("a version counts the row's visits")
                    .isEqualTo(r.participantVisits());
        }

        // resource_minute: visits, learners, seconds, kind, version, as ClickHouse keeps it
        List<ResourceRow> resourceRows = out.of("pulse.resource_minute");
        Function<ResourceRow, String> resourceKey =
                r ->
                        r.minute()
                                + "|"
                                + r.resourceId()
                                + "|"
                                + r.district()
                                + "|"
                                + r.activityType()
                                + "|"
                                + r.providerId();
        assertThat(latest(resourceRows, resourceKey, ResourceRow::version))
                .containsOnly(
                        entry(0, "course-1|XUHUI|LESSON_ATTEND|", "3|3|1140|COURSE|7"),
                        entry(1, "course-1|XUHUI|LESSON_ATTEND|", "1|1|120|COURSE|3"),
                        entry(2, "course-2|XUHUI|COURSE_ENROLL|", "1|1|300|COURSE|3"),
                        entry(3, "course-1|XUHUI|LESSON_ATTEND|", "1|1|60|COURSE|3"),
                        entry(0, "P1|HUANGPU|WALK_CHECKIN|", "1|1|300|WALK_POINT|3"),
                        entry(0, "P2|HUANGPU|WALK_CHECKIN|", "1|1|300|UNKNOWN|2"),
                        entry(0, "MOOC-1|XUHUI|COURSE_ENROLL|SOU", "1|1|60|MOOC|3"),
                        entry(2, "MOOC-1|XUHUI|MOOC_PROGRESS|SOU", "1|1|900|MOOC|3"),
                        entry(2, "MOOC-1|XUHUI|MOOC_COMPLETE|SOU", "1|1|1200|MOOC|3"));
        // a row written UNKNOWN before its resource's entry came is written again with the kind
        for (ResourceRow unknown : resourceRows) {
            if (unknown.kind().equals("UNKNOWN") && !unknown.resourceId().equals("P2")) {
                assertThat(resourceRows)
                        .as("re-emission of %s", unknown)
                        .anySatisfy(
                                r -> {
                                    assertThat(resourceKey.apply(r))
                                            .isEqualTo(resourceKey.apply(unknown));
                                    assertThat(r.kind()).isNotEqualTo("UNKNOWN");
                                    assertThat(r.version()).isEqualTo(unknown.version() + 1);
                                });
            }
        }

        // campaign_totals_minute: each minute once, final
        assertThat(out.<CampaignTotalsRow>of("pulse.campaign_totals_minute"))
                .extracting(
                        r ->
                                r.campaign()
                                        + "|"
                                        + r.scope()
                                        + "|"
                                        + minuteOf(r.minute())
                                        + "|"
                                        + r.distinctParticipants()
                                        + "|"
                                        + r.newParticipants()
                                        + "|"
                                        + r.returningParticipants()
                                        + "|"
                                        + r.visits()
                                        + "|"
                                        + r.version())
                .containsExactlyInAnyOrder(
                        CAMPAIGN + "|ALL|0|5|5|0|6|1",
                        CAMPAIGN + "|ALL|1|5|0|1|1|1",
                        CAMPAIGN + "|ALL|2|5|0|2|2|1",
                        CAMPAIGN + "|ALL|3|5|0|1|1|1",
                        CAMPAIGN + "|XUHUI|0|4|4|0|4|1",
                        CAMPAIGN + "|XUHUI|1|4|0|1|1|1",
                        CAMPAIGN + "|XUHUI|2|4|0|2|2|1",
                        CAMPAIGN + "|XUHUI|3|4|0|1|1|1",
                        CAMPAIGN + "|HUANGPU|0|1|1|0|2|1");

        // mooc_funnel_minute
        assertThat(out.<FunnelRow>of("pulse.mooc_funnel_minute"))
                .extracting(
                        r ->
                                minuteOf(r.minute())
                                        + "|"
                                        + r.resourceId()
                                        + "|"
                                        + r.enrolled()
                                        + "|"
                                        + r.progressed()
                                        + "|"
                                        + r.completed())
                .containsExactlyInAnyOrder("0|MOOC-1|1|0|0", "2|MOOC-1|1|1|1");

        // route_completions: once, at the later first check-in
        long completedAt = at(0, 30);
        assertThat(out.<RouteCompletion>of("pulse.route_completions"))
                .containsExactly(
                        new RouteCompletion(
                                "R1",
                                hmac("D"),
                                "HUANGPU",
                                completedAt,
                                2,
                                Long.MAX_VALUE - completedAt));

        // walk_routes: the decoded route
        assertThat(out.<WalkRoute>of("pulse.walk_routes"))
                .extracting(r -> r.getRouteId() + "|" + r.getPointIds())
                .containsExactly("R1|[P1, P2]");

        // resources: the decoded catalogue
        assertThat(out.<LearningResource>of("pulse.resources"))
                .extracting(r -> r.getResourceId() + "|" + r.getKind())
                .containsExactlyInAnyOrder(
                        "course-1|COURSE", "course-2|COURSE", "MOOC-1|MOOC", "P1|WALK_POINT");

        // late_events: e6, against partition 0's clock at 03:09.999
        long clock = at(3, 20) - 10_000 - 1;
        assertThat(out.<LateEvent>of("pulse.late_events"))
                .singleElement()
                .satisfies(
                        late -> {
                            assertThat(late.job()).isEqualTo("participation");
                            assertThat(late.sourceTopic()).isEqualTo(ACTIVITY);
                            assertThat(late.eventId()).isEqualTo("e6");
                            assertThat(late.eventTime()).isEqualTo(at(1, 5));
                            assertThat(late.watermark()).isEqualTo(clock);
                            assertThat(late.latenessMs()).isEqualTo(124_999);
                        });

        // duplicate_events: the two resends, where they were read
        assertThat(out.<DuplicateEvent>of("pulse.duplicate_events"))
                .extracting(
                        d ->
                                d.job()
                                        + "|"
                                        + d.sourceTopic()
                                        + "|"
                                        + d.sourcePartition()
                                        + "|"
                                        + d.sourceOffset()
                                        + "|"
                                        + d.eventId()
                                        + "|"
                                        + d.eventTime())
                .containsExactlyInAnyOrder(
                        "participation|" + ACTIVITY + "|0|2|e1|" + at(0, 10),
                        "participation|" + ACTIVITY + "|1|3|e8|" + at(0, 30));

        // dropped_events: admission leaves nothing for an aggregation to drop
        assertThat(out.<DroppedEvent>of("pulse.dropped_events")).isEmpty();

        // dead letters, to the table and to the topic alike
        for (String where : List.of("pulse.dead_letters", Topic.DEAD_LETTERS.topicName())) {
            List<DeadLetter> letters = out.of(where);
            assertThat(letters)
                    .as(where)
                    .extracting(
                            d ->
                                    d.getSourceTopic()
                                            + "|"
                                            + d.getSourcePartition()
                                            + "|"
                                            + d.getSourceOffset()
                                            + "|"
                                            + d.getStage())
                    .containsExactlyInAnyOrder(
                            ACTIVITY + "|0|3|decode",
                            ACTIVITY + "|0|8|validate",
                            ROUTES + "|0|1|decode",
                            CATALOGUE + "|0|4|decode");
            assertThat(letters)
                    .filteredOn(d -> d.getStage().equals("validate"))
                    .singleElement()
                    .satisfies(d -> assertThat(d.getReason()).contains("duration_seconds"));
            // readable: e13 with its learner hashed as learning_events holds it; the
            // undecodable ones without a payload
            assertThat(letters)
                    .filteredOn(d -> d.getStage().equals("validate"))
                    .singleElement()
                    .satisfies(
                            d -> {
                                assertThat(d.getRedaction()).isEqualTo("IDS_HASHED");
                                LearningActivity a = decode(d);
                                assertThat(a.getEventId()).isEqualTo("e13");
                                assertThat(a.getDurationSeconds()).isEqualTo(-5);
                                assertThat(a.getLearnerId()).isEqualTo(hmac("C"));
                            });
            assertThat(letters)
                    .filteredOn(d -> d.getStage().equals("decode"))
                    .hasSize(3)
                    .allSatisfy(
                            d -> {
                                assertThat(d.getRedaction()).isEqualTo("WITHHELD");
                                assertThat(d.getRaw().remaining()).isZero();
                            });
        }
        // as received, for replay: only in the restricted store
        List<DeadLetter> restricted = out.of("pulse_restricted.dead_letters");
        assertThat(restricted)
                .extracting(
                        d -> d.getSourceTopic() + "|" + d.getSourceOffset() + "|" + d.getStage())
                .containsExactlyInAnyOrder(
                        ACTIVITY + "|3|decode",
                        ACTIVITY + "|8|validate",
                        ROUTES + "|1|decode",
                        CATALOGUE + "|4|decode");
        assertThat(restricted).allSatisfy(d -> assertThat(d.getRedaction()).isNull());
        assertThat(restricted)
                .filteredOn(d -> d.getStage().equals("validate"))
                .singleElement()
                .satisfies(d -> assertThat(decode(d).getLearnerId()).isEqualTo("C"));
        assertThat(restricted)
                .filteredOn(d -> d.getSourceTopic().equals(ACTIVITY))
                .filteredOn(d -> d.getStage().equals("decode"))
                .singleElement()
                .satisfies(
                        d ->
                                assertThat(StandardCharsets.UTF_8.decode(d.getRaw()).toString())
                                        .isEqualTo("not an Avro message"));
    }

    private static LearningActivity decode(DeadLetter letter) {
        java.nio.ByteBuffer raw = letter.getRaw().duplicate();
        byte[] bytes = new byte[raw.remaining()];
        raw.get(bytes);
        try {
            return WireFormat.of(LearningActivity.class).decode(bytes);
        } catch (java.io.IOException e) {
            throw new AssertionError("the letter's record does not decode", e);
        }
    }

    /** The highest version of each key, as "minute|key" → the rest of the row. */
    static <R> Map<String, String> latest(
            List<R> rows, Function<R, String> key, Function<R, Long> version) {
        Map<String, R> best = new HashMap<>();
        for (R row : rows) {
            best.merge(
                    key.apply(row),
                    row,
                    (a, b) -> Comparator.comparing(version).compare(a, b) >= 0 ? a : b);
        }
        Map<String, String> view = new HashMap<>();
        best.forEach((k, r) -> view.put(minuteKey(k), values(r)));
        return view;
    }

    private static String minuteKey(String key) {
        int cut = key.indexOf('|');
        return minuteOf(Long.parseLong(key.substring(0, cut))) + "|" + key.substring(cut + 1);
    }

    private static String values(Object row) {
        if (row instanceof ParticipationRow r) {
            return r.participantVisits()
                    + "|"
                    + r.uniqueLearners()
                    + "|"
                    + r.learningSeconds()
                    + "|"
                    + r.creditPoints()
                    + "|"
                    + r.version();
        }
        ResourceRow r = (ResourceRow) row;
        return r.visits()
                + "|"
                + r.uniqueLearners()
                + "|"
                + r.learningSeconds()
                + "|"
                + r.kind()
                + "|"
                + r.version();
    }

    private static Map.Entry<String, String> entry(int minute, String key, String values) {
        return Map.entry(minute + "|" + key, values);
    }

    private static long minuteOf(long epochMillis) {
        return (epochMillis - OPENING.toEpochMilli()) / 60_000;
    }

    static LearningResource resource(String id, ResourceKind kind) {
        return LearningResource.newBuilder()
                .setResourceId(id)
                .setKind(kind)
                .setName("name of " + id)
                .setDistrict(kind == ResourceKind.MOOC ? null : District.XUHUI)
                .setProvider(kind == ResourceKind.MOOC ? "SOU" : null)
                .setUpdatedAt(OPENING.minusSeconds(3600))
                .build();
    }

    static long at(int minute, int second) {
        return OPENING.plusSeconds(minute * 60L + second).toEpochMilli();
    }

    private static void send(MemoryTopics topics, int partition, LearningActivity a) {
        // the broker's timestamp: a little after the event
        topics.send(ACTIVITY, partition, a, a.getOccurredAt().toEpochMilli() + 500);
    }

    static LearningActivity lesson(
            String id, int minute, int second, String learner, int seconds, Integer credits) {
        return activity(
                id,
                minute,
                second,
                learner,
                District.XUHUI,
                AgeBand.AGE_60_69,
                Channel.WEB,
                ActivityType.LESSON_ATTEND,
                "course-1",
                seconds,
                credits);
    }

    static LearningActivity checkIn(String id, int minute, int second, String point) {
        LearningActivity a =
                activity(
                        id,
                        minute,
                        second,
                        "D",
                        District.HUANGPU,
                        AgeBand.AGE_70_PLUS,
                        Channel.ONSITE,
                        ActivityType.WALK_CHECKIN,
                        point,
                        300,
                        null);
        a.setRouteId("R1");
        return a;
    }

    static LearningActivity mooc(
            String id,
            int minute,
            int second,
            String learner,
            ActivityType type,
            Channel channel,
            AgeBand ageBand,
            int seconds,
            Integer credits) {
        LearningActivity a =
                activity(
                        id,
                        minute,
                        second,
                        learner,
                        District.XUHUI,
                        ageBand,
                        channel,
                        type,
                        "MOOC-1",
                        seconds,
                        credits);
        a.setProviderId("SOU");
        return a;
    }

    static LearningActivity activity(
            String id,
            int minute,
            int second,
            String learner,
            District district,
            AgeBand ageBand,
            Channel channel,
            ActivityType type,
            String resource,
            int seconds,
            Integer credits) {
        return LearningActivity.newBuilder()
                .setEventId(id)
                .setOccurredAt(Instant.ofEpochMilli(at(minute, second)))
                .setLearnerId(learner)
                .setDistrict(district)
                .setAgeBand(ageBand)
                .setChannel(channel)
                .setActivityType(type)
                .setResourceId(resource)
                .setCampaign(CAMPAIGN)
                .setDurationSeconds(seconds)
                .setCreditPoints(credits)
                .build();
    }

    /** The learner hash, computed here independently of the job's code. */
    static String hmac(String learnerId) {
        try {
            return hmacOrThrow(learnerId);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hmacOrThrow(String learnerId)
            throws java.security.GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(
                new SecretKeySpec(
                        JobSecrets.idHashSecret(new Configuration())
                                .getBytes(StandardCharsets.UTF_8),
                        "HmacSHA256"));
        byte[] digest = mac.doFinal(learnerId.getBytes(StandardCharsets.UTF_8));
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            hex.append(String.format("%02x", digest[i]));
        }
        return hex.toString();
    }
}
