package org.lifelongpulse.generator;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.lifelongpulse.avro.LearningActivity;
import org.lifelongpulse.avro.PrepaidTransaction;
import org.lifelongpulse.avro.Severity;
import org.lifelongpulse.contracts.Topic;

/**
 * The manifest: what the jobs must compute from a world, taken from the generator's own bookkeeping
 * (the messages as sent, with their fault marks) and never from the jobs. Its keys are stable;
 * times are ISO-8601 in Asia/Shanghai, money is in fen.
 */
public final class GroundTruth {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final List<String> PARTICIPATION_COLUMNS =
            List.of(
                    "minute",
                    "district",
                    "activity_type",
                    "channel",
                    "age_band",
                    "participant_visits",
                    "unique_learners",
                    "learning_seconds",
                    "credit_points");

    private static final List<String> RESOURCE_COLUMNS =
            List.of(
                    "minute",
                    "resource_id",
                    "district",
                    "activity_type",
                    "provider_id",
                    "kind",
                    "visits",
                    "unique_learners",
                    "learning_seconds");

    private final ObjectNode manifest;

    private GroundTruth(ObjectNode manifest) {
        this.manifest = manifest;
    }

    /** Computes the truth of a world. */
    public static GroundTruth of(World world) {
        WorldParameters p = world.parameters();
        RuleThresholds limits = RuleThresholds.defaults();
        List<Message> messages = world.messages();
        ParticipationTruth participation =
                new ParticipationTruth(messages, world.routes(), world.resources(), p.campaign());
        FundTruth fund = new FundTruth(messages, world.institutions(), p, limits);

        ObjectNode root = JSON.objectNode();
        root.put("manifest_version", 1);
        root.set("parameters", parameters(p, fund.watermarkEnd));
        ObjectNode topics = root.putObject("topics");
        for (Topic topic :
                List.of(
                        Topic.LEARNING_ACTIVITY,
                        Topic.FUND_TRANSACTIONS,
                        Topic.INSTITUTIONS,
                        Topic.WALK_ROUTES,
                        Topic.LEARNING_RESOURCES)) {
            topics.set(topic.topicName(), counts(topic, messages));
        }
        root.put(
                "late_events",
                topics.path(Topic.LEARNING_ACTIVITY.topicName()).path("too_late").asLong());
        ObjectNode rows = root.putObject("participation");
        rows.put("window", "1 minute, epoch-aligned, event time");
        rows.put("events_counted", participation.counted);
        ArrayNode columns = rows.putArray("columns");
        PARTICIPATION_COLUMNS.forEach(columns::add);
        ArrayNode data = rows.putArray("rows");
        participation.cells.forEach(
                (cell, sums) ->
                        data.addArray()
                                .add(Time.format(cell.minute()))
                                .add(cell.district())
                                .add(cell.activityType())
                                .add(cell.channel())
                                .add(cell.ageBand())
                                .add(sums.visits)
                                .add(sums.learners.size())
                                .add(sums.seconds)
                                .add(sums.credits));

        ObjectNode resourceRows = root.putObject("resource_rows");
        resourceRows.put(
                "rule",
                "per minute, resource, district of the activity, activity type and provider;"
                        + " kind from the catalogue as sent, UNKNOWN when it does not list the"
                        + " resource");
        ArrayNode resourceColumns = resourceRows.putArray("columns");
        RESOURCE_COLUMNS.forEach(resourceColumns::add);
        ArrayNode resourceData = resourceRows.putArray("rows");
        participation.resourceCells.forEach(
                (cell, sums) ->
                        resourceData
                                .addArray()
                                .add(Time.format(cell.minute()))
                                .add(cell.resourceId())
                                .add(cell.district())
                                .add(cell.activityType())
                                .add(cell.providerId())
                                .add(cell.kind())
                                .add(sums.visits)
                                .add(sums.learners.size())
                                .add(sums.seconds));

        ObjectNode campaign = root.putObject("campaign");
        campaign.put("campaign", p.campaign());
        campaign.put("unique_learners", participation.campaignLearners.size());
        ObjectNode byDistrict = campaign.putObject("unique_learners_by_district");
        participation.campaignDistrictCounts().forEach(byDistrict::put);

        ArrayNode completions = root.putArray("route_completions");
        participation.completions.forEach(
                c ->
                        completions
                                .addObject()
                                .put("route_id", c.routeId())
                                .put("learner_id", c.learnerId())
                                .put("completed_at", Time.format(c.completedAt())));
        ArrayNode funnel = root.putArray("mooc_funnel");
        participation.funnels.forEach(
                f ->
                        funnel.addObject()
                                .put("resource_id", f.resourceId())
                                .put("enrolled", f.enrolled())
                                .put("progressed", f.progressed())
                                .put("completed", f.completed()));

        ArrayNode ledgers = root.putArray("ledgers");
        ObjectNode alerts = root.putObject("alerts");
        ArrayNode mustFire = alerts.putArray("must_fire");
        ArrayNode episodes = alerts.putArray("episodes");
        ArrayNode mustNotFire = alerts.putArray("must_not_fire");
        ArrayNode ambiguous = alerts.putArray("ambiguities");
        fund.outcomes.forEach(
                (id, outcome) -> {
                    ledgers.add(ledger(id, outcome.ledger()));
                    outcome.fired()
                            .values()
                            .forEach(
                                    d -> {
                                        ObjectNode alert =
                                                mustFire.addObject()
                                                        .put("rule_id", d.rule().name())
                                                        .put("institution_id", id)
                                                        .put(
                                                                "first_detected_at",
                                                                Time.format(d.firstDetectedAt()))
                                                        .put("severity", d.severity().name());
                                        if (d.firstRedAt() != null) {
                                            alert.put("first_red_at", Time.format(d.firstRedAt()));
                                        }
                                    });
                    outcome.episodes().forEach(e -> episodes.add(episode(id, e)));
                    outcome.ambiguities().forEach(a -> ambiguous.add(id + ": " + a));
                    Scenario scenario = world.scenarios().get(id);
                    if (scenario != null) {
                        for (Scenario.NearMiss miss : scenario.nearMisses()) {
                            ObjectNode row =
                                    mustNotFire
                                            .addObject()
                                            .put("institution_id", id)
                                            .put("rule_id", miss.rule().name())
                                            .put("severity", miss.level().name());
                            Double closest = closest(outcome.closest(), miss);
                            if (closest != null) {
                                row.put("closest", Math.round(closest * 1000) / 1000.0);
                            }
                        }
                    }
                });
        ArrayNode scenarios = root.putArray("scenarios");
        world.scenarios()
                .forEach(
                        (id, s) -> {
                            ObjectNode row =
                                    scenarios
                                            .addObject()
                                            .put("institution_id", id)
                                            .put("scenario", s.name())
                                            .put("story", s.story());
                            ObjectNode expected = row.putObject("fires");
                            s.expected()
                                    .forEach(
                                            (rule, severity) ->
                                                    expected.put(rule.name(), severity.name()));
                        });
        return new GroundTruth(root);
    }

