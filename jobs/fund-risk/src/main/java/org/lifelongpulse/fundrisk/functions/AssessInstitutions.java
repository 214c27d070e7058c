package org.lifelongpulse.fundrisk.functions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.lifelongpulse.avro.Institution;
import org.lifelongpulse.avro.RiskRule;
import org.lifelongpulse.contracts.Topic;
import org.lifelongpulse.fundrisk.records.AlertRow;
import org.lifelongpulse.fundrisk.records.FundTransaction;
import org.lifelongpulse.fundrisk.records.InstitutionRiskRow;
import org.lifelongpulse.fundrisk.records.LedgerRow;
import org.lifelongpulse.fundrisk.records.ReferenceUpdate;
import org.lifelongpulse.fundrisk.rules.InstitutionHistory;
import org.lifelongpulse.fundrisk.rules.InstitutionVersion;
import org.lifelongpulse.fundrisk.rules.Ledger;
import org.lifelongpulse.fundrisk.rules.RiskEngine;
import org.lifelongpulse.fundrisk.rules.RiskScore;
import org.lifelongpulse.fundrisk.rules.RuleBook;
import org.lifelongpulse.fundrisk.rules.RuleSet;
import org.lifelongpulse.fundrisk.rules.RuleSettings;

/**
 * Keyed by institution: the ledger and every rule over its transactions, with the institutions'
 * reference data and the rule settings as broadcast state. Emits alert versions; ledger rows and
 * risk scores go to {@link #LEDGER} and {@link #RISK}.
 *
 * <p>Transactions wait in state until the watermark passes their event time and are then applied in
 * (event time, txn id) order, so that the result does not depend on arrival order within the
 * out-of-orderness bound: a window or a refund deadline sees exactly the transactions before it.
 * The same event-time timers carry the deadlines of {@link RiskEngine#deadlines}: refunds overdue,
 * feed silence, alert quiet periods and window ends. A payment or transaction at the very instant
 * of a deadline is applied first.
 *
 * <p>Deadlines are judged only by watermarks that real events produced: the final watermark of a
 * bounded input ({@code Long.MAX_VALUE}) applies the transactions still waiting but fires no
 * deadline, since nothing says event time really got there.
 *
 * <p>Rule settings apply from their arrival on: transactions applied after a rule update is
 * broadcast use it, and every alert records the version of the settings that produced it. An
 * institution CLOSED or REVOKED, silent for {@code closedRetention}, leaves no state behind.
 */
