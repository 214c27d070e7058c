package org.lifelongpulse.fundrisk;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.lifelongpulse.adapters.DeadLetterStores;
import org.lifelongpulse.adapters.Destinations;
import org.lifelongpulse.adapters.clickhouse.sink.ClickHouseSinkOptions;
import org.lifelongpulse.adapters.clickhouse.sink.ClickHouseTable;
import org.lifelongpulse.adapters.clickhouse.sink.CommonTables;
import org.lifelongpulse.avro.AlertAction;
import org.lifelongpulse.avro.Institution;
import org.lifelongpulse.avro.RiskAlert;
import org.lifelongpulse.contracts.WireFormat;
import org.lifelongpulse.fundrisk.records.AlertRow;
import org.lifelongpulse.fundrisk.records.FundTransaction;
import org.lifelongpulse.fundrisk.records.InstitutionRiskRow;
import org.lifelongpulse.fundrisk.records.LedgerRow;
import org.lifelongpulse.jobs.KafkaOptions;

/**
 * The fund-risk job's production outputs: ClickHouse tables, the alerts topic (exactly once,
 * ENFORCE alerts only) and the dead-letter topic. The tables here are the job's catalogue of tables
 * and columns; {@code FundRiskTablesTest} compares it with the migrations in schemas/clickhouse.
 */
public final class FundRiskSinks {

    static final ClickHouseTable<FundTransaction> TRANSACTIONS =
            new ClickHouseTable<>(
                    "pulse.fund_transactions",
                    List.of(
                            "txn_id",
                            "occurred_at",
                            "occurred_at_epoch_ms",
                            "institution_id",
                            "type",
                            "amount_fen",
                            "card_id",
                            "payer_hash",
                            "card_kind",
                            "class_hours",
                            "covered_days",
                            "settlement",
                            "refund_request_id",
                            "ingested_version"),
                    t ->
                            new Object[] {
                                t.txnId(),
                                Instant.ofEpochMilli(t.eventTime()),
                                t.eventTime(),
                                t.institutionId(),
                                t.type(),
                                t.amountFen(),
                                t.cardId(),
                                t.payerHash(),
                                t.cardKind(),
                                t.classHours(),
                                t.coveredDays(),
                                t.settlement(),
                                t.refundRequestId(),
                                1L
                            });

    static final ClickHouseTable<Institution> INSTITUTIONS =
            new ClickHouseTable<>(
                    "pulse.institutions",
                    List.of(
                            "institution_id",
                            "name",
                            "district",
                            "category",
                            "license_status",
                            "closure_notice_at",
                            "bond_insured",
                            "updated_at",
                            "version"),
                    i ->
                            new Object[] {
                                i.getInstitutionId(),
                                i.getName(),
                                i.getDistrict().name(),
                                i.getCategory(),
                                i.getLicenseStatus().name(),
                                i.getClosureNoticeAt(),
                                i.getBondInsured(),
                                i.getUpdatedAt(),
                                i.getUpdatedAt().toEpochMilli()
                            });

    private static final List<String> LEDGER_COLUMNS =
            List.of(
                    "collected_fen",
                    "delivered_fen",
                    "refunded_fen",
                    "refund_pending_fen",
                    "escrow_fen",
                    "released_fen",
                    "liability_fen",
                    "coverage",
                    "sales_outside_supervision_fen",
                    "last_event_at",
                    "version");

    // A ledger row follows every event-time instant with transactions; within one insert only
    // the latest of an institution (and of its minute) is sent: the tables would keep only it.
    static final ClickHouseTable<LedgerRow> LEDGER =
            new ClickHouseTable<LedgerRow>(
                            "pulse.institution_ledger",
                            concat(List.of("institution_id", "district"), LEDGER_COLUMNS),
                            r -> ledgerValues(new Object[] {r.institutionId(), r.district()}, r))
                    .replacing(LedgerRow::institutionId, LedgerRow::version);

    static final ClickHouseTable<LedgerRow> LEDGER_MINUTE =
            new ClickHouseTable<LedgerRow>(
                            "pulse.institution_ledger_minute",
                            concat(List.of("institution_id", "minute", "district"), LEDGER_COLUMNS),
                            r ->
                                    ledgerValues(
                                            new Object[] {
                                                r.institutionId(),
                                                Instant.ofEpochMilli(r.minute()),
                                                r.district()
                                            },
                                            r))
                    .replacing(r -> List.of(r.institutionId(), r.minute()), LedgerRow::version);