    public ObjectNode json() {
        return manifest;
    }

    /** Writes the manifest: objects indented, arrays of values on one line. */
    public void write(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        DefaultPrettyPrinter printer =
                new DefaultPrettyPrinter()
                        .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                        .withArrayIndenter(DefaultPrettyPrinter.FixedSpaceIndenter.instance);
        try (OutputStream out = Files.newOutputStream(file)) {
            new ObjectMapper().writer(printer).writeValue(out, manifest);
        }
    }

    private static ObjectNode parameters(WorldParameters p, long watermarkEnd) {
        ObjectNode node = JSON.objectNode();
        node.put("seed", p.seed());
        node.put("learners", p.learners());
        node.put("institutions", p.institutions());
        node.put("days", p.days());
        node.put("activity_start", Time.format(p.activityStartMillis()));
        node.put("activity_end", Time.format(p.activityEndMillis()));
        node.put("fund_start", Time.format(p.fundStartMillis()));
        node.put("fund_end", Time.format(p.fundEndMillis()));
        node.put("activity_events", p.activityEvents());
        node.put("campaign", p.campaign());
        node.put("watermark_bound_ms", p.watermarkBound().toMillis());
        node.put("allowed_lateness_ms", p.allowedLateness().toMillis());
        node.put("duplicate_rate", p.duplicateRate());
        node.put("out_of_order_rate", p.outOfOrderRate());
        node.put("too_late_rate", p.tooLateRate());
        node.put("malformed_rate", p.malformedRate());
        node.put("activity_partitions", p.activityPartitions());
        node.put("fund_partitions", p.fundPartitions());
        node.put(
                "fund_watermark_end",
                watermarkEnd == Long.MIN_VALUE ? null : Time.format(watermarkEnd));
        node.put(
                "rules",
                "RULES.md defaults; windows (t - w, t] trail each evaluated"
                        + " transaction; episodes: a re-trigger within 7 days of a resolution"
                        + " re-opens the alert, R5, R6, R8-R10 and R13 resolve after 24 h"
                        + " clear, incident rules never; R11 and R13 timers, quiet periods and"
                        + " the window wake-ups of R8-R10 fire up to fund_watermark_end");
        return node;
    }