public final class AssessInstitutions
        extends KeyedBroadcastProcessFunction<String, FundTransaction, ReferenceUpdate, AlertRow>
        implements ResultTypeQueryable<AlertRow> {

    private static final long serialVersionUID = 1L;

    /** Institution reference versions by institution id. */
    public static final MapStateDescriptor<String, InstitutionHistory> INSTITUTIONS =
            new MapStateDescriptor<>(
                    "institution-reference",
                    Types.STRING,
                    TypeInformation.of(InstitutionHistory.class));

    /** Rule settings by their topic key ({@code rule_id} or {@code rule_id@DISTRICT}). */
    public static final MapStateDescriptor<String, RiskRule> RULES =
            new MapStateDescriptor<>(
                    "risk-rules", Types.STRING, TypeInformation.of(RiskRule.class));

    public static final OutputTag<LedgerRow> LEDGER =
            new OutputTag<>("ledger", TypeInformation.of(LedgerRow.class));
    public static final OutputTag<InstitutionRiskRow> RISK =
            new OutputTag<>("institution-risk", TypeInformation.of(InstitutionRiskRow.class));

    private final long closedRetentionMillis;

    /** Transactions waiting for the watermark, by event time. */
    static final MapStateDescriptor<Long, List<FundTransaction>> WAITING =
            new MapStateDescriptor<>(
                    "transactions-waiting-for-watermark",
                    Types.LONG,
                    Types.LIST(TypeInformation.of(FundTransaction.class)));

    private transient KeyedInstitutionStore.States book;
    private transient MapState<Long, List<FundTransaction>> waiting;
    private transient RuleBook ruleBook;
    private transient Counter applied;
    private transient Counter alerts;

    /**
     * @param closedRetention how long a closed institution's state outlives its last event
     */
    public AssessInstitutions(Duration closedRetention) {
        this.closedRetentionMillis = closedRetention.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        book = new KeyedInstitutionStore.States(getRuntimeContext());
        waiting = getRuntimeContext().getMapState(WAITING);
        applied = getRuntimeContext().getMetricGroup().counter("transactionsApplied");
        alerts = getRuntimeContext().getMetricGroup().counter("alertVersionsEmitted");
    }

    @Override
    public void processElement(FundTransaction txn, ReadOnlyContext ctx, Collector<AlertRow> out)
            throws Exception {
        List<FundTransaction> at = waiting.get(txn.eventTime());
        if (at == null) {
            at = new ArrayList<>();
            ctx.timerService().registerEventTimeTimer(txn.eventTime());
        }
        at.add(txn);
        waiting.put(txn.eventTime(), at);
    }

    @Override
    public void processBroadcastElement(
            ReferenceUpdate update, Context ctx, Collector<AlertRow> out) throws Exception {
        if (update.institution != null) {
            Institution i = update.institution;
            BroadcastState<String, InstitutionHistory> reference =
                    ctx.getBroadcastState(INSTITUTIONS);
            InstitutionHistory history = reference.get(i.getInstitutionId());
            reference.put(
                    i.getInstitutionId(),
                    (history == null ? new InstitutionHistory() : history).with(versionOf(i)));
        }
        if (update.rule != null && RuleBook.settingsOf(update.rule) != null) {
            BroadcastState<String, RiskRule> rules = ctx.getBroadcastState(RULES);
            String key = Topic.RISK_RULES.keyOf(update.rule);
            RiskRule known = rules.get(key);
            // a compacted topic read again, or an older version resent, never rolls back
            if (known == null || known.getVersion() <= update.rule.getVersion()) {
                rules.put(key, update.rule);
                ruleBook = null;
            }
        }
    }

    static InstitutionVersion versionOf(Institution i) {
        return new InstitutionVersion(
                i.getUpdatedAt().toEpochMilli(),
                i.getName(),
                i.getDistrict().name(),
                i.getLicenseStatus(),
                i.getClosureNoticeAt() == null ? null : i.getClosureNoticeAt().toEpochMilli());
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AlertRow> out)
            throws Exception {
        String id = ctx.getCurrentKey();
        KeyedInstitutionStore state = new KeyedInstitutionStore(book);
        InstitutionHistory reference = ctx.getBroadcastState(INSTITUTIONS).get(id);
        InstitutionVersion latest = reference == null ? null : reference.latest();
        RuleSet rules =
                ruleBook(ctx.getBroadcastState(RULES))
                        .forDistrict(latest == null ? null : latest.district());
        List<AlertRow> produced = new ArrayList<>();
        RiskEngine engine = new RiskEngine(id, state, reference, rules, produced);
        state.progress().getWakeUps().remove(timestamp);

        List<FundTransaction> due = waiting.get(timestamp);
        if (due != null) {
            due.sort(Comparator.comparing(FundTransaction::txnId));
            for (FundTransaction txn : due) {
                engine.apply(txn);
            }
            applied.inc(due.size());
            waiting.remove(timestamp);
        }
        boolean endOfInput = ctx.timerService().currentWatermark() == Long.MAX_VALUE;
        if (!endOfInput) {
            engine.wakeUp(timestamp);
            if (waiting.isEmpty() && engine.isGone(timestamp, closedRetentionMillis)) {
                emit(produced, out);
                forget(state, ctx.timerService());
                return;
            }
        }
        emit(produced, out);
        if (due != null) {
            ctx.output(LEDGER, ledgerRow(id, engine.district(), state));
        }
        RiskScore.Summary risk = engine.riskChange();
        if (risk != null) {
            ctx.output(
                    RISK,
                    new InstitutionRiskRow(
                            id,
                            engine.district(),
                            risk.score(),
                            risk.open(),
                            risk.red(),
                            timestamp,
                            state.progress().getRiskVersion()));
        }
        // deadlines up to now were handled by this wake-up; setting them again would loop
        reconcileTimers(
                state,
                engine.deadlines(closedRetentionMillis).tailSet(timestamp + 1),
                ctx.timerService(),
                endOfInput);
        state.flush();
    }

    private void emit(List<AlertRow> produced, Collector<AlertRow> out) {
        for (AlertRow row : produced) {
            out.collect(row);
        }
        alerts.inc(produced.size());
    }

    /** Registers the deadlines not yet set and deletes the ones no longer wanted. */
    private void reconcileTimers(
            KeyedInstitutionStore state,
            SortedSet<Long> wanted,
            TimerService timers,
            boolean endOfInput)
            throws Exception {
        Set<Long> wakeUps = state.progress().getWakeUps();
        Set<Long> stale = new HashSet<>(wakeUps);
        stale.removeAll(wanted);
        for (long t : stale) {
            // a transaction waiting at the same instant keeps its timer
            if (!waiting.contains(t)) {
                timers.deleteEventTimeTimer(t);
            }
            wakeUps.remove(t);
        }
        if (endOfInput) {
            // no deadline fires on the final watermark: registering one would only loop
            return;
        }
        for (long t : wanted) {
            if (wakeUps.add(t)) {
                timers.registerEventTimeTimer(t);
            }
        }
    }

    /** Drops every trace of a closed institution: state and timers. */
    private void forget(KeyedInstitutionStore state, TimerService timers) throws Exception {
        for (long t : state.progress().getWakeUps()) {
            timers.deleteEventTimeTimer(t);
        }
        book.clear();
        waiting.clear();
    }

    private RuleBook ruleBook(ReadOnlyBroadcastState<String, RiskRule> rules) throws Exception {
        if (ruleBook == null) {
            List<RuleSettings> settings = new ArrayList<>();
            for (Map.Entry<String, RiskRule> e : rules.immutableEntries()) {
                RuleSettings s = RuleBook.settingsOf(e.getValue());
                if (s != null) {
                    settings.add(s);
                }
            }
            ruleBook = new RuleBook(settings);
        }
        return ruleBook;
    }

    static LedgerRow ledgerRow(String id, String district, KeyedInstitutionStore s) {
        Ledger l = s.ledger();
        return new LedgerRow(
                id,
                district,
                l.collected,
                l.delivered,
                l.refunded,
                l.refundPending(),
                l.escrow,
                l.released,
                l.liability(),
                l.coverage(),
                l.outsideSupervision,
                s.progress().getLastEventAt(),
                s.progress().getApplied());
    }

    @Override
    public TypeInformation<AlertRow> getProducedType() {
        return TypeInformation.of(AlertRow.class);
    }
}
