package org.lifelongpulse.participation;

import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.OutputTag;
import org.apache.flink.util.function.SerializableFunction;
import org.lifelongpulse.adapters.kafka.ContractDeserializer;
import org.lifelongpulse.adapters.kafka.DecodeFunction;
import org.lifelongpulse.adapters.kafka.KafkaSources;
import org.lifelongpulse.adapters.kafka.RawRecord;
import org.lifelongpulse.adapters.kafka.SchemaTopic;
import org.lifelongpulse.adapters.kafka.TopicSources;
import org.lifelongpulse.admission.AdmitInTime;
import org.lifelongpulse.admission.Decoded;
import org.lifelongpulse.admission.DropResends;
import org.lifelongpulse.admission.DroppedEvent;
import org.lifelongpulse.admission.LiveWatermarks;
import org.lifelongpulse.admission.RecordDropped;
import org.lifelongpulse.avro.DeadLetter;
import org.lifelongpulse.avro.LearningActivity;
import org.lifelongpulse.avro.LearningResource;
import org.lifelongpulse.avro.WalkRoute;
import org.lifelongpulse.contracts.Topic;
import org.lifelongpulse.jobs.JobArguments;
import org.lifelongpulse.jobs.JobEnvironment;
import org.lifelongpulse.jobs.JobSecrets;
import org.lifelongpulse.jobs.KafkaOptions;
import org.lifelongpulse.participation.functions.AggregateByMinute;
import org.lifelongpulse.participation.functions.CompleteWalkRoutes;
import org.lifelongpulse.participation.functions.EmitParticipationRow;
import org.lifelongpulse.participation.functions.EmitResourceRow;
import org.lifelongpulse.participation.functions.KeepMoocFunnel;
import org.lifelongpulse.participation.functions.LabelResourceKind;
import org.lifelongpulse.participation.functions.MinuteTally;
import org.lifelongpulse.participation.functions.ResourceKinds;
import org.lifelongpulse.participation.functions.RunningDistinctByMinute;
import org.lifelongpulse.participation.functions.TallyActivities;
import org.lifelongpulse.participation.functions.ToActivity;
import org.lifelongpulse.participation.records.Activity;
import org.lifelongpulse.participation.records.CampaignTotalsRow;
import org.lifelongpulse.participation.records.DistinctScope;
import org.lifelongpulse.participation.records.DistinctToken;
import org.lifelongpulse.participation.records.FunnelRow;
import org.lifelongpulse.participation.records.MinuteDistinct;
import org.lifelongpulse.participation.records.ParticipationRow;
import org.lifelongpulse.participation.records.ParticipationVisit;
import org.lifelongpulse.participation.records.ResourceRow;
import org.lifelongpulse.participation.records.ResourceVisit;

/**
 * Live activity-week statistics: {@code learning.activity.v1} → participation tables.
 *
 * <pre>
 * activity (decoded, learner hashed, watermarked per partition in the source)
 *   → dead letters and late events out → drop resends
 *       ├→ learning_events
 *       ├→ per-minute tallies → participation_minute
 *       ├→ per-minute tallies → resource kind ─┬→ resource_minute
 *       ├→ running distinct → campaign_totals_minute
 *       ├→ running distinct → MOOCs only ──┼→ mooc_funnel_minute
 *       └→ walk check-ins ─┬→ route_completions
 * raw routes → decode ─────┘ (broadcast)   │
 * raw catalogue → decode ──────────────────┘ (broadcast) → resources
 * </pre>
 */
public final class ParticipationJob {

    public static final String NAME = "participation";

    /** Scope of campaign totals over every district. */
    public static final String ALL_DISTRICTS = "ALL";

    /** The funnel's steps, in order (their order fixes their bits in the state). */
    private static final List<String> FUNNEL_STEPS =
            List.of("COURSE_ENROLL", "MOOC_PROGRESS", "MOOC_COMPLETE");

    /** The one category of campaign totals. */
    private static final String PARTICIPANT = "participant";

    /** The uid of the per-minute participation tally, also the operator of its dropped events. */
    private static final String PARTICIPATION_MINUTE = "participation-minute-tally";

    private static final String RESOURCE_MINUTE = "resource-minute-tally";

    private static final OutputTag<ParticipationVisit> PARTICIPATION_BEHIND =
            new OutputTag<>(
                    "participation-visits-behind-watermark",
                    TypeInformation.of(ParticipationVisit.class));
    private static final OutputTag<ResourceVisit> RESOURCES_BEHIND =
            new OutputTag<>(
                    "resource-visits-behind-watermark", TypeInformation.of(ResourceVisit.class));

    private ParticipationJob() {}