    /** Message counts of one topic, from the fault marks the generator set. */
    private static ObjectNode counts(Topic topic, List<Message> messages) {
        long total = 0;
        long valid = 0;
        long duplicates = 0;
        long outOfOrder = 0;
        long tooLate = 0;
        long lateWithin = 0;
        long atEdge = 0;
        long pastEdge = 0;
        long garbage = 0;
        long invalid = 0;
        Set<String> ids = new HashSet<>();
        for (Message m : messages) {
            if (m.topic() != topic) {
                continue;
            }
            total++;
            switch (m.fault()) {
                case GARBAGE -> garbage++;
                case INVALID -> invalid++;
                default -> {
                    valid++;
                    ids.add(idOf(m.record()));
                }
            }
            duplicates += m.fault() == Fault.DUPLICATE ? 1 : 0;
            outOfOrder += m.fault() == Fault.OUT_OF_ORDER ? 1 : 0;
            tooLate += m.fault() == Fault.TOO_LATE ? 1 : 0;
            lateWithin += m.fault() == Fault.LATE_WITHIN ? 1 : 0;
            atEdge += m.fault() == Fault.AT_LATENESS_EDGE ? 1 : 0;
            pastEdge += m.fault() == Fault.PAST_LATENESS_EDGE ? 1 : 0;
        }
        ObjectNode node = JSON.objectNode();
        node.put("messages", total);
        node.put("valid_messages", valid);
        node.put("distinct_valid", ids.size());
        node.put("duplicates", duplicates);
        node.put("out_of_order", outOfOrder);
        // dropped as late: far behind, and the cases one millisecond past the lateness edge
        node.put("too_late", tooLate + pastEdge);
        node.put("late_within_lateness", lateWithin);
        node.put("at_lateness_edge", atEdge);
        node.put("past_lateness_edge", pastEdge);
        node.put("malformed", garbage + invalid);
        node.put("garbage", garbage);
        node.put("invalid", invalid);
        return node;
    }

    private static String idOf(SpecificRecord record) {
        if (record instanceof LearningActivity a) {
            return a.getEventId().toString();
        }
        if (record instanceof PrepaidTransaction t) {
            return t.getTxnId().toString();
        }
        // reference data: one key per version
        Topic topic =
                record instanceof org.lifelongpulse.avro.WalkRoute
                        ? Topic.WALK_ROUTES
                        : record instanceof org.lifelongpulse.avro.LearningResource
                                ? Topic.LEARNING_RESOURCES
                                : Topic.INSTITUTIONS;
        return topic.keyOf(record)
                + "@"
                + record.get(record.getSchema().getField("updated_at").pos());
    }

    private static ObjectNode ledger(String id, Ledger l) {
        ObjectNode node = JSON.objectNode();
        node.put("institution_id", id);
        node.put("collected_fen", l.collected());
        node.put("delivered_fen", l.delivered());
        node.put("refunded_fen", l.refunded());
        node.put("refund_pending_fen", l.refundPending());
        node.put("liability_fen", l.liability());
        node.put("escrow_fen", l.escrow());
        node.put("released_fen", l.released());
        Double coverage = l.coverage();
        if (coverage == null) {
            node.putNull("coverage");
        } else {
            node.put("coverage", Math.round(coverage * 10_000) / 10_000.0);
        }
        return node;
    }

    /** One expected alert id: its first and last detection, highest severity and final status. */
    private static ObjectNode episode(String institutionId, AlertTruth.Episode e) {
        ObjectNode node = JSON.objectNode();
        node.put("rule_id", e.rule().name());
        node.put("institution_id", institutionId);
        node.put("alert_id", e.alertId());
        node.put("first_detected_at", Time.format(e.firstDetectedAt()));
        node.put("last_detected_at", Time.format(e.lastDetectedAt()));
        node.put("severity", e.severity().name());
        node.put("status", e.status().name());
        if (e.resolvedAt() != null) {
            node.put("resolved_at", Time.format(e.resolvedAt()));
        }
        node.put("versions", e.versions());
        return node;
    }

    /** How close the near miss came, as observed / threshold at the level that must not fire. */
    private static Double closest(Map<Rule, Double> closest, Scenario.NearMiss miss) {
        Double ratio = closest.get(miss.rule());
        if (ratio == null) {
            return null;
        }
        boolean halved =
                miss.level() == Severity.RED && (miss.rule() == Rule.R5 || miss.rule() == Rule.R11);
        return halved ? ratio / 2 : ratio;
    }
}
