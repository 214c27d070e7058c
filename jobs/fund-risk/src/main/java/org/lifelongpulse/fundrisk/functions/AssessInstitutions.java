package org.lifelongpulse.fundrisk.functions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.function.Consumer;
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
import org.lifelongpulse.avro.AlertAction;
import org.lifelongpulse.avro.Institution;
import org.lifelongpulse.avro.RiskRule;
import org.lifelongpulse.contracts.Topic;
import org.lifelongpulse.fundrisk.records.AlertRow;
import org.lifelongpulse.fundrisk.records.FundTransaction;
import org.lifelongpulse.fundrisk.records.InstitutionInput;
import org.lifelongpulse.fundrisk.records.InstitutionRiskRow;
import org.lifelongpulse.fundrisk.records.LedgerRow;
import org.lifelongpulse.fundrisk.records.ReferenceUpdate;
import org.lifelongpulse.fundrisk.rules.InstitutionHistory;
import org.lifelongpulse.fundrisk.rules.InstitutionProgress;
import org.lifelongpulse.fundrisk.rules.InstitutionVersion;
import org.lifelongpulse.fundrisk.rules.Ledger;
import org.lifelongpulse.fundrisk.rules.RiskEngine;
import org.lifelongpulse.fundrisk.rules.RiskScore;
import org.lifelongpulse.fundrisk.rules.RuleBook;
import org.lifelongpulse.fundrisk.rules.RuleId;
import org.lifelongpulse.fundrisk.rules.RuleSettings;
import org.lifelongpulse.fundrisk.rules.RuleTimeline;
import org.lifelongpulse.state.WriteBeforeSnapshot;
import org.lifelongpulse.state.WriteBeforeSnapshotWithBroadcast;

/**
 * Keyed by institution: the ledger and every rule over its transactions, with the institutions'
 * reference data and the rule settings as broadcast state. Emits alert versions; ledger rows and
 * risk scores go to {@link #LEDGER} and {@link #RISK}.
 *
 * <p>Transactions wait in state until the watermark passes their event time and are then applied in
 * (event time, txn id) order, so that the result does not depend on arrival order within the
 * out-of-orderness bound: a window or a refund deadline sees exactly the transactions before it.
 * The same event-time timers carry the deadlines of {@link RiskEngine#deadlines}: refunds overdue,
 * feed silence, quiet periods and window ends. A payment or transaction at the very instant of a
 * deadline is applied first.
 *
 * <p>Deadlines are judged only by watermarks that real events produced: the final watermark of a
 * bounded input ({@code Long.MAX_VALUE}) applies the transactions still waiting but fires no
 * deadline, since nothing says event time really got there.
 *
 * <p>Rule settings take effect at their event time ({@code updated_at}): a transaction is judged by
 * the settings in force at its time ({@link RuleTimeline}), and a rule change reaches every
 * institution at that time ({@link ReferenceWakeUps}): open alerts of a disabled rule resolve, the
 * condition rules are re-evaluated. SHADOW settings run as a trial beside the enforced ones, with
 * their own alerts. A supervisor's close applies once the alert has reached the version the
 * supervisor saw (at once in a live run; at the same point in a replay). An institution CLOSED or
 * REVOKED, silent for {@code closedRetention}, leaves no state behind.
 */