    public static void main(String[] args) throws Exception {
        Configuration config = JobArguments.parse(args);
        JobSecrets.requireOrExit(NAME, config);
        StreamExecutionEnvironment env = JobEnvironment.of(config);
        defineProduction(env, config);
        env.execute(NAME);
    }

    /** The production topology on {@code env}: Kafka in; ClickHouse and Kafka out. */
    public static void defineProduction(StreamExecutionEnvironment env, ReadableConfig config) {
        define(env, config, KafkaSources.topics(config), ParticipationSinks.production(config));
    }

    /**
     * The production topology, every option read from {@code config}, on the given topics and
     * outputs: Kafka and ClickHouse in production, topics and collections in memory in tests.
     */
    public static void define(
            StreamExecutionEnvironment env,
            ReadableConfig config,
            TopicSources topics,
            ParticipationOutputs outputs) {
        ParticipationOptions.Settings settings = ParticipationOptions.settings(config);
        defineWorkflow(
                env,
                settings,
                topics.events(
                        config.get(ParticipationOptions.GROUP_ID),
                        activityDeserializer(settings, topics.schemas()),
                        KafkaOptions.topic(config, Topic.LEARNING_ACTIVITY)),
                topics.reference(KafkaOptions.topic(config, Topic.WALK_ROUTES)),
                topics.reference(KafkaOptions.topic(config, Topic.LEARNING_RESOURCES)),
                topics.schemas(),
                outputs);
    }

    /** The topology, from raw Kafka messages to the outputs. */
    public static void defineWorkflow(
            StreamExecutionEnvironment env,
            ParticipationOptions.Settings settings,
            Source<Decoded<Activity>, ?, ?> activitySource,
            Source<RawRecord, ?, ?> routeSource,
            Source<RawRecord, ?, ?> catalogueSource,
            ParticipationOutputs outputs) {
        defineWorkflow(
                env,
                settings,
                activitySource,
                routeSource,
                catalogueSource,
                SchemaTopic.none(),
                outputs);
    }