    private static final List<String> ALERT_COLUMNS =
            List.of(
                    "alert_id",
                    "institution_id",
                    "district",
                    "rule_id",
                    "rule_version",
                    "severity",
                    "status",
                    "first_detected_at",
                    "last_detected_at",
                    "window_start",
                    "window_end",
                    "observed",
                    "threshold",
                    "evidence",
                    "citation",
                    "version",
                    "shadow");

    static final ClickHouseTable<AlertRow> ALERTS =
            new ClickHouseTable<>("pulse.risk_alerts", ALERT_COLUMNS, FundRiskSinks::alertValues);

    /** Every version of every alert: the history behind risk_alerts' latest state. */
    static final ClickHouseTable<AlertRow> ALERT_VERSIONS =
            new ClickHouseTable<>(
                    "pulse.alert_versions", ALERT_COLUMNS, FundRiskSinks::alertValues);

    static final ClickHouseTable<AlertAction> ACTIONS =
            new ClickHouseTable<>(
                    "pulse.alert_actions",
                    List.of(
                            "action_id",
                            "alert_id",
                            "institution_id",
                            "rule_id",
                            "action",
                            "actor",
                            "assignee",
                            "text",
                            "acted_at",
                            "alert_version"),
                    a ->
                            new Object[] {
                                a.getActionId(),
                                a.getAlertId(),
                                a.getInstitutionId(),
                                a.getRuleId(),
                                a.getAction().name(),
                                a.getActor(),
                                a.getAssignee() == null ? "" : a.getAssignee(),
                                a.getText() == null ? "" : a.getText(),
                                a.getActedAt(),
                                a.getAlertVersion()
                            });

    private static Object[] alertValues(AlertRow a) {
        return new Object[] {
            a.alertId(),
            a.institutionId(),
            a.district(),
            a.ruleId(),
            a.ruleVersion(),
            a.severity(),
            a.status(),
            Instant.ofEpochMilli(a.firstDetectedAt()),
            Instant.ofEpochMilli(a.lastDetectedAt()),
            Instant.ofEpochMilli(Math.max(0, a.windowStart())),
            Instant.ofEpochMilli(Math.max(0, a.windowEnd())),
            a.observed(),
            a.threshold(),
            a.evidence(),
            a.citation(),
            a.version(),
            a.shadow()
        };
    }

    static final ClickHouseTable<InstitutionRiskRow> RISK =
            new ClickHouseTable<InstitutionRiskRow>(
                            "pulse.institution_risk",
                            List.of(
                                    "institution_id",
                                    "district",
                                    "score",
                                    "open_alerts",
                                    "red_alerts",
                                    "updated_at",
                                    "version"),
                            r ->
                                    new Object[] {
                                        r.institutionId(),
                                        r.district(),
                                        r.score(),
                                        r.openAlerts(),
                                        r.redAlerts(),
                                        Instant.ofEpochMilli(r.updatedAt()),
                                        r.version()
                                    })
                    .replacing(InstitutionRiskRow::institutionId, InstitutionRiskRow::version);

    private FundRiskSinks() {}

    /**
     * Every table the job writes, its own and the common ones.
     *
     * @param deadLetterTable {@code clickhouse.sink.dead-letter-table}
     */
    static List<ClickHouseTable<?>> tables(String deadLetterTable) {
        return List.of(
                TRANSACTIONS,
                INSTITUTIONS,
                LEDGER,
                LEDGER_MINUTE,
                ALERTS,
                ALERT_VERSIONS,
                ACTIONS,
                RISK,
                CommonTables.duplicates(),
                CommonTables.deadLetters(deadLetterTable, FundRiskJob.NAME),
                CommonTables.deadLetters(DeadLetterStores.RESTRICTED_TABLE, FundRiskJob.NAME));
    }

    /** The production outputs of the configuration: its ClickHouse and its Kafka. */
    public static FundRiskOutputs production(ReadableConfig config) {
        ClickHouseSinkOptions.Settings sink =
                ClickHouseSinkOptions.settings(config, FundRiskJob.NAME);
        return to(
                Destinations.production(sink, KafkaOptions.bootstrap(config)),
                FundRiskJob.settings(config),
                sink.deadLetterTable());
    }

