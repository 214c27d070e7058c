package org.lifelongpulse.fundrisk;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.lifelongpulse.adapters.kafka.ContractDeserializer;
import org.lifelongpulse.adapters.kafka.DecodeFunction;
import org.lifelongpulse.adapters.kafka.KafkaSources;
import org.lifelongpulse.adapters.kafka.RawRecord;
import org.lifelongpulse.adapters.kafka.SchemaTopic;
import org.lifelongpulse.adapters.kafka.TopicSources;
import org.lifelongpulse.admission.AdmitInTime;
import org.lifelongpulse.admission.Decoded;
import org.lifelongpulse.admission.DropResends;
import org.lifelongpulse.admission.LiveWatermarks;
import org.lifelongpulse.avro.AlertAction;
import org.lifelongpulse.avro.Institution;
import org.lifelongpulse.avro.PrepaidTransaction;
import org.lifelongpulse.contracts.Topic;
import org.lifelongpulse.fundrisk.functions.AssessInstitutions;
import org.lifelongpulse.fundrisk.functions.DecodeReference;
import org.lifelongpulse.fundrisk.functions.ReferenceWakeUps;
import org.lifelongpulse.fundrisk.functions.ReferenceWatermarks;
import org.lifelongpulse.fundrisk.functions.ToFundTransaction;
import org.lifelongpulse.fundrisk.records.AlertRow;
import org.lifelongpulse.fundrisk.records.FundTransaction;
import org.lifelongpulse.fundrisk.records.InstitutionInput;
import org.lifelongpulse.fundrisk.records.ReferenceUpdate;
import org.lifelongpulse.jobs.JobArguments;
import org.lifelongpulse.jobs.JobEnvironment;
import org.lifelongpulse.jobs.JobSecrets;
import org.lifelongpulse.jobs.KafkaOptions;

/**
 * Supervision of training institutions' prepaid fees: {@code fund.transactions.v1} → ledgers, risk
 * alerts and risk scores.
 *
 * <pre>
 * transactions (decoded, payer hashed, watermarked per partition in the source)
 *   → dead letters out → drop resends ─┬→ fund_transactions
 *                                      └→ keyBy institution ─┐
 * institutions + rule settings + supervisors' actions
 *   → decode → watermark ─┬─ broadcast ────────┴→ ledger and rules R1–R13 (enforced and trials)
 *        │                └→ rule changes, closes ─┘  → risk_alerts, alert_versions,
 *        ├→ institutions                                fund.alerts.v1 (exactly once, ENFORCE)
 *        └→ alert_actions                             → institution_ledger(_minute), institution_risk
 * </pre>
 *
 * <p>The broadcast side carries event time too (a version's {@code updated_at}), so that
 * transactions are not judged before the reference data of their time has been read; once the
 * reference topics have caught up ({@code fund-risk.reference.quiet} of silence) they go idle and
 * stop holding the watermark back.
 */
public final class FundRiskJob {

    public static final String NAME = "fund-risk";

    private FundRiskJob() {}

    public static void main(String[] args) throws Exception {
        Configuration config = JobArguments.parse(args);
        JobSecrets.requireOrExit(NAME, config);
        StreamExecutionEnvironment env = JobEnvironment.of(config);
        defineProduction(env, config);
        env.execute(NAME);
    }

    /** The production topology on {@code env}: Kafka in; ClickHouse and Kafka out. */
    public static void defineProduction(StreamExecutionEnvironment env, ReadableConfig config) {
        define(env, config, KafkaSources.topics(config), FundRiskSinks.production(config));
    }

