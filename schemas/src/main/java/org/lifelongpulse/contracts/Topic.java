package org.lifelongpulse.contracts;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.lifelongpulse.avro.AlertAction;
import org.lifelongpulse.avro.DeadLetter;
import org.lifelongpulse.avro.Institution;
import org.lifelongpulse.avro.LearningActivity;
import org.lifelongpulse.avro.LearningResource;
import org.lifelongpulse.avro.PrepaidTransaction;
import org.lifelongpulse.avro.RiskAlert;
import org.lifelongpulse.avro.RiskRule;
import org.lifelongpulse.avro.RuleMode;
import org.lifelongpulse.avro.WalkRoute;
import org.lifelongpulse.avro.WriterSchema;

/** The Kafka topics of the pipeline: their record type, message key and clean-up policy. */
public enum Topic {
    LEARNING_ACTIVITY("learning.activity.v1", LearningActivity.class, "learner_id", false),
    FUND_TRANSACTIONS("fund.transactions.v1", PrepaidTransaction.class, "institution_id", false),
    INSTITUTIONS("fund.institutions.v1", Institution.class, "institution_id", true),
    /**
     * Every version of every institution, keyed {@code institution_id@updated_at-millis}: compacted
     * like the other reference topics, but no version shares a key with another, so compaction
     * never drops one and a replay judges old sales by the licence in force at their time (R7).
     */
    INSTITUTION_VERSIONS("fund.institution-versions.v1", Institution.class, "institution_id", true),
    WALK_ROUTES("learning.routes.v1", WalkRoute.class, "route_id", true),
    /** The resource catalogue: what each resource_id of the activity is, its name and district. */
    LEARNING_RESOURCES("learning.resources.v1", LearningResource.class, "resource_id", true),
    RISK_RULES("fund.rules.v1", RiskRule.class, "rule_id", true),
    RISK_ALERTS("fund.alerts.v1", RiskAlert.class, "alert_id", false),
    ALERT_ACTIONS("fund.alert-actions.v1", AlertAction.class, "action_id", true),
    DEAD_LETTERS("pulse.deadletters.v1", DeadLetter.class, "source_topic", false),
    /**
     * The writer schemas producers use, keyed by fingerprint ({@link WriterSchemas}): a reader that
     * meets a fingerprint it was not built with resolves it here before dead-lettering the message.
     */
    SCHEMAS("pulse.schemas.v1", WriterSchema.class, "fingerprint", true);

    private final String topicName;
    private final Class<? extends SpecificRecord> recordClass;
    private final String keyField;
    private final boolean compacted;

    Topic(
            String topicName,
            Class<? extends SpecificRecord> recordClass,
            String keyField,
            boolean compacted) {
        this.topicName = topicName;
        this.recordClass = recordClass;
        this.keyField = keyField;
        this.compacted = compacted;
    }

    /** The contract's name, as a deployment without a topic prefix uses it. */
    public String topicName() {
        return topicName;
    }

    /**
     * The name in a deployment with a topic prefix ({@code kafka.topic-prefix}, e.g. {@code
     * staging.}; empty for the contract's names). Every topic of the pipeline, the dead-letter
     * topic included, is named this way, here and nowhere else.
     */
    public String topicName(String prefix) {
        return prefix + topicName;
    }

    public Class<? extends SpecificRecord> recordClass() {
        return recordClass;
    }

    public Schema schema() {
        return Contracts.schemaOf(recordClass);
    }

    /** Reference data and rule settings keep the latest value per key. */
    public boolean compacted() {
        return compacted;
    }

    /**
     * The message key DESIGN.md prescribes. Rule settings scoped to one district are keyed {@code
     * rule_id@DISTRICT}, SHADOW settings (trials beside the enforced ones) {@code rule_id#SHADOW}
     * or {@code rule_id@DISTRICT#SHADOW}, so that compaction keeps one setting per rule, scope and
     * mode. Institution versions on the history topic are keyed {@code
     * institution_id@updated_at-millis}, so that compaction keeps every version.
     */
    public String keyOf(SpecificRecord record) {
        Object key = record.get(record.getSchema().getField(keyField).pos());
        if (this == RISK_RULES) {
            RiskRule rule = (RiskRule) record;
            String scoped =
                    rule.getDistrict() == null ? key.toString() : key + "@" + rule.getDistrict();
            return rule.getMode() == RuleMode.SHADOW ? scoped + "#SHADOW" : scoped;
        }
        if (this == INSTITUTION_VERSIONS) {
            Institution version = (Institution) record;
            return key + "@" + version.getUpdatedAt().toEpochMilli();
        }
        return key == null ? null : key.toString();
    }

    public static Optional<Topic> byName(String name) {
        return Arrays.stream(values()).filter(t -> t.topicName.equals(name)).findFirst();
    }

    /** Topic names, for messages that list what is known. */
    public static String names() {
        return Arrays.stream(values()).map(Topic::topicName).collect(Collectors.joining(", "));
    }
}
