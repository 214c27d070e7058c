package org.lifelongpulse.fundrisk;

import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.lifelongpulse.contracts.Topic;
import org.lifelongpulse.contracts.Validation;
import org.lifelongpulse.jobs.JobSecrets;

/** The fund-risk job's options, typed and documented; parsed once into {@link Settings}. */
public final class FundRiskOptions {

    public static final ConfigOption<String> GROUP_ID =
            ConfigOptions.key("fund-risk.kafka.group-id")
                    .stringType()
                    .defaultValue("pulse-fund-risk")
                    .withDescription(
                            "Kafka consumer group of the transactions (offsets are"
                                    + " committed on checkpoints; the checkpoint is the source of"
                                    + " truth).");

    public static final ConfigOption<Duration> OUT_OF_ORDERNESS =
            ConfigOptions.key("fund-risk.watermark.out-of-orderness")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription(
                            "How far behind the newest transaction of its Kafka partition a"
                                + " transaction may arrive. Transactions are applied in event-time"
                                + " order once the watermark passes them, so alerts come this much"
                                + " after the payment.");

    public static final ConfigOption<Duration> LIVE_HORIZON =
            ConfigOptions.key("fund-risk.watermark.live-horizon")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(5))
                    .withDescription(
                            "A transaction partition whose newest transaction arrived at most this"
                                + " long after its event time is live: while it is quiet its event"
                                + " time moves on with the wall clock, so a night-time payment is"
                                + " judged the out-of-orderness bound after it. A replay of older"
                                + " data only moves with its transactions.");

    public static final ConfigOption<Duration> REFERENCE_STARTUP =
            ConfigOptions.key("fund-risk.reference.startup")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(30))
                    .withDeprecatedKeys("fund-risk.watermark.idleness")
                    .withDescription(
                            "Before the institution and rule topics deliver their first message,"
                                + " transactions wait this long for them (a fresh job reads the"
                                + " reference data first; empty reference topics then stop holding"
                                + " transactions back).");

    public static final ConfigOption<Duration> REFERENCE_QUIET =
            ConfigOptions.key("fund-risk.reference.quiet")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(1))
                    .withDescription(
                            "Once the institution and rule topics have delivered their first"
                                + " message, this much silence means they are caught up: they stop"
                                + " holding transactions back until the next update. Before the"
                                + " first message, fund-risk.reference.startup applies.");

    public static final ConfigOption<Duration> DEDUP_RETENTION =
            ConfigOptions.key("fund-risk.dedup.retention")
                    .durationType()
                    .defaultValue(Duration.ofDays(7))
                    .withDescription(
                            "Event time for which a txn_id is remembered to drop" + " resends.");

    public static final ConfigOption<Duration> CLOSED_RETENTION =
            ConfigOptions.key("fund-risk.closed-retention")
                    .durationType()
                    .defaultValue(Duration.ofDays(60))
                    .withDescription(
                            "How long after its last transaction a CLOSED or REVOKED institution's"
                                    + " state is dropped; longer than every rule window.");

    public static final ConfigOption<String> RULES_TOPIC =
            ConfigOptions.key("fund-risk.rules.topic")
                    .stringType()
                    .defaultValue(Topic.RISK_RULES.topicName())
                    .withDescription("Compacted topic of rule settings.");

    public static final ConfigOption<String> INSTITUTIONS_TOPIC =
            ConfigOptions.key("fund-risk.institutions.topic")
                    .stringType()
                    .defaultValue(Topic.INSTITUTIONS.topicName())
                    .withDescription("Compacted topic of institution reference data.");

    public static final ConfigOption<String> ALERTS_TOPIC =
            ConfigOptions.key("fund-risk.alerts.topic")
                    .stringType()
                    .defaultValue(Topic.RISK_ALERTS.topicName())
                    .withDescription("Topic the ENFORCE alerts are published on, exactly once.");

    public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX =
            ConfigOptions.key("fund-risk.alerts.transactional-id-prefix")
                    .stringType()
                    .defaultValue("pulse-fund-risk-alerts")
                    .withDescription(
                            "Kafka transactional id prefix of the alerts sink; unique"
                                    + " per job deployment writing to the same cluster.");

    public static final ConfigOption<Duration> TRANSACTION_TIMEOUT =
            ConfigOptions.key("fund-risk.alerts.transaction-timeout")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(15))
                    .withDescription(
                            "Kafka transaction timeout of the alerts sink. Must exceed the"
                                + " checkpoint interval plus the longest restart, and not exceed"
                                + " the broker's transaction.max.timeout.ms (15 min by default).");

    private FundRiskOptions() {}

    /** The parsed options, plus the payer-hash key (from the environment only). */
    public record Settings(
            Duration outOfOrderness,
            Duration liveHorizon,
            Duration referenceStartup,
            Duration referenceQuiet,
            Duration dedupRetention,
            Duration closedRetention,
            String institutionsTopic,
            String rulesTopic,
            String alertsTopic,
            String transactionalIdPrefix,
            Duration transactionTimeout,
            String topicPrefix,
            String hashSecret)
            implements Serializable {

        @Override
        public String toString() {
            return "Settings[outOfOrderness="
                    + outOfOrderness
                    + ", liveHorizon="
                    + liveHorizon
                    + ", referenceStartup="
                    + referenceStartup
                    + ", referenceQuiet="
                    + referenceQuiet
                    + ", dedupRetention="
                    + dedupRetention
                    + ", closedRetention="
                    + closedRetention
                    + ", institutionsTopic="
                    + institutionsTopic
                    + ", rulesTopic="
                    + rulesTopic
                    + ", alertsTopic="
                    + alertsTopic
                    + ", transactionalIdPrefix="
                    + transactionalIdPrefix
                    + ", transactionTimeout="
                    + transactionTimeout
                    + ", topicPrefix="
                    + topicPrefix
                    + ", hashSecret=(hidden)]";
        }

        public Duration maxFutureSkew() {
            return Validation.DEFAULT_MAX_FUTURE_SKEW;
        }

        /** The same settings with another transactional id prefix (another deployment). */
        public Settings withTransactionalIdPrefix(String prefix) {
            return new Settings(
                    outOfOrderness,
                    liveHorizon,
                    referenceStartup,
                    referenceQuiet,
                    dedupRetention,
                    closedRetention,
                    institutionsTopic,
                    rulesTopic,
                    alertsTopic,
                    prefix,
                    transactionTimeout,
                    topicPrefix,
                    hashSecret);
        }

        /**
         * The same settings reading and writing topics under a prefix ({@code kafka.topic-prefix}):
         * the topics of the options above, and the contract topics such as the dead letters'
         * ({@link #topicPrefix()}).
         */
        public Settings withTopicPrefix(String prefix) {
            return new Settings(
                    outOfOrderness,
                    liveHorizon,
                    referenceStartup,
                    referenceQuiet,
                    dedupRetention,
                    closedRetention,
                    prefix + institutionsTopic,
                    prefix + rulesTopic,
                    prefix + alertsTopic,
                    prefix + transactionalIdPrefix,
                    transactionTimeout,
                    prefix + topicPrefix,
                    hashSecret);
        }
    }

    public static Settings settings(ReadableConfig config) {
        return new Settings(
                config.get(OUT_OF_ORDERNESS),
                config.get(LIVE_HORIZON),
                config.get(REFERENCE_STARTUP),
                config.get(REFERENCE_QUIET),
                config.get(DEDUP_RETENTION),
                config.get(CLOSED_RETENTION),
                config.get(INSTITUTIONS_TOPIC),
                config.get(RULES_TOPIC),
                config.get(ALERTS_TOPIC),
                config.get(TRANSACTIONAL_ID_PREFIX),
                config.get(TRANSACTION_TIMEOUT),
                "",
                JobSecrets.idHashSecret(config));
    }

    /** The defaults, with the payer-hash key given. */
    public static Settings defaults(String hashSecret) {
        return new Settings(
                OUT_OF_ORDERNESS.defaultValue(),
                LIVE_HORIZON.defaultValue(),
                REFERENCE_STARTUP.defaultValue(),
                REFERENCE_QUIET.defaultValue(),
                DEDUP_RETENTION.defaultValue(),
                CLOSED_RETENTION.defaultValue(),
                INSTITUTIONS_TOPIC.defaultValue(),
                RULES_TOPIC.defaultValue(),
                ALERTS_TOPIC.defaultValue(),
                TRANSACTIONAL_ID_PREFIX.defaultValue(),
                TRANSACTION_TIMEOUT.defaultValue(),
                "",
                hashSecret);
    }
}
