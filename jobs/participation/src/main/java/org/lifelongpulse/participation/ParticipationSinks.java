package org.lifelongpulse.participation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.ReadableConfig;
import org.lifelongpulse.adapters.DeadLetterStores;
import org.lifelongpulse.adapters.Destinations;
import org.lifelongpulse.adapters.clickhouse.sink.ClickHouseSinkOptions;
import org.lifelongpulse.adapters.clickhouse.sink.ClickHouseTable;
import org.lifelongpulse.adapters.clickhouse.sink.CommonTables;
import org.lifelongpulse.avro.LearningResource;
import org.lifelongpulse.avro.WalkRoute;
import org.lifelongpulse.jobs.JobSecrets;
import org.lifelongpulse.jobs.KafkaOptions;
import org.lifelongpulse.participation.records.Activity;
import org.lifelongpulse.participation.records.CampaignTotalsRow;
import org.lifelongpulse.participation.records.FunnelRow;
import org.lifelongpulse.participation.records.ParticipationRow;
import org.lifelongpulse.participation.records.ResourceRow;
import org.lifelongpulse.participation.records.RouteCompletion;

/**
 * The participation job's production outputs: ClickHouse tables and the dead-letter topic. The
 * tables here are the job's catalogue of tables and columns; {@code ParticipationTablesTest}
 * compares it with the migrations in schemas/clickhouse.
 */
public final class ParticipationSinks {

    static final ClickHouseTable<Activity> LEARNING_EVENTS =
            new ClickHouseTable<>(
                    "pulse.learning_events",
                    List.of(
                            "event_id",
                            "occurred_at",
                            "occurred_at_epoch_ms",
                            "learner_hash",
                            "district",
                            "age_band",
                            "channel",
                            "activity_type",
                            "resource_id",
                            "route_id",
                            "provider_id",
                            "campaign",
                            "duration_seconds",
                            "credit_points",
                            "ingested_version"),
                    a ->
                            new Object[] {
                                a.eventId(),
                                Instant.ofEpochMilli(a.eventTime()),
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
                                1L
                            });

    static final ClickHouseTable<ParticipationRow> PARTICIPATION =
            new ClickHouseTable<>(
                    "pulse.participation_minute",
                    List.of(
                            "minute",
                            "district",
                            "activity_type",
                            "channel",
                            "age_band",
                            "participant_visits",
                            "unique_learners",
                            "learning_seconds",
                            "credit_points",
                            "version"),
                    r ->
                            new Object[] {
                                Instant.ofEpochMilli(r.minute()),
                                r.district(),
                                r.activityType(),
                                r.channel(),
                                r.ageBand(),
                                r.participantVisits(),
                                r.uniqueLearners(),
                                r.learningSeconds(),
                                r.creditPoints(),
                                r.version()
                            });

    static final ClickHouseTable<ResourceRow> RESOURCES =
            new ClickHouseTable<>(
                    "pulse.resource_minute",
                    List.of(
                            "minute",
                            "resource_id",
                            "district",
                            "activity_type",
                            "provider_id",
                            "kind",
                            "visits",
                            "unique_learners",
                            "learning_seconds",
                            "version"),
                    r ->
                            new Object[] {
                                Instant.ofEpochMilli(r.minute()),
                                r.resourceId(),
                                r.district(),
                                r.activityType(),
                                r.providerId(),
                                r.kind(),
                                r.visits(),
                                r.uniqueLearners(),
                                r.learningSeconds(),
                                r.version()
                            });

    static final ClickHouseTable<CampaignTotalsRow> CAMPAIGN_TOTALS =
            new ClickHouseTable<>(
                    "pulse.campaign_totals_minute",
                    List.of(
                            "campaign",
                            "scope",
                            "minute",
                            "distinct_participants",
                            "new_participants",
                            "returning_participants",
                            "visits",
                            "version"),
                    r ->
                            new Object[] {
                                r.campaign(),
                                r.scope(),
                                Instant.ofEpochMilli(r.minute()),
                                r.distinctParticipants(),
                                r.newParticipants(),
                                r.returningParticipants(),
                                r.visits(),
                                r.version()
                            });

    static final ClickHouseTable<FunnelRow> FUNNEL =
            new ClickHouseTable<>(
                    "pulse.mooc_funnel_minute",
                    List.of(
                            "minute",
                            "resource_id",
                            "enrolled",
                            "progressed",
                            "completed",
                            "version"),
                    r ->
                            new Object[] {
                                Instant.ofEpochMilli(r.minute()),
                                r.resourceId(),
                                r.enrolled(),
                                r.progressed(),
                                r.completed(),
                                r.version()
                            });

    static final ClickHouseTable<RouteCompletion> ROUTE_COMPLETIONS =
            new ClickHouseTable<>(
                    "pulse.route_completions",
                    List.of(
                            "route_id",
                            "learner_hash",
                            "district",
                            "completed_at",
                            "points",
                            "version"),
                    r ->
                            new Object[] {
                                r.routeId(),
                                r.learnerHash(),
                                r.district(),
                                Instant.ofEpochMilli(r.completedAt()),
                                r.points(),
                                r.version()
                            });

