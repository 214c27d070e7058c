package org.lifelongpulse.participation;

import java.util.function.Consumer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.lifelongpulse.admission.DroppedEvent;
import org.lifelongpulse.admission.DuplicateEvent;
import org.lifelongpulse.admission.LateEvent;
import org.lifelongpulse.avro.DeadLetter;
import org.lifelongpulse.avro.LearningResource;
import org.lifelongpulse.avro.WalkRoute;
import org.lifelongpulse.participation.records.Activity;
import org.lifelongpulse.participation.records.CampaignTotalsRow;
import org.lifelongpulse.participation.records.FunnelRow;
import org.lifelongpulse.participation.records.ParticipationRow;
import org.lifelongpulse.participation.records.ResourceRow;
import org.lifelongpulse.participation.records.RouteCompletion;

/**
 * Where the participation job's results go: ClickHouse and Kafka in production ({@link
 * ParticipationSinks}), collections in tests.
 */
public record ParticipationOutputs(
        Consumer<DataStream<Activity>> events,
        Consumer<DataStream<ParticipationRow>> participation,
        Consumer<DataStream<ResourceRow>> resources,
        Consumer<DataStream<CampaignTotalsRow>> campaignTotals,
        Consumer<DataStream<FunnelRow>> funnel,
        Consumer<DataStream<RouteCompletion>> routeCompletions,
        Consumer<DataStream<WalkRoute>> routes,
        Consumer<DataStream<LearningResource>> catalogue,
        Consumer<DataStream<LateEvent>> lateEvents,
        Consumer<DataStream<DuplicateEvent>> duplicates,
        Consumer<DataStream<DroppedEvent>> dropped,
        Consumer<DataStream<DeadLetter>> deadLetters) {}