    /**
     * The topology, from raw Kafka messages to the outputs; the routes' and the catalogue's
     * decoders look writer schemas they were not built with up in {@code schemas}.
     */
    public static void defineWorkflow(
            StreamExecutionEnvironment env,
            ParticipationOptions.Settings settings,
            Source<Decoded<Activity>, ?, ?> activitySource,
            Source<RawRecord, ?, ?> routeSource,
            Source<RawRecord, ?, ?> catalogueSource,
            SchemaTopic schemas,
            ParticipationOutputs outputs) {
        Duration lateness = settings.allowedLateness();
        // Records are immutable and no function keeps or changes its input after emitting it,
        // so chained operators may hand objects on without a defensive copy.
        env.getConfig().enableObjectReuse();

        // Watermarks per Kafka partition, from the decoded event time; the same clocks judge
        // lateness in AdmitInTime.
        SingleOutputStreamOperator<Activity> inTime =
                env.fromSource(
                                activitySource,
                                new LiveWatermarks<>(
                                        settings.outOfOrderness(), settings.liveHorizon()),
                                "learning activity")
                        .uid("activity-source")
                        .transform(
                                "dead letters and late events out",
                                TypeInformation.of(Activity.class),
                                new AdmitInTime<>(
                                                Activity.class,
                                                NAME,
                                                settings.outOfOrderness(),
                                                settings.liveHorizon(),
                                                lateness)
                                        .operator())
                        .uid("admit-in-time")
                        .name("dead letters and late events out");

        SingleOutputStreamOperator<Activity> admitted =
                inTime.keyBy(new DropResends.Bucket<>(), Types.INT)
                        .process(new DropResends<>(Activity.class, NAME, settings.dedupRetention()))
                        // not "drop-resends": that uid's state was keyed by event id
                        .uid("drop-resends-by-bucket")
                        .name("drop resends");

        SingleOutputStreamOperator<WalkRoute> routes =
                env.fromSource(routeSource, WatermarkStrategy.noWatermarks(), "walk routes")
                        .uid("routes-source")
                        .process(DecodeFunction.of(WalkRoute.class, schemas))
                        .uid("decode-routes")
                        .name("decode walk routes");

        SingleOutputStreamOperator<LearningResource> catalogue =
                env.fromSource(
                                catalogueSource,
                                WatermarkStrategy.noWatermarks(),
                                "resource catalogue")
                        .uid("catalogue-source")
                        .process(DecodeFunction.of(LearningResource.class, schemas))
                        .uid("decode-catalogue")
                        .name("decode resource catalogue");
        BroadcastStream<LearningResource> kinds = catalogue.broadcast(ResourceKinds.KINDS);

        outputs.events().accept(admitted);
        outputs.routes().accept(routes);
        outputs.catalogue().accept(catalogue);

        SingleOutputStreamOperator<ParticipationRow> participation =
                admitted.map(ParticipationVisit::of)
                        .returns(ParticipationVisit.class)
                        .uid("participation-visits")
                        .name("participation visits")
                        .keyBy(ParticipationVisit::group)
                        .transform(
                                "participation per minute",
                                TypeInformation.of(ParticipationRow.class),
                                new AggregateByMinute<>(
                                                lateness,
                                                new TallyActivities<>(),
                                                TypeInformation.of(MinuteTally.class),
                                                new EmitParticipationRow(),
                                                TypeInformation.of(ParticipationRow.class),
                                                PARTICIPATION_BEHIND)
                                        .operator())
                        // not "participation-minute": that uid's state was a window operator's
                        .uid(PARTICIPATION_MINUTE)
                        .name("participation per minute");
        outputs.participation().accept(participation);

        SingleOutputStreamOperator<ResourceRow> resources =
                admitted.map(ResourceVisit::of)
                        .returns(ResourceVisit.class)
                        .uid("resource-visits")
                        .name("resource visits")
                        .keyBy(ResourceVisit::group)
                        .transform(
                                "activity per resource per minute",
                                TypeInformation.of(ResourceRow.class),
                                new AggregateByMinute<>(
                                                lateness,
                                                new TallyActivities<>(),
                                                TypeInformation.of(MinuteTally.class),
                                                new EmitResourceRow(),
                                                TypeInformation.of(ResourceRow.class),
                                                RESOURCES_BEHIND)
                                        .operator())
                        // not "resource-minute": that uid's state was a window operator's
                        .uid(RESOURCE_MINUTE)
                        .name("activity per resource per minute");
        outputs.resources()
                .accept(
                        resources
                                .keyBy(LabelResourceKind::keyOf)
                                .connect(kinds)
                                .process(new LabelResourceKind(settings.catalogueWait()))
                                .uid("resource-kinds")
                                .name("resource kind from the catalogue"));

        SingleOutputStreamOperator<MinuteDistinct> campaignTotals =
                campaignTotals(admitted, settings.campaign(), lateness);
        outputs.campaignTotals()
                .accept(
                        campaignTotals
                                .map(ParticipationJob::campaignRow)
                                .uid("campaign-rows")
                                .name("campaign rows"));

        SingleOutputStreamOperator<MinuteDistinct> funnel =
                admitted.filter(a -> FUNNEL_STEPS.contains(a.activityType()))
                        .uid("funnel-filter")
                        .name("funnel steps")
                        .map(
                                a ->
                                        new DistinctToken(
                                                new DistinctScope(a.resourceId(), ALL_DISTRICTS),
                                                a.activityType(),
                                                a.learnerHash(),
                                                a.eventTime()))
                        .returns(DistinctToken.class)
                        .uid("funnel-tokens")
                        .name("funnel tokens")
                        .keyBy(DistinctToken::scope)
                        .transform(
                                "funnel running totals",
                                TypeInformation.of(MinuteDistinct.class),
                                new RunningDistinctByMinute(lateness, FUNNEL_STEPS).operator())
                        .uid("funnel-totals")
                        .name("funnel running totals");
        outputs.funnel()
                .accept(
                        funnel.map(ParticipationJob::funnelRow)
                                .uid("funnel-rows")
                                .name("funnel rows")
                                .keyBy(KeepMoocFunnel::keyOf)
                                .connect(kinds)
                                .process(new KeepMoocFunnel(settings.catalogueWait()))
                                .uid("funnel-moocs")
                                .name("MOOCs only, from the catalogue"));

        // What any aggregation found behind its watermark: never expected (admission judges on
        // the watermarks' own clocks), recorded rather than lost.
        outputs.dropped()
                .accept(
                        dropped(
                                        participation.getSideOutput(PARTICIPATION_BEHIND),
                                        PARTICIPATION_MINUTE,
                                        v -> v.group() + "/" + v.learnerHash())
                                .union(
                                        dropped(
                                                resources.getSideOutput(RESOURCES_BEHIND),
                                                RESOURCE_MINUTE,
                                                v -> v.group() + "/" + v.learnerHash()),
                                        dropped(
                                                campaignTotals.getSideOutput(
                                                        RunningDistinctByMinute.BEHIND_WATERMARK),
                                                "campaign-totals",
                                                t -> t.scope() + "/" + t.member()),
                                        dropped(
                                                funnel.getSideOutput(
                                                        RunningDistinctByMinute.BEHIND_WATERMARK),
                                                "funnel-totals",
                                                t -> t.scope() + "/" + t.member())));

        BroadcastStream<WalkRoute> routeBroadcast = routes.broadcast(CompleteWalkRoutes.ROUTES);
        outputs.routeCompletions()
                .accept(
                        admitted.filter(
                                        a ->
                                                "WALK_CHECKIN".equals(a.activityType())
                                                        && a.routeId() != null)
                                .uid("check-in-filter")
                                .name("walk check-ins")
                                .keyBy(CompleteWalkRoutes::keyOf)
                                .connect(routeBroadcast)
                                .process(new CompleteWalkRoutes())
                                .uid("route-completions")
                                .name("route completions"));

        outputs.lateEvents().accept(inTime.getSideOutput(AdmitInTime.LATE));
        outputs.duplicates().accept(admitted.getSideOutput(DropResends.DUPLICATES));
        DataStream<DeadLetter> deadLetters =
                inTime.getSideOutput(AdmitInTime.DEAD_LETTERS)
                        .union(
                                routes.getSideOutput(DecodeFunction.DEAD_LETTERS),
                                catalogue.getSideOutput(DecodeFunction.DEAD_LETTERS));
        outputs.deadLetters().accept(deadLetters);
    }

