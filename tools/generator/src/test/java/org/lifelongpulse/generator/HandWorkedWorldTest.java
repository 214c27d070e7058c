package org.lifelongpulse.generator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lifelongpulse.avro.ActivityType;
import org.lifelongpulse.avro.AgeBand;
import org.lifelongpulse.avro.CardKind;
import org.lifelongpulse.avro.Channel;
import org.lifelongpulse.avro.District;
import org.lifelongpulse.avro.Institution;
import org.lifelongpulse.avro.LearningActivity;
import org.lifelongpulse.avro.LearningResource;
import org.lifelongpulse.avro.LicenseStatus;
import org.lifelongpulse.avro.PrepaidTransaction;
import org.lifelongpulse.avro.ResourceKind;
import org.lifelongpulse.avro.Settlement;
import org.lifelongpulse.avro.TransactionType;
import org.lifelongpulse.avro.WalkRoute;
import org.lifelongpulse.contracts.Topic;

/**
 * A world small enough to work out by hand: four learners, one two-point walk route, a resource
 * catalogue that lists everything but the walk point P2, one institution with seven transactions,
 * and a duplicate, a too-late event and two malformed messages. Every expected number below was
 * computed by hand from the lists in this class.
 */
class HandWorkedWorldTest {

    private static final String CAMPAIGN = "activity-week-2020";

    // learning events on the opening day (local time)
    private final LearningActivity lessonL1 =
            activity(
                    "e1",
                    "09:00:10",
                    "L1",
                    District.HUANGPU,
                    AgeBand.AGE_60_69,
                    ActivityType.LESSON_ATTEND,
                    Channel.ONSITE,
                    "CLASS-1",
                    null,
                    3600,
                    1,
                    CAMPAIGN);
    private final LearningActivity lessonL4 =
            activity(
                    "e6",
                    "09:00:30",
                    "L4",
                    District.HUANGPU,
                    AgeBand.AGE_60_69,
                    ActivityType.LESSON_ATTEND,
                    Channel.ONSITE,
                    "CLASS-1",
                    null,
                    1200,
                    null,
                    CAMPAIGN);
    private final LearningActivity walkP1 =
            activity(
                    "e3",
                    "09:01:05",
                    "L1",
                    District.HUANGPU,
                    AgeBand.AGE_60_69,
                    ActivityType.WALK_CHECKIN,
                    Channel.ONSITE,
                    "P1",
                    "ROUTE-T",
                    600,
                    null,
                    CAMPAIGN);
    private final LearningActivity liveTooLate =
            activity(
                    "e7",
                    "09:05:00",
                    "L3",
                    District.PUDONG,
                    AgeBand.AGE_18_34,
                    ActivityType.LIVE_CLASS_VIEW,
                    Channel.LIVE_STREAM,
                    "AIR-1",
                    null,
                    1500,
                    null,
                    CAMPAIGN);
    private final LearningActivity walkP2 =
            activity(
                    "e4",
                    "09:15:00",
                    "L1",
                    District.HUANGPU,
                    AgeBand.AGE_60_69,
                    ActivityType.WALK_CHECKIN,
                    Channel.ONSITE,
                    "P2",
                    "ROUTE-T",
                    300,
                    null,
                    CAMPAIGN);
    private final LearningActivity enrol =
            activity(
                    "e8",
                    "09:20:00",
                    "L3",
                    District.PUDONG,
                    AgeBand.AGE_18_34,
                    ActivityType.COURSE_ENROLL,
                    Channel.MOBILE_APP,
                    "MOOC-01",
                    null,
                    null,
                    null,
                    null);
    private final LearningActivity progress =
            activity(
                    "e9",
                    "09:30:00",
                    "L3",
                    District.PUDONG,
                    AgeBand.AGE_18_34,
                    ActivityType.MOOC_PROGRESS,
                    Channel.MOBILE_APP,
                    "MOOC-01",
                    null,
                    900,
                    null,
                    null);
    // an ordinary course's enrolment: counted, but no MOOC's
    private final LearningActivity courseEnrol =
            activity(
                    "e10",
                    "09:35:00",
                    "L3",
                    District.PUDONG,
                    AgeBand.AGE_18_34,
                    ActivityType.COURSE_ENROLL,
                    Channel.MOBILE_APP,
                    "COURSE-001",
                    null,
                    null,
                    null,
                    null);
    private final LearningActivity negative =
            activity(
                    "bad-1",
                    "09:31:00",
                    "L2",
                    District.HUANGPU,
                    AgeBand.AGE_70_PLUS,
                    ActivityType.LESSON_ATTEND,
                    Channel.ONSITE,
                    "CLASS-1",
                    null,
                    -60,
                    null,
                    CAMPAIGN);