    /** Each output to its table or topic at {@code destinations}, dead letters by default name. */
    public static FundRiskOutputs to(Destinations destinations, FundRiskOptions.Settings settings) {
        return to(destinations, settings, ClickHouseSinkOptions.DEAD_LETTER_TABLE.defaultValue());
    }

    /**
     * Each output to its table or topic at {@code destinations}; every topic under the settings'
     * prefix.
     *
     * @param deadLetterTable {@code clickhouse.sink.dead-letter-table}
     */
    public static FundRiskOutputs to(
            Destinations destinations, FundRiskOptions.Settings settings, String deadLetterTable) {
        return new FundRiskOutputs(
                s -> destinations.table(s, TRANSACTIONS, "fund-transactions"),
                s -> destinations.table(s, INSTITUTIONS, "institutions"),
                s -> {
                    destinations.table(s, LEDGER, "institution-ledger");
                    destinations.table(s, LEDGER_MINUTE, "institution-ledger-minute");
                },
                s -> {
                    destinations.table(s, ALERTS, "risk-alerts");
                    destinations.table(s, ALERT_VERSIONS, "alert-versions");
                    destinations.topic(
                            s.filter(a -> !a.shadow())
                                    .uid("enforce-alerts")
                                    .name("ENFORCE alerts only")
                                    .map(AlertRow::toAvro)
                                    .returns(RiskAlert.class)
                                    .uid("alerts-to-contract")
                                    .name("alerts as RiskAlert"),
                            settings.alertsTopic(),
                            bootstrap -> alertTopic(bootstrap, settings),
                            "alerts-topic");
                },
                s -> destinations.table(s, ACTIONS, "alert-actions"),
                s -> destinations.table(s, RISK, "institution-risk"),
                s -> destinations.table(s, CommonTables.duplicates(), "duplicates"),
                s ->
                        DeadLetterStores.write(
                                destinations,
                                s,
                                deadLetterTable,
                                settings.topicPrefix(),
                                settings.hashSecret(),
                                FundRiskJob.NAME));
    }

    /**
     * Alerts keyed by alert id, in Kafka transactions committed with each checkpoint: a reader with
     * {@code isolation.level=read_committed} sees every alert version once, also across failures
     * and restarts.
     */
    public static KafkaSink<RiskAlert> alertTopic(
            String bootstrap, FundRiskOptions.Settings settings) {
        Properties props = new Properties();
        props.put(
                "transaction.timeout.ms", String.valueOf(settings.transactionTimeout().toMillis()));
        return KafkaSink.<RiskAlert>builder()
                .setBootstrapServers(bootstrap)
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(settings.transactionalIdPrefix())
                .setKafkaProducerConfig(props)
                .setRecordSerializer(
                        KafkaRecordSerializationSchema.<RiskAlert>builder()
                                .setTopic(settings.alertsTopic())
                                .setKeySerializationSchema(
                                        (SerializationSchema<RiskAlert>)
                                                a ->
                                                        a.getAlertId()
                                                                .getBytes(StandardCharsets.UTF_8))
                                .setValueSerializationSchema(new AlertWireFormat())
                                .build())
                .build();
    }

    /** The wire format, created lazily on the task (Avro encoders are not serializable). */
    private static final class AlertWireFormat implements SerializationSchema<RiskAlert> {
        private static final long serialVersionUID = 1L;
        private transient WireFormat<RiskAlert> format;

        @Override
        public byte[] serialize(RiskAlert alert) {
            if (format == null) {
                format = WireFormat.of(RiskAlert.class);
            }
            return format.encode(alert);
        }
    }

    private static Object[] ledgerValues(Object[] key, LedgerRow r) {
        Object[] values = {
            r.collectedFen(),
            r.deliveredFen(),
            r.refundedFen(),
            r.refundPendingFen(),
            r.escrowFen(),
            r.releasedFen(),
            r.liabilityFen(),
            r.coverage(),
            r.salesOutsideSupervisionFen(),
            Instant.ofEpochMilli(r.lastEventAt()),
            r.version()
        };
        Object[] row = new Object[key.length + values.length];
        System.arraycopy(key, 0, row, 0, key.length);
        System.arraycopy(values, 0, row, key.length, values.length);
        return row;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