    /**
     * The production topology, every option read from {@code config}, on the given topics and
     * outputs: Kafka and ClickHouse in production, topics and collections in memory in tests.
     */
    public static void define(
            StreamExecutionEnvironment env,
            ReadableConfig config,
            TopicSources topics,
            FundRiskOutputs outputs) {
        FundRiskOptions.Settings settings = settings(config);
        defineWorkflow(
                env,
                settings,
                topics.events(
                        config.get(FundRiskOptions.GROUP_ID),
                        transactionDeserializer(settings, topics.schemas()),
                        KafkaOptions.topic(config, Topic.FUND_TRANSACTIONS)),
                // Institutions and rule settings, always from the earliest offset: they are
                // compacted state, and a committed group offset would skip what a fresh start
                // needs (after a restore, the checkpoint's offsets and broadcast state win).
                // The history topic keeps every institution version through compaction, so that
                // a replay judges old sales by the licence of their time (R7); a version read
                // from both topics is the same version (InstitutionHistory keeps it once).
                topics.reference(
                        settings.institutionsTopic(),
                        KafkaOptions.topic(config, Topic.INSTITUTION_VERSIONS),
                        settings.rulesTopic(),
                        actionsTopic(settings)),
                topics.schemas(),
                outputs);
    }

    /**
     * The supervisors' actions topic ({@code fund.alert-actions.v1}) under the settings' prefix.
     */
    public static String actionsTopic(FundRiskOptions.Settings settings) {
        return Topic.ALERT_ACTIONS.topicName(settings.topicPrefix());
    }

    /**
     * The job's settings in {@code config}; {@code kafka.topic-prefix} isolates a deployment's
     * topics (and its transactional ids).
     */
    public static FundRiskOptions.Settings settings(ReadableConfig config) {
        return FundRiskOptions.settings(config)
                .withTopicPrefix(config.get(KafkaOptions.TOPIC_PREFIX));
    }

    /** The topology, from Kafka messages to the outputs. */
    public static void defineWorkflow(
            StreamExecutionEnvironment env,
            FundRiskOptions.Settings settings,
            Source<Decoded<FundTransaction>, ?, ?> transactionSource,
            Source<RawRecord, ?, ?> referenceSource,
            FundRiskOutputs outputs) {
        defineWorkflow(
                env, settings, transactionSource, referenceSource, SchemaTopic.none(), outputs);
    }