    @Test
    void manifestEqualsTheHandComputedNumbers() throws Exception {
        JsonNode truth =
                new ObjectMapper()
                        .readTree(
                                new ObjectMapper()
                                        .writeValueAsString(GroundTruth.of(world()).json()));

        JsonNode activity = truth.path("topics").path("learning.activity.v1");
        assertThat(activity.path("messages").asLong()).isEqualTo(11);
        assertThat(activity.path("valid_messages").asLong()).isEqualTo(9);
        assertThat(activity.path("distinct_valid").asLong()).isEqualTo(8);
        assertThat(activity.path("duplicates").asLong()).isEqualTo(1);
        assertThat(activity.path("too_late").asLong()).isEqualTo(1);
        assertThat(activity.path("malformed").asLong()).isEqualTo(2);
        assertThat(truth.path("late_events").asLong()).isEqualTo(1);

        // e1 and its resend, e6: one cell with two visits by two learners, 3600 + 1200 s
        assertThat(rows(truth))
                .containsExactly(
                        "2020-11-01T09:00:00+08:00 HUANGPU LESSON_ATTEND ONSITE AGE_60_69 2 2 4800"
                                + " 1",
                        "2020-11-01T09:01:00+08:00 HUANGPU WALK_CHECKIN ONSITE AGE_60_69 1 1 600 0",
                        "2020-11-01T09:15:00+08:00 HUANGPU WALK_CHECKIN ONSITE AGE_60_69 1 1 300 0",
                        "2020-11-01T09:20:00+08:00 PUDONG COURSE_ENROLL MOBILE_APP AGE_18_34 1 1 0"
                                + " 0",
                        "2020-11-01T09:30:00+08:00 PUDONG MOOC_PROGRESS MOBILE_APP AGE_18_34 1 1"
                                + " 900 0",
                        "2020-11-01T09:35:00+08:00 PUDONG COURSE_ENROLL MOBILE_APP AGE_18_34 1 1 0"
                                + " 0");

        // per resource and district of the activity, with the catalogue's kind; P2 is unlisted
        assertThat(rows(truth, "resource_rows"))
                .containsExactly(
                        "2020-11-01T09:00:00+08:00 CLASS-1 HUANGPU LESSON_ATTEND  COURSE 2 2 4800",
                        "2020-11-01T09:01:00+08:00 P1 HUANGPU WALK_CHECKIN  WALK_POINT 1 1 600",
                        "2020-11-01T09:15:00+08:00 P2 HUANGPU WALK_CHECKIN  UNKNOWN 1 1 300",
                        "2020-11-01T09:20:00+08:00 MOOC-01 PUDONG COURSE_ENROLL  MOOC 1 1 0",
                        "2020-11-01T09:30:00+08:00 MOOC-01 PUDONG MOOC_PROGRESS  MOOC 1 1 900",
                        "2020-11-01T09:35:00+08:00 COURSE-001 PUDONG COURSE_ENROLL  COURSE 1 1 0");

        // L1 and L4 in Huangpu; L3's only campaign event came too late
        assertThat(truth.path("campaign").path("unique_learners").asInt()).isEqualTo(2);
        assertThat(truth.path("campaign").path("unique_learners_by_district").toString())
                .isEqualTo("{\"HUANGPU\":2}");

        assertThat(truth.path("route_completions")).hasSize(1);
        JsonNode completion = truth.path("route_completions").get(0);
        assertThat(completion.path("route_id").asText()).isEqualTo("ROUTE-T");
        assertThat(completion.path("learner_id").asText()).isEqualTo("L1");
        assertThat(completion.path("completed_at").asText()).isEqualTo("2020-11-01T09:15:00+08:00");

        // COURSE-001's enrolment is no MOOC's
        assertThat(truth.path("mooc_funnel").toString())
                .isEqualTo(
                        "[{\"resource_id\":"
                                + "\"MOOC-01\",\"enrolled\":1,\"progressed\":1,\"completed\":0}]");

        JsonNode fund = truth.path("topics").path("fund.transactions.v1");
        assertThat(fund.path("messages").asLong()).isEqualTo(8);
        assertThat(fund.path("distinct_valid").asLong()).isEqualTo(7);
        assertThat(fund.path("duplicates").asLong()).isEqualTo(1);

        // sales 3,000 + 6,000 yuan; 100 delivered and released; 500 refunded; 200 pending
        JsonNode ledger = truth.path("ledgers").get(0);
        assertThat(ledger.path("institution_id").asText()).isEqualTo("INST-H1");
        assertThat(ledger.path("collected_fen").asLong()).isEqualTo(900_000);
        assertThat(ledger.path("delivered_fen").asLong()).isEqualTo(10_000);
        assertThat(ledger.path("refunded_fen").asLong()).isEqualTo(50_000);
        assertThat(ledger.path("refund_pending_fen").asLong()).isEqualTo(20_000);
        assertThat(ledger.path("liability_fen").asLong()).isEqualTo(840_000);
        assertThat(ledger.path("escrow_fen").asLong()).isEqualTo(290_000);
        assertThat(ledger.path("released_fen").asLong()).isEqualTo(10_000);
        assertThat(ledger.path("coverage").asDouble()).isEqualTo(0.3452);

        // the 6,000-yuan cash sale at 11:00: over the charge limit, over the registered card
        // cap, and outside supervision (6,000 < 10,000 in 30 days, so only YELLOW); escrow
        // 3,000 covers 33.3 % of the 9,000 owed then (R5 RED: RULES.md has no liability floor),
        // and no timer is reached by the watermark
        assertThat(alerts(truth))
                .containsExactly(
                        "R2 INST-H1 2020-10-01T11:00:00+08:00 RED",
                        "R3 INST-H1 2020-10-01T11:00:00+08:00 YELLOW",
                        "R4 INST-H1 2020-10-01T11:00:00+08:00 YELLOW",
                        "R5 INST-H1 2020-10-01T11:00:00+08:00 RED");
        assertThat(truth.path("parameters").path("fund_watermark_end").asText())
                .isEqualTo("2020-10-01T15:59:50+08:00");
    }