    /** The routes as broadcast to the job, so that dashboards can name them. */
    static final ClickHouseTable<WalkRoute> WALK_ROUTES =
            new ClickHouseTable<WalkRoute>(
                            "pulse.walk_routes",
                            List.of(
                                    "route_id",
                                    "name",
                                    "district",
                                    "point_ids",
                                    "updated_at",
                                    "version"),
                            r ->
                                    new Object[] {
                                        r.getRouteId(),
                                        r.getName(),
                                        r.getDistrict().name(),
                                        List.copyOf(r.getPointIds()),
                                        r.getUpdatedAt(),
                                        r.getUpdatedAt().toEpochMilli()
                                    })
                    .replacing(WalkRoute::getRouteId, r -> r.getUpdatedAt().toEpochMilli());

    /** The resource catalogue as broadcast to the job, so that dashboards can name resources. */
    static final ClickHouseTable<LearningResource> RESOURCE_CATALOGUE =
            new ClickHouseTable<LearningResource>(
                            "pulse.resources",
                            List.of(
                                    "resource_id",
                                    "kind",
                                    "name",
                                    "district",
                                    "provider",
                                    "updated_at",
                                    "version"),
                            r ->
                                    new Object[] {
                                        r.getResourceId(),
                                        r.getKind().name(),
                                        r.getName(),
                                        r.getDistrict() == null
                                                ? "UNKNOWN"
                                                : r.getDistrict().name(),
                                        r.getProvider() == null ? "" : r.getProvider(),
                                        r.getUpdatedAt(),
                                        r.getUpdatedAt().toEpochMilli()
                                    })
                    .replacing(
                            LearningResource::getResourceId, r -> r.getUpdatedAt().toEpochMilli());

    private ParticipationSinks() {}

    /**
     * Every table the job writes, its own and the common ones.
     *
     * @param deadLetterTable {@code clickhouse.sink.dead-letter-table}
     */
    static List<ClickHouseTable<?>> tables(String deadLetterTable) {
        List<ClickHouseTable<?>> tables =
                new ArrayList<>(
                        List.of(
                                LEARNING_EVENTS,
                                PARTICIPATION,
                                RESOURCES,
                                CAMPAIGN_TOTALS,
                                FUNNEL,
                                ROUTE_COMPLETIONS,
                                WALK_ROUTES,
                                RESOURCE_CATALOGUE));
        tables.addAll(CommonTables.all(deadLetterTable, ParticipationJob.NAME));
        tables.add(
                CommonTables.deadLetters(DeadLetterStores.RESTRICTED_TABLE, ParticipationJob.NAME));
        return tables;
    }

    /** The production outputs of the configuration: its ClickHouse and its Kafka. */
    public static ParticipationOutputs production(ReadableConfig config) {
        ClickHouseSinkOptions.Settings sink =
                ClickHouseSinkOptions.settings(config, ParticipationJob.NAME);
        return to(
                Destinations.production(sink, KafkaOptions.bootstrap(config)),
                sink.deadLetterTable(),
                config.get(KafkaOptions.TOPIC_PREFIX),
                JobSecrets.idHashSecret(config));
    }

    /**
     * Each output to its table or topic at {@code destinations}, under the default names.
     *
     * @param hashSecret the key of the id hashes, for the dead letters' redaction
     */
    public static ParticipationOutputs to(Destinations destinations, String hashSecret) {
        return to(
                destinations,
                ClickHouseSinkOptions.DEAD_LETTER_TABLE.defaultValue(),
                KafkaOptions.TOPIC_PREFIX.defaultValue(),
                hashSecret);
    }

    /**
     * Each output to its table or topic at {@code destinations}.
     *
     * @param deadLetterTable {@code clickhouse.sink.dead-letter-table}
     * @param topicPrefix {@code kafka.topic-prefix}: the dead-letter topic is named under it, as
     *     the topics read are
     * @param hashSecret the key of the id hashes: dead letters are stored with the ids hashed
     *     ({@link DeadLetterStores})
     */
    public static ParticipationOutputs to(
            Destinations destinations,
            String deadLetterTable,
            String topicPrefix,
            String hashSecret) {
        return new ParticipationOutputs(
                s -> destinations.table(s, LEARNING_EVENTS, "learning-events"),
                s -> destinations.table(s, PARTICIPATION, "participation-minute"),
                s -> destinations.table(s, RESOURCES, "resource-minute"),
                s -> destinations.table(s, CAMPAIGN_TOTALS, "campaign-totals"),
                s -> destinations.table(s, FUNNEL, "mooc-funnel"),
                s -> destinations.table(s, ROUTE_COMPLETIONS, "route-completions"),
                s -> destinations.table(s, WALK_ROUTES, "walk-routes"),
                s -> destinations.table(s, RESOURCE_CATALOGUE, "resources"),
                s -> destinations.table(s, CommonTables.lateEvents(), "late-events"),
                s -> destinations.table(s, CommonTables.duplicates(), "duplicates"),
                s -> destinations.table(s, CommonTables.droppedEvents(), "dropped-events"),
                s ->
                        DeadLetterStores.write(
                                destinations,
                                s,
                                deadLetterTable,
                                topicPrefix,
                                hashSecret,
                                ParticipationJob.NAME));
    }
}