    /**
     * The topology, from raw Kafka messages to the outputs; the reference data's decoders look
     * writer schemas they were not built with up in {@code schemas}.
     */
    public static void defineWorkflow(
            StreamExecutionEnvironment env,
            FundRiskOptions.Settings settings,
            Source<Decoded<FundTransaction>, ?, ?> transactionSource,
            Source<RawRecord, ?, ?> referenceSource,
            SchemaTopic schemas,
            FundRiskOutputs outputs) {
        // Records are immutable and no function keeps or changes its input after emitting it,
        // so chained operators may hand objects on without a defensive copy.
        env.getConfig().enableObjectReuse();
        // Watermarks per Kafka partition, from the decoded event time. Fund events are never
        // too late by contract, so the lateness check is off: only dead letters go out here.
        SingleOutputStreamOperator<FundTransaction> decoded =
                env.fromSource(
                                transactionSource,
                                new LiveWatermarks<>(
                                        settings.outOfOrderness(), settings.liveHorizon()),
                                "fund transactions")
                        .uid("fund-transactions-source")
                        .transform(
                                "dead letters out",
                                TypeInformation.of(FundTransaction.class),
                                new AdmitInTime<>(
                                                FundTransaction.class,
                                                NAME,
                                                settings.outOfOrderness(),
                                                settings.liveHorizon(),
                                                null)
                                        .operator())
                        .uid("fund-admit")
                        .name("dead letters out");

        SingleOutputStreamOperator<FundTransaction> admitted =
                decoded.keyBy(new DropResends.Bucket<>(), Types.INT)
                        .process(
                                new DropResends<>(
                                        FundTransaction.class, NAME, settings.dedupRetention()))
                        // not "fund-drop-resends": that uid's state was keyed by transaction id
                        .uid("fund-drop-resends-by-bucket")
                        .name("drop resends");

        // Reference data is small: one subtask reads both topics, so that one clock says
        // whether they have caught up (see ReferenceWatermarks).
        SingleOutputStreamOperator<ReferenceUpdate> reference =
                env.fromSource(
                                referenceSource,
                                WatermarkStrategy.noWatermarks(),
                                "institutions and rule settings")
                        .uid("reference-source")
                        .setParallelism(1)
                        .process(
                                new DecodeReference(
                                        settings.rulesTopic(), actionsTopic(settings), schemas))
                        .uid("decode-reference")
                        .name("decode institutions and rule settings")
                        .setParallelism(1);

        SingleOutputStreamOperator<ReferenceUpdate> timedReference =
                reference
                        .assignTimestampsAndWatermarks(
                                new ReferenceWatermarks(
                                        settings.referenceStartup(), settings.referenceQuiet()))
                        .uid("reference-watermarks")
                        .name("reference event time")
                        .setParallelism(1);
        // rule changes and supervisors' closes, to the institutions they concern, on their own
        DataStream<InstitutionInput> wakeUps =
                timedReference
                        .process(new ReferenceWakeUps())
                        .uid("reference-wake-ups")
                        .name("rule changes and closes to institutions")
                        .setParallelism(1);

        SingleOutputStreamOperator<AlertRow> alerts =
                admitted.map(InstitutionInput::of)
                        .uid("institution-inputs")
                        .name("transactions as institution inputs")
                        .union(wakeUps)
                        .keyBy(InstitutionInput::institutionId)
                        // Flink's broadcast-state operator, as connect(broadcastStream) builds
                        // it, run so that what it holds in memory reaches every snapshot
                        .connect(timedReference.broadcast())
                        .transform(
                                "ledger and risk rules",
                                TypeInformation.of(AlertRow.class),
                                new AssessInstitutions(settings.closedRetention()).operator())
                        .uid("assess-institutions")
                        .name("ledger and risk rules");

        outputs.transactions().accept(admitted);
        outputs.institutions()
                .accept(
                        reference
                                .filter(u -> u.institution != null)
                                .uid("institution-filter")
                                .name("institution versions")
                                .map(u -> u.institution)
                                .returns(Institution.class)
                                .uid("institution-records")
                                .name("institution records"));
        outputs.alerts().accept(alerts);
        outputs.actions()
                .accept(
                        reference
                                .filter(u -> u.action != null)
                                .uid("action-filter")
                                .name("supervisors' actions")
                                .map(u -> u.action)
                                .returns(AlertAction.class)
                                .uid("action-records")
                                .name("action records"));
        outputs.ledger().accept(alerts.getSideOutput(AssessInstitutions.LEDGER));
        outputs.risk().accept(alerts.getSideOutput(AssessInstitutions.RISK));
        outputs.duplicates().accept(admitted.getSideOutput(DropResends.DUPLICATES));
        outputs.deadLetters()
                .accept(
                        decoded.getSideOutput(AdmitInTime.DEAD_LETTERS)
                                .union(reference.getSideOutput(DecodeFunction.DEAD_LETTERS)));
    }

    /** Decodes transactions in the Kafka source, hashing the payer id at once. */
    public static ContractDeserializer<PrepaidTransaction, FundTransaction> transactionDeserializer(
            FundRiskOptions.Settings settings) {
        return transactionDeserializer(settings, SchemaTopic.none());
    }

    /**
     * Decodes transactions in the Kafka source, resolving writer schemas of newer producers from
     * the schema topic ({@link Topic#SCHEMAS}).
     */
    public static ContractDeserializer<PrepaidTransaction, FundTransaction> transactionDeserializer(
            FundRiskOptions.Settings settings, SchemaTopic schemas) {
        return new ContractDeserializer<>(
                PrepaidTransaction.class,
                FundTransaction.class,
                new ToFundTransaction(settings.hashSecret()),
                settings.maxFutureSkew(),
                schemas);
    }
}