    private World world() {
        long arrivalOfLate = at("2020-11-01T09:40:00");
        List<Message> events = new ArrayList<>();
        events.addAll(
                List.of(
                        on(lessonL1, Fault.NONE),
                        new Message(
                                Topic.LEARNING_ACTIVITY,
                                "L1",
                                lessonL1,
                                null,
                                Fault.DUPLICATE,
                                time(lessonL1),
                                time(lessonL1) + 2_000),
                        on(lessonL4, Fault.NONE),
                        on(walkP1, Fault.NONE),
                        new Message(
                                Topic.LEARNING_ACTIVITY,
                                "L2",
                                null,
                                new byte[] {1, 2, 3, 4},
                                Fault.GARBAGE,
                                at("2020-11-01T09:10:00"),
                                at("2020-11-01T09:10:00")),
                        on(walkP2, Fault.NONE),
                        on(enrol, Fault.NONE),
                        on(progress, Fault.NONE),
                        on(courseEnrol, Fault.NONE),
                        on(negative, Fault.INVALID),
                        new Message(
                                Topic.LEARNING_ACTIVITY,
                                "L3",
                                liveTooLate,
                                null,
                                Fault.TOO_LATE,
                                time(liveTooLate),
                                arrivalOfLate)));

        PrepaidTransaction paid =
                txn(
                        "f6",
                        "15:00",
                        TransactionType.REFUND_PAID,
                        50_000,
                        "C1",
                        null,
                        null,
                        null,
                        "f5");
        for (PrepaidTransaction t :
                List.of(
                        txn(
                                "f1",
                                "10:00",
                                TransactionType.CARD_SALE,
                                300_000,
                                "C1",
                                Settlement.SUPERVISED_ACCOUNT,
                                30,
                                60,
                                null),
                        txn(
                                "f2",
                                "11:00",
                                TransactionType.CARD_SALE,
                                600_000,
                                "C2",
                                Settlement.CASH,
                                40,
                                60,
                                null),
                        txn(
                                "f3",
                                "12:00",
                                TransactionType.CONSUMPTION,
                                10_000,
                                "C1",
                                null,
                                2,
                                null,
                                null),
                        txn(
                                "f4",
                                "13:00",
                                TransactionType.ESCROW_RELEASE,
                                10_000,
                                null,
                                null,
                                null,
                                null,
                                null),
                        txn(
                                "f5",
                                "14:00",
                                TransactionType.REFUND_REQUEST,
                                50_000,
                                "C1",
                                null,
                                null,
                                null,
                                null),
                        paid,
                        txn(
                                "f7",
                                "16:00",
                                TransactionType.REFUND_REQUEST,
                                20_000,
                                "C2",
                                null,
                                null,
                                null,
                                null))) {
            events.add(Message.of(Topic.FUND_TRANSACTIONS, t, Fault.NONE, time(t), time(t)));
        }
        events.add(
                Message.of(
                        Topic.FUND_TRANSACTIONS,
                        paid,
                        Fault.DUPLICATE,
                        time(paid),
                        time(paid) + 3_000));
        events.sort(java.util.Comparator.comparingLong(Message::arrivalMillis));

        Institution institution =
                Institution.newBuilder()
                        .setInstitutionId("INST-H1")
                        .setName("Hand-worked Arts Centre")
                        .setDistrict(District.HUANGPU)
                        .setCategory("arts")
                        .setLicenseStatus(LicenseStatus.ACTIVE)
                        .setUpdatedAt(Instant.ofEpochMilli(at("2020-09-01T00:00:00")))
                        .build();
        WalkRoute route =
                WalkRoute.newBuilder()
                        .setRouteId("ROUTE-T")
                        .setName("Test walk")
                        .setDistrict(District.HUANGPU)
                        .setPointIds(List.of("P1", "P2"))
                        .setUpdatedAt(Instant.ofEpochMilli(at("2020-10-01T00:00:00")))
                        .build();
        WorldParameters parameters = WorldParameters.defaults(7);
        Instant listed = Instant.ofEpochMilli(at("2020-10-01T00:00:00"));
        List<LearningResource> catalogue = new ArrayList<>();
        for (String[] entry :
                new String[][] {
                    {"CLASS-1", "COURSE"},
                    {"P1", "WALK_POINT"},
                    {"MOOC-01", "MOOC"},
                    {"COURSE-001", "COURSE"},
                    {"AIR-1", "LIVE_CLASS"}
                }) {
            catalogue.add(
                    LearningResource.newBuilder()
                            .setResourceId(entry[0])
                            .setKind(ResourceKind.valueOf(entry[1]))
                            .setName("Resource " + entry[0])
                            .setUpdatedAt(listed)
                            .build());
        }
        return new World(
                parameters, List.of(institution), List.of(route), catalogue, events, Map.of());
    }