public final class AssessInstitutions
        extends KeyedBroadcastProcessFunction<String, InstitutionInput, ReferenceUpdate, AlertRow>
        implements ResultTypeQueryable<AlertRow>, WriteBeforeSnapshot.Buffered<String> {

    private static final long serialVersionUID = 1L;

    /** Institution reference versions by institution id. */
    public static final MapStateDescriptor<String, InstitutionHistory> INSTITUTIONS =
            new MapStateDescriptor<>(
                    "institution-reference",
                    Types.STRING,
                    TypeInformation.of(InstitutionHistory.class));

    /** Every version of the rule settings, by {@code topic key|version}. */
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

    /** Supervisors' closes waiting for their alert to reach the version they saw, by alert id. */
    static final MapStateDescriptor<String, AlertAction> PENDING_CLOSES =
            new MapStateDescriptor<>(
                    "pending-closes", Types.STRING, TypeInformation.of(AlertAction.class));

    private transient KeyedInstitutionStore.States book;
    private transient MapState<Long, List<FundTransaction>> waiting;
    private transient MapState<String, AlertAction> pendingCloses;
    private transient RuleTimeline timeline;
    private transient Counter applied;
    private transient Counter alerts;

    /**
     * What this subtask holds of its institutions between wake-ups, written to the keyed state
     * before each snapshot ({@link #writeToState}, through {@link #operator()}); see {@link
     * KeyedInstitutionStore}. Dropped, after a snapshot, when it holds more than {@link
     * #MAX_INSTITUTIONS_IN_MEMORY}.
     */
    private transient Map<String, KeyedInstitutionStore.Held> working;

    /** Whether the state may hold institutions {@link #working} does not (else it holds none). */
    private transient boolean mayHoldUnknown;

    private transient boolean startedByOperator;

    /** How many institutions stay in memory past a snapshot. */
    static final int MAX_INSTITUTIONS_IN_MEMORY = 100_000;

    /**
     * @param closedRetention how long a closed institution's state outlives its last event
     */
    public AssessInstitutions(Duration closedRetention) {
        this.closedRetentionMillis = closedRetention.toMillis();
    }

    /**
     * The function as the operator to run it with: it writes what is held in memory to the state
     * before each snapshot. Connect the keyed inputs to the reference stream with {@code
     * connect(reference.broadcast())} and {@code transform} with it.
     */
    public WriteBeforeSnapshotWithBroadcast<String, InstitutionInput, ReferenceUpdate, AlertRow>
            operator() {
        return WriteBeforeSnapshotWithBroadcast.of(this, List.of(INSTITUTIONS, RULES));
    }

    @Override
    public void startsRestored(boolean restored) {
        mayHoldUnknown = restored;
        startedByOperator = true;
    }

    @Override
    public void writeToState(Consumer<String> currentKey) throws Exception {
        for (Map.Entry<String, KeyedInstitutionStore.Held> e : working.entrySet()) {
            if (e.getValue().changed()) {
                currentKey.accept(e.getKey());
                e.getValue().writeTo(book);
            }
        }
        if (working.size() > MAX_INSTITUTIONS_IN_MEMORY) {
            working.clear(); // all of it is in the state now
            mayHoldUnknown = true;
        }
    }

    @Override
    public void open(OpenContext openContext) {
        if (!startedByOperator) {
            // run alone, snapshots would miss what is held in memory
            throw new IllegalStateException(
                    "AssessInstitutions runs only in the operator of operator()");
        }
        working = new HashMap<>();
        book = new KeyedInstitutionStore.States(getRuntimeContext());
        waiting = getRuntimeContext().getMapState(WAITING);
        pendingCloses = getRuntimeContext().getMapState(PENDING_CLOSES);
        applied = getRuntimeContext().getMetricGroup().counter("transactionsApplied");
        alerts = getRuntimeContext().getMetricGroup().counter("alertVersionsEmitted");
    }

    @Override
    public void processElement(InstitutionInput in, ReadOnlyContext ctx, Collector<AlertRow> out)
            throws Exception {
        if (in.txn != null) {
            FundTransaction txn = in.txn;
            List<FundTransaction> at = waiting.get(txn.eventTime());
            if (at == null) {
                at = new ArrayList<>();
                ctx.timerService().registerEventTimeTimer(txn.eventTime());
            }
            at.add(txn);
            waiting.put(txn.eventTime(), at);
        } else if (in.ruleChangeAt != null) {
            if (!held(ctx.getCurrentKey()).hasProgress(book)) {
                // nothing recorded yet (or transactions still waiting): a timer at the change
                ctx.timerService().registerEventTimeTimer(in.ruleChangeAt);
                return;
            }
            // judged at the change's time, or now if the institution is already past it
            KeyedInstitutionStore state = store(ctx.getCurrentKey());
            long at = Math.max(in.ruleChangeAt, state.progress().getLastEventAt());
            ctx.timerService().registerEventTimeTimer(at);
            if (at > in.ruleChangeAt) {
                state.progress().getRuleChanges().merge(at, in.ruleChangeAt, Math::min);
                state.flush();
            }
        } else if (in.close != null) {
            pendingCloses.put(in.close.getAlertId(), in.close);
            KeyedInstitutionStore state = store(ctx.getCurrentKey());
            state.progress().setPendingCloses(state.progress().getPendingCloses() + 1);
            long now = state.progress().getLastEventAt();
            long watermark = ctx.timerService().currentWatermark();
            if (watermark != Long.MAX_VALUE) {
                now = Math.max(now, watermark);
            }
            Pass pass = new Pass(ctx.getCurrentKey(), state, ctx, now);
            pass.applyCloses(now);
            pass.finish(ctx, out, now, false, false);
        }
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
            // every version is kept: each applies from its own event time; a compacted topic
            // read again, or a version resent, lands on the same entry
            ctx.getBroadcastState(RULES)
                    .put(
                            Topic.RISK_RULES.keyOf(update.rule) + "|" + update.rule.getVersion(),
                            update.rule);
            timeline = null;
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
        KeyedInstitutionStore state = store(ctx.getCurrentKey());
        InstitutionProgress progress = state.progress();
        RuleTimeline rules = timeline(ctx.getBroadcastState(RULES));
        Long changedFrom = progress.getRuleChanges().get(timestamp);
        if (changedFrom == null && rules.changesAt(timestamp)) {
            changedFrom = timestamp;
        }
        if (progress.getLastEventAt() == Long.MIN_VALUE && !waiting.contains(timestamp)) {
            // a rule change before any transaction: the first one meets the settings (nothing
            // changed: the progress may be the one held)
            return;
        }
        progress.getRuleChanges().remove(timestamp);
        Pass pass = new Pass(ctx.getCurrentKey(), state, ctx, timestamp);
        progress.getWakeUps().remove(timestamp);

        List<FundTransaction> due = waiting.get(timestamp);
        if (due != null) {
            due.sort(Comparator.comparing(FundTransaction::txnId));
            for (FundTransaction txn : due) {
                RiskEngine.Applied a = pass.engine.apply(txn);
                if (pass.trial != null) {
                    pass.trial.judge(a);
                }
            }
            applied.inc(due.size());
            waiting.remove(timestamp);
        }
        boolean endOfInput = ctx.timerService().currentWatermark() == Long.MAX_VALUE;
        if (!endOfInput) {
            pass.engine.wakeUp(timestamp);
            if (pass.trial != null) {
                pass.trial.wakeUp(timestamp);
            }
            if (changedFrom != null) {
                Set<RuleId> changed = rules.changedIn(changedFrom, timestamp);
                pass.engine.evaluateStates(timestamp, changed);
                if (pass.trial != null) {
                    pass.trial.evaluateStates(timestamp, changed);
                }
            }
        }
        pass.applyCloses(timestamp);
        // isGone first: it is read from memory, while isEmpty() on RocksDB is an iterator and a
        // seek (most of the job's RocksDB time when it came first, for every wake-up)
        if (!endOfInput
                && pass.engine.isGone(timestamp, closedRetentionMillis)
                && waiting.isEmpty()) {
            emit(pass.produced, out);
            forget(ctx.getCurrentKey(), state, ctx.timerService());
            return;
        }
        if (due != null) {
            ctx.output(LEDGER, ledgerRow(pass.id, pass.engine.district(), state));
        }
        pass.finish(ctx, out, timestamp, true, endOfInput);
    }

    /** One wake-up of one institution: its engines, enforcing and trial, and what they produce. */
    private final class Pass {
        final String id;
        final KeyedInstitutionStore state;
        final RiskEngine engine;
        final RiskEngine trial;
        final List<AlertRow> produced = new ArrayList<>();

        Pass(String id, KeyedInstitutionStore state, ReadOnlyContext ctx, long t) throws Exception {
            this.id = id;
            this.state = state;
            InstitutionHistory reference = ctx.getBroadcastState(INSTITUTIONS).get(id);
            InstitutionVersion latest = reference == null ? null : reference.latest();
            String district = latest == null ? null : latest.district();
            RuleBook rules = timeline(ctx.getBroadcastState(RULES)).at(t);
            RuleBook.Trial onTrial = rules.trialFor(district);
            engine =
                    RiskEngine.enforcing(
                            id, state, reference, rules.forDistrict(district), onTrial, produced);
            boolean trialRuns = onTrial != null || state.progress().isTrialActive();
            trial =
                    trialRuns
                            ? RiskEngine.trial(id, state.trial(), reference, onTrial, produced)
                            : null;
            state.progress().setTrialActive(onTrial != null);
        }

        /** Applies the supervisors' closes whose alert has reached the version they saw. */
        void applyCloses(long at) throws Exception {
            InstitutionProgress progress = state.progress();
            if (progress.getPendingCloses() <= 0) {
                return;
            }
            List<String> done = new ArrayList<>();
            for (Map.Entry<String, AlertAction> e : pendingCloses.entries()) {
                AlertAction a = e.getValue();
                String reason = a.getText();
                boolean closed =
                        engine.close(a.getAlertId(), a.getAlertVersion(), a.getActor(), reason, at)
                                || (trial != null
                                        && trial.close(
                                                a.getAlertId(),
                                                a.getAlertVersion(),
                                                a.getActor(),
                                                reason,
                                                at));
                if (closed) {
                    done.add(e.getKey());
                }
            }
            for (String alertId : done) {
                pendingCloses.remove(alertId);
            }
            progress.setPendingCloses(progress.getPendingCloses() - done.size());
        }

        /** Emits what was produced, the risk score if it changed, and sets the timers. */
        void finish(
                ReadOnlyContext ctx,
                Collector<AlertRow> out,
                long t,
                boolean deadlinesHandled,
                boolean endOfInput)
                throws Exception {
            if (trial != null && state.hasTrialAlerts()) {
                state.progress().setTrialActive(true);
            }
            emit(produced, out);
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
                                t,
                                state.progress().getRiskVersion()));
            }
            SortedSet<Long> wanted = engine.deadlines(closedRetentionMillis);
            if (trial != null) {
                wanted.addAll(trial.deadlines(closedRetentionMillis));
            }
            // deadlines up to now were handled by this wake-up; setting them again would loop
            reconcileTimers(
                    state,
                    deadlinesHandled ? wanted.tailSet(t + 1) : wanted,
                    ctx.timerService(),
                    endOfInput);
            state.flush();
        }
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
            // a transaction or a rule change waiting at the same instant keeps its timer
            if (!waiting.contains(t) && !state.progress().getRuleChanges().containsKey(t)) {
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
    private void forget(String key, KeyedInstitutionStore state, TimerService timers)
            throws Exception {
        for (long t : state.progress().getWakeUps()) {
            timers.deleteEventTimeTimer(t);
        }
        for (long t : state.progress().getRuleChanges().keySet()) {
            timers.deleteEventTimeTimer(t);
        }
        book.clear();
        waiting.clear();
        pendingCloses.clear();
        working.remove(key);
    }

    /** What is held of the institution {@code key}: known, or new. */
    private KeyedInstitutionStore.Held held(String key) {
        return working.computeIfAbsent(key, k -> new KeyedInstitutionStore.Held(!mayHoldUnknown));
    }

    /** A wake-up's store of the institution {@code key}. */
    private KeyedInstitutionStore store(String key) {
        return new KeyedInstitutionStore(book, held(key));
    }

    private RuleTimeline timeline(ReadOnlyBroadcastState<String, RiskRule> rules) throws Exception {
        if (timeline == null) {
            List<RuleTimeline.Version> versions = new ArrayList<>();
            for (Map.Entry<String, RiskRule> e : rules.immutableEntries()) {
                RuleSettings s = RuleBook.settingsOf(e.getValue());
                if (s != null) {
                    versions.add(
                            new RuleTimeline.Version(
                                    Topic.RISK_RULES.keyOf(e.getValue()),
                                    s,
                                    ReferenceUpdate.of(e.getValue()).effectiveAt()));
                }
            }
            timeline = new RuleTimeline(versions);
        }
        return timeline;
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
