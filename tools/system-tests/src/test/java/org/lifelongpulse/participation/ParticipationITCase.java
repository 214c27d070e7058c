package org.lifelongpulse.participation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lifelongpulse.avro.LearningResource;
import org.lifelongpulse.avro.WalkRoute;
import org.lifelongpulse.contracts.Topic;
import org.lifelongpulse.jobs.JobEnvironment;
import org.lifelongpulse.ops.kafka.KafkaTopics;
import org.lifelongpulse.stack.Endpoints;
import org.lifelongpulse.stack.LocalSecrets;
import org.lifelongpulse.stack.testing.LocalStackExtension;
import org.lifelongpulse.testutils.Flink;
import org.lifelongpulse.testutils.GeneratedWorld;
import org.lifelongpulse.testutils.Warehouse;

/**
 * End to end: a generated world with faults in a real Kafka, the participation job bounded on a
 * MiniCluster (parallelism 2), real ClickHouse; every result table equals the generator's truth.
 */
@ExtendWith(LocalStackExtension.class)
public class ParticipationITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = Flink.miniCluster(null);

    public static final String[] TABLES = {
        "participation_minute",
        "resource_minute",
        "campaign_totals_minute",
        "mooc_funnel_minute",
        "route_completions",
        "learning_events",
        "walk_routes",
        "resources",
        "dropped_events"
    };

    @Test
    void everyResultTableEqualsTheGroundTruth(Endpoints endpoints) throws Exception {
        GeneratedWorld world =
                GeneratedWorld.sendTo(endpoints.kafkaBootstrap(), GeneratedWorld.small(21));
        Warehouse warehouse = Warehouse.of(endpoints).withEmptyTables(TABLES);
        KafkaTopics.ensure(endpoints.kafkaBootstrap(), world.prefix(), 2, (short) 1);

        Configuration config = configuration(endpoints, world, warehouse, "it-participation", true);
        StreamExecutionEnvironment env = JobEnvironment.of(config);
        ParticipationJob.defineProduction(env, config);
        env.execute("participation end to end");

        assertTablesEqualTruth(warehouse, world);
    }

    /**
     * The production job's configuration for a world: its topics, the truth's watermark bound,
     * lateness and campaign, the test ClickHouse; reading as production reads (the activity from
     * {@code group}'s offsets, the routes from the earliest offset).
     */
    static Configuration configuration(
            Endpoints endpoints,
            GeneratedWorld world,
            Warehouse warehouse,
            String group,
            boolean bounded) {
        JsonNode p = world.truth().path("parameters");
        Configuration config =
                warehouse.sinkOptions(
                        Flink.jobConfiguration(
                                endpoints.kafkaBootstrap(), world.prefix(), bounded));
        config.set(ParticipationOptions.GROUP_ID, group);
        config.set(
                ParticipationOptions.OUT_OF_ORDERNESS,
                Duration.ofMillis(p.path("watermark_bound_ms").asLong()));
        config.set(
                ParticipationOptions.ALLOWED_LATENESS,
                Duration.ofMillis(p.path("allowed_lateness_ms").asLong()));
        config.set(ParticipationOptions.CAMPAIGN, p.path("campaign").asText());
        return config;
    }

    public static void assertTablesEqualTruth(Warehouse warehouse, GeneratedWorld world)
            throws Exception {
        JsonNode truth = world.truth();

        Set<String> expectedMinutes = new TreeSet<>();
        for (JsonNode row : truth.path("participation").path("rows")) {
            expectedMinutes.add(
                    epochSeconds(row.get(0).asText())
                            + "|"
                            + row.get(1).asText()
                            + "|"
                            + row.get(2).asText()
                            + "|"
                            + row.get(3).asText()
                            + "|"
                            + row.get(4).asText()
                            + "|"
                            + row.get(5).asLong()
                            + "|"
                            + row.get(6).asLong()
                            + "|"
                            + row.get(7).asLong()
                            + "|"
                            + row.get(8).asLong());
        }
        Set<String> actualMinutes =
                warehouse.rowSet(
                        "SELECT toUnixTimestamp(minute), district, activity_type, channel,"
                            + " age_band, participant_visits, unique_learners, learning_seconds,"
                            + " credit_points FROM pulse.participation_minute FINAL");
        Warehouse.assertSameRows("participation_minute", expectedMinutes, actualMinutes);

        long counted = truth.path("participation").path("events_counted").asLong();
        assertThat(warehouse.count("SELECT count() FROM pulse.learning_events FINAL"))
                .isEqualTo(counted);
        assertThat(warehouse.count("SELECT sum(visits) FROM pulse.resource_minute FINAL"))
                .isEqualTo(counted);

        // per resource and district of the activity, with the catalogue's kind: rows written
        // UNKNOWN before the catalogue came are replaced under FINAL by their re-emission
        Set<String> expectedResources = new TreeSet<>();
        for (JsonNode row : truth.path("resource_rows").path("rows")) {
            StringBuilder line = new StringBuilder().append(epochSeconds(row.get(0).asText()));
            for (int i = 1; i < row.size(); i++) {
                line.append('|').append(row.get(i).asText());
            }
            expectedResources.add(line.toString());
        }
        Set<String> actualResources =
                warehouse.rowSet(
                        "SELECT toUnixTimestamp(minute), resource_id, district, activity_type,"
                                + " provider_id, kind, visits, unique_learners, learning_seconds"
                                + " FROM pulse.resource_minute FINAL");
        Warehouse.assertSameRows("resource_minute", expectedResources, actualResources);
        assertThat(
                        warehouse.count(
                                "SELECT count() FROM pulse.resource_minute FINAL"
                                        + " WHERE kind = 'UNKNOWN'"))
                .as("the generator's catalogue lists every resource its activity names")
                .isZero();

        JsonNode campaign = truth.path("campaign");
        String name = campaign.path("campaign").asText();
        Map<String, Long> expectedTotals = new HashMap<>();
        expectedTotals.put(
                ParticipationJob.ALL_DISTRICTS, campaign.path("unique_learners").asLong());
        campaign.path("unique_learners_by_district")
                .fields()
                .forEachRemaining(e -> expectedTotals.put(e.getKey(), e.getValue().asLong()));
        Map<String, Long> actualTotals = new HashMap<>();
        warehouse
                .admin()
                .rows(
                        "SELECT scope, max(distinct_participants), sum(new_participants)"
                                + " FROM pulse.campaign_totals_minute FINAL WHERE campaign = '"
                                + name
                                + "' GROUP BY scope")
                .forEach(
                        r -> {
                            actualTotals.put(r.get(0), Long.parseLong(r.get(1)));
                            assertThat(r.get(2))
                                    .as("new participants add up to the total, " + r.get(0))
                                    .isEqualTo(r.get(1));
                        });
        assertThat(actualTotals).as("campaign distinct participants").isEqualTo(expectedTotals);

        Set<String> expectedFunnel = new TreeSet<>();
        for (JsonNode f : truth.path("mooc_funnel")) {
            expectedFunnel.add(
                    f.path("resource_id").asText()
                            + "|"
                            + f.path("enrolled").asLong()
                            + "|"
                            + f.path("progressed").asLong()
                            + "|"
                            + f.path("completed").asLong());
        }
        Set<String> actualFunnel =
                warehouse.rowSet(
                        "SELECT resource_id, argMax(enrolled, minute), argMax(progressed, minute),"
                                + " argMax(completed, minute) FROM pulse.mooc_funnel_minute FINAL"
                                + " GROUP BY resource_id");
        Warehouse.assertSameRows("MOOC funnel", expectedFunnel, actualFunnel);
        // only MOOCs: no course's enrolment (COURSE_ENROLL on COURSE-###) is in the funnel
        Set<String> moocs = new TreeSet<>();
        world.world().resources().stream()
                .filter(r -> r.getKind() == org.lifelongpulse.avro.ResourceKind.MOOC)
                .forEach(r -> moocs.add(r.getResourceId()));
        assertThat(warehouse.rowSet("SELECT DISTINCT resource_id FROM pulse.mooc_funnel_minute"))
                .as("funnel resources")
                .isNotEmpty()
                .isSubsetOf(moocs);

        Set<String> expectedCompletions = new TreeSet<>();
        for (JsonNode c : truth.path("route_completions")) {
            expectedCompletions.add(
                    c.path("route_id").asText()
                            + "|"
                            + hmac(c.path("learner_id").asText())
                            + "|"
                            + epochSeconds(c.path("completed_at").asText()));
        }
        Set<String> actualCompletions =
                warehouse.rowSet(
                        "SELECT route_id, learner_hash, toUnixTimestamp(completed_at) FROM"
                                + " pulse.route_completions FINAL");
        Warehouse.assertSameRows("route completions", expectedCompletions, actualCompletions);

        // the routes as sent (the last version of each), so that dashboards can name them
        Map<String, String> expectedRoutes = new HashMap<>();
        world.world().messages().stream()
                .filter(m -> m.topic() == Topic.WALK_ROUTES)
                .map(m -> (WalkRoute) m.record())
                .forEach(
                        r ->
                                expectedRoutes.put(
                                        r.getRouteId().toString(),
                                        r.getRouteId()
                                                + "|"
                                                + r.getName()
                                                + "|"
                                                + r.getDistrict()
                                                + "|"
                                                + String.join(",", r.getPointIds())));
        Warehouse.assertSameRows(
                "walk routes",
                new TreeSet<>(expectedRoutes.values()),
                warehouse.rowSet(
                        "SELECT route_id, name, district, arrayStringConcat(point_ids, ',') FROM"
                                + " pulse.walk_routes FINAL"));
        assertThat(expectedRoutes).isNotEmpty();

        // the catalogue as sent, so that dashboards can name resources
        Set<String> expectedCatalogue = new TreeSet<>();
        for (LearningResource r : world.world().resources()) {
            expectedCatalogue.add(
                    r.getResourceId()
                            + "|"
                            + r.getKind()
                            + "|"
                            + r.getName()
                            + "|"
                            + (r.getDistrict() == null ? "UNKNOWN" : r.getDistrict())
                            + "|"
                            + (r.getProvider() == null ? "" : r.getProvider()));
        }
        Warehouse.assertSameRows(
                "resources",
                expectedCatalogue,
                warehouse.rowSet(
                        "SELECT resource_id, kind, name, district, provider FROM"
                                + " pulse.resources FINAL"));

        JsonNode activity = world.topicTruth(Topic.LEARNING_ACTIVITY);
        String topic = world.topic(Topic.LEARNING_ACTIVITY);
        assertThat(
                        warehouse.count(
                                "SELECT count() FROM pulse.duplicate_events FINAL"
                                        + " WHERE source_topic = '"
                                        + topic
                                        + "'"))
                .as("duplicates")
                .isEqualTo(activity.path("duplicates").asLong());
        assertThat(
                        warehouse.count(
                                "SELECT count() FROM pulse.late_events FINAL"
                                        + " WHERE source_topic = '"
                                        + topic
                                        + "'"))
                .as("late events")
                .isEqualTo(truth.path("late_events").asLong());
        assertThat(
                        warehouse.count(
                                "SELECT count() FROM pulse.dead_letters FINAL"
                                        + " WHERE source_topic = '"
                                        + topic
                                        + "'"))
                .as("dead letters")
                .isEqualTo(activity.path("malformed").asLong());
        assertThat(
                        warehouse.count(
                                "SELECT count() FROM pulse.dropped_events FINAL"
                                        + " WHERE job = '"
                                        + ParticipationJob.NAME
                                        + "'"))
                .as("events an aggregation dropped behind its watermark")
                .isZero();
        assertThat(activity.path("duplicates").asLong()).isPositive();
        assertThat(truth.path("late_events").asLong()).isPositive();
        assertThat(activity.path("malformed").asLong()).isPositive();
    }

    static long epochSeconds(String iso) {
        return OffsetDateTime.parse(iso).toEpochSecond();
    }

    /** The learner hash, computed here independently of the job's code. */
    static String hmac(String learnerId) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(
                new SecretKeySpec(
                        LocalSecrets.idHashSecret().getBytes(StandardCharsets.UTF_8),
                        "HmacSHA256"));
        byte[] digest = mac.doFinal(learnerId.getBytes(StandardCharsets.UTF_8));
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            hex.append(String.format("%02x", digest[i]));
        }
        return hex.toString();
    }
}