    private static List<String> rows(JsonNode truth) {
        return rows(truth, "participation");
    }

    private static List<String> rows(JsonNode truth, String section) {
        List<String> rows = new ArrayList<>();
        truth.path(section)
                .path("rows")
                .forEach(
                        row -> {
                            List<String> cells = new ArrayList<>();
                            row.forEach(cell -> cells.add(cell.asText()));
                            rows.add(String.join(" ", cells));
                        });
        return rows;
    }

    private static List<String> alerts(JsonNode truth) {
        List<String> alerts = new ArrayList<>();
        truth.path("alerts")
                .path("must_fire")
                .forEach(
                        a ->
                                alerts.add(
                                        a.path("rule_id").asText()
                                                + " "
                                                + a.path("institution_id").asText()
                                                + " "
                                                + a.path("first_detected_at").asText()
                                                + " "
                                                + a.path("severity").asText()));
        return alerts;
    }

    private static Message on(LearningActivity a, Fault fault) {
        return Message.of(Topic.LEARNING_ACTIVITY, a, fault, time(a), time(a));
    }

    private static long time(LearningActivity a) {
        return a.getOccurredAt().toEpochMilli();
    }

    private static long time(PrepaidTransaction t) {
        return t.getOccurredAt().toEpochMilli();
    }

    private static long at(String localDateTime) {
        return OffsetDateTime.parse(localDateTime + "+08:00").toInstant().toEpochMilli();
    }

    private static LearningActivity activity(
            String id,
            String time,
            String learner,
            District district,
            AgeBand band,
            ActivityType type,
            Channel channel,
            String resource,
            String route,
            Integer seconds,
            Integer credits,
            String campaign) {
        return LearningActivity.newBuilder()
                .setEventId(id)
                .setOccurredAt(Instant.ofEpochMilli(at("2020-11-01T" + time)))
                .setLearnerId(learner)
                .setDistrict(district)
                .setAgeBand(band)
                .setChannel(channel)
                .setActivityType(type)
                .setResourceId(resource)
                .setRouteId(route)
                .setDurationSeconds(seconds)
                .setCreditPoints(credits)
                .setCampaign(campaign)
                .build();
    }

    private static PrepaidTransaction txn(
            String id,
            String time,
            TransactionType type,
            long fen,
            String card,
            Settlement settlement,
            Integer hours,
            Integer days,
            String requestId) {
        return PrepaidTransaction.newBuilder()
                .setTxnId(id)
                .setOccurredAt(Instant.ofEpochMilli(at("2020-10-01T" + time + ":00")))
                .setInstitutionId("INST-H1")
                .setType(type)
                .setAmountFen(fen)
                .setCardId(card)
                .setPayerId(card == null ? null : "payer-" + card)
                .setCardKind(card == null ? null : CardKind.REGISTERED)
                .setSettlement(settlement)
                .setClassHours(hours)
                .setCoveredDays(days)
                .setRefundRequestId(requestId)
                .build();
    }
}