    private static <T> DataStream<DroppedEvent> dropped(
            DataStream<T> behind, String operator, SerializableFunction<T, String> item) {
        return behind.process(new RecordDropped<>(NAME, operator, item))
                .uid(operator + "-dropped")
                .name(operator + " dropped behind watermark");
    }

    /** Decodes activities in the Kafka source, hashing the learner id at once. */
    public static ContractDeserializer<LearningActivity, Activity> activityDeserializer(
            ParticipationOptions.Settings settings) {
        return activityDeserializer(settings, SchemaTopic.none());
    }

    /**
     * Decodes activities in the Kafka source, resolving writer schemas of newer producers from the
     * schema topic ({@link Topic#SCHEMAS}).
     */
    public static ContractDeserializer<LearningActivity, Activity> activityDeserializer(
            ParticipationOptions.Settings settings, SchemaTopic schemas) {
        return new ContractDeserializer<>(
                LearningActivity.class,
                Activity.class,
                new ToActivity(settings.hashSecret()),
                settings.maxFutureSkew(),
                schemas);
    }

    static CampaignTotalsRow campaignRow(MinuteDistinct m) {
        long total = m.totals().getOrDefault(PARTICIPANT, 0L);
        return new CampaignTotalsRow(
                m.scope().name(),
                m.scope().district(),
                m.minute(),
                total,
                m.newMembers(),
                m.activeMembers() - m.newMembers(),
                m.tokens(),
                1L);
    }

    static FunnelRow funnelRow(MinuteDistinct m) {
        return new FunnelRow(
                m.minute(),
                m.scope().name(),
                m.totals().getOrDefault("COURSE_ENROLL", 0L),
                m.totals().getOrDefault("MOOC_PROGRESS", 0L),
                m.totals().getOrDefault("MOOC_COMPLETE", 0L),
                1L);
    }

    /**
     * The campaign's exact distinct participants, the whole city and each district, per minute: the
     * part of the topology whose state grows with the learners (the benchmark measures its
     * savepoint per learner on exactly this).
     *
     * @param admitted activities after admission (on time, not a resend)
     */
    public static SingleOutputStreamOperator<MinuteDistinct> campaignTotals(
            DataStream<Activity> admitted, String campaign, Duration lateness) {
        return admitted.filter(a -> campaign.equals(a.campaign()))
                .uid("campaign-filter")
                .name("campaign " + campaign)
                .flatMap(
                        (Activity a, org.apache.flink.util.Collector<DistinctToken> out) -> {
                            out.collect(
                                    new DistinctToken(
                                            new DistinctScope(campaign, ALL_DISTRICTS),
                                            PARTICIPANT,
                                            a.learnerHash(),
                                            a.eventTime()));
                            out.collect(
                                    new DistinctToken(
                                            new DistinctScope(campaign, a.district()),
                                            PARTICIPANT,
                                            a.learnerHash(),
                                            a.eventTime()));
                        })
                .returns(DistinctToken.class)
                .uid("campaign-scopes")
                .name("campaign scopes")
                .keyBy(DistinctToken::scope)
                .transform(
                        "campaign running totals",
                        TypeInformation.of(MinuteDistinct.class),
                        new RunningDistinctByMinute(lateness, List.of(PARTICIPANT)).operator())
                .uid("campaign-totals")
                .name("campaign running totals");
    }
}
