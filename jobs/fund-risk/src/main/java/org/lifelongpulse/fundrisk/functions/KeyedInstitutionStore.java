package org.lifelongpulse.fundrisk.functions;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.lifelongpulse.fundrisk.rules.BucketStore;
import org.lifelongpulse.fundrisk.rules.Episode;
import org.lifelongpulse.fundrisk.rules.InstitutionProgress;
import org.lifelongpulse.fundrisk.rules.InstitutionRecords;
import org.lifelongpulse.fundrisk.rules.InstitutionStore;
import org.lifelongpulse.fundrisk.rules.Ledger;
import org.lifelongpulse.fundrisk.rules.Level;
import org.lifelongpulse.fundrisk.rules.RefundRequest;
import org.lifelongpulse.fundrisk.rules.RuleId;
import org.lifelongpulse.fundrisk.rules.Series;
import org.lifelongpulse.fundrisk.rules.SeriesBuckets;
import org.lifelongpulse.fundrisk.rules.TimeSeries;

/**
 * An institution's rule state, one Flink keyed state per access pattern, as one wake-up sees it.
 * Between wake-ups the subtask holds what it read and wrote of each institution in memory ({@link
 * Held}) and writes what changed to the keyed state only before a snapshot ({@link Held#writeTo}):
 * with RocksDB every wake-up read the ledger, the progress and each series bucket, and iterated the
 * open alerts, the unpaid requests and the near-cap payers (a seek each), and wrote them back. A
 * wake-up's new objects reach the held ones at {@link #flush}; a wake-up that ends without it
 * changed nothing held (the caller's contract, kept by {@link AssessInstitutions}). Only card
 * balances and near-cap charges are still read and written in the state per transaction.
 */
final class KeyedInstitutionStore implements InstitutionRecords {

    static final ValueStateDescriptor<Ledger> LEDGER =
            new ValueStateDescriptor<>("institution-ledger", TypeInformation.of(Ledger.class));
    static final ValueStateDescriptor<InstitutionProgress> PROGRESS =
            new ValueStateDescriptor<>(
                    "institution-progress", TypeInformation.of(InstitutionProgress.class));
    static final MapStateDescriptor<SeriesBucket, TimeSeries> SERIES =
            new MapStateDescriptor<>(
                    "series-buckets",
                    TypeInformation.of(SeriesBucket.class),
                    TypeInformation.of(TimeSeries.class));
    static final MapStateDescriptor<String, Long> CARDS =
            new MapStateDescriptor<>("card-balances", Types.STRING, Types.LONG);
    static final MapStateDescriptor<String, List<Long>> NEAR_CAP =
            new MapStateDescriptor<>(
                    "near-cap-charges-by-payer", Types.STRING, Types.LIST(Types.LONG));
    static final MapStateDescriptor<String, RefundRequest> REFUNDS =
            new MapStateDescriptor<>(
                    "unpaid-refund-requests",
                    Types.STRING,
                    TypeInformation.of(RefundRequest.class));
    static final MapStateDescriptor<RuleId, Episode> OPEN =
            new MapStateDescriptor<>(
                    "open-alerts",
                    TypeInformation.of(RuleId.class),
                    TypeInformation.of(Episode.class));

    /** The alerts of SHADOW trials, beside the enforced ones. */
    static final MapStateDescriptor<RuleId, Episode> TRIAL =
            new MapStateDescriptor<>(
                    "trial-alerts",
                    TypeInformation.of(RuleId.class),
                    TypeInformation.of(Episode.class));

    /** A trial's own memory: silence watch, surge starts, overdue marks (as PROGRESS). */
    static final ValueStateDescriptor<InstitutionProgress> TRIAL_PROGRESS =
            new ValueStateDescriptor<>(
                    "trial-progress", TypeInformation.of(InstitutionProgress.class));

    /** Near-cap charges judged by a trial's settings, beside the enforced ones (R12). */
    static final String TRIAL_PAYER = "trial|";

    /** Every state of an institution. */
    static final List<StateDescriptor<?, ?>> ALL =
            List.of(
                    LEDGER,
                    PROGRESS,
                    SERIES,
                    CARDS,
                    NEAR_CAP,
                    REFUNDS,
                    OPEN,
                    TRIAL,
                    TRIAL_PROGRESS);

    /** The keyed states, opened once per function instance. */
    static final class States {
        final ValueState<Ledger> ledger;
        final ValueState<InstitutionProgress> progress;
        final MapState<SeriesBucket, TimeSeries> series;
        final MapState<String, Long> cards;
        final MapState<String, List<Long>> nearCap;
        final MapState<String, RefundRequest> refunds;
        final MapState<RuleId, Episode> open;
        final MapState<RuleId, Episode> trial;
        final ValueState<InstitutionProgress> trialProgress;

        /** For copies of what is held (this instance's own, as serializers may keep state). */
        final TypeSerializer<Ledger> ledgerSerializer;

        final TypeSerializer<InstitutionProgress> progressSerializer;
        final TypeSerializer<TimeSeries> seriesSerializer;

        States(RuntimeContext context) {
            ledger = context.getState(LEDGER);
            progress = context.getState(PROGRESS);
            series = context.getMapState(SERIES);
            cards = context.getMapState(CARDS);
            nearCap = context.getMapState(NEAR_CAP);
            refunds = context.getMapState(REFUNDS);
            open = context.getMapState(OPEN);
            trial = context.getMapState(TRIAL);
            trialProgress = context.getState(TRIAL_PROGRESS);
            ledgerSerializer = LEDGER.getSerializer().duplicate();
            progressSerializer = PROGRESS.getSerializer().duplicate();
            seriesSerializer = SERIES.getValueSerializer().duplicate();
        }

        InstitutionProgress copyOf(InstitutionProgress p) {
            return progressSerializer.copy(p);
        }

        /** Drops every trace of the current key. */
        void clear() {
            ledger.clear();
            progress.clear();
            series.clear();
            cards.clear();
            nearCap.clear();
            refunds.clear();
            open.clear();
            trial.clear();
            trialProgress.clear();
        }
    }

    /**
     * What this subtask holds of one institution between its wake-ups: the values read from the
     * state or written by a wake-up, and which of them the state does not have yet.
     */
    static final class Held {

        /** Whether the state holds nothing of the institution that is not here. */
        final boolean fresh;

        Ledger ledger;
        InstitutionProgress progress;
        InstitutionProgress trialProgress;
        Map<String, RefundRequest> refunds;
        Map<RuleId, Episode> open;
        Map<RuleId, Episode> trialOpen;

        /** The series buckets known, by bucket; a null value: known to be absent. */
        final Map<SeriesBucket, TimeSeries> buckets = new HashMap<>();

        /** The keys of {@code near-cap-charges-by-payer}, once known. */
        Set<String> nearCapKeys;

        boolean ledgerChanged;
        boolean progressChanged;
        boolean trialProgressChanged;
        final Set<SeriesBucket> changedBuckets = new HashSet<>();
        final Set<String> changedRefunds = new HashSet<>();
        final Set<RuleId> changedEpisodes = new HashSet<>();
        final Set<RuleId> changedTrialEpisodes = new HashSet<>();

        /**
         * @param fresh the state holds nothing of the institution (no restore, not seen before)
         */
        Held(boolean fresh) {
            this.fresh = fresh;
        }

        /** Whether the institution has recorded anything (its progress exists). */
        boolean hasProgress(States states) throws Exception {
            if (progress == null && !fresh) {
                InstitutionProgress stored = states.progress.value();
                if (stored != null) {
                    progress = states.copyOf(stored);
                }
            }
            return progress != null;
        }

        /**
         * Writes what the state does not have yet, under the current key; copies of the mutable
         * values, which the wake-ups go on changing (the heap state snapshots its objects
         * asynchronously).
         */
        void writeTo(States states) throws Exception {
            if (ledgerChanged) {
                states.ledger.update(states.ledgerSerializer.copy(ledger));
                ledgerChanged = false;
            }
            if (progressChanged) {
                states.progress.update(states.copyOf(progress));
                progressChanged = false;
            }
            if (trialProgressChanged) {
                states.trialProgress.update(states.copyOf(trialProgress));
                trialProgressChanged = false;
            }
            for (SeriesBucket b : changedBuckets) {
                TimeSeries points = buckets.get(b);
                if (points == null) {
                    states.series.remove(b);
                    if (fresh) {
                        buckets.remove(b); // absent is what a fresh institution's missing key says
                    }
                } else {
                    states.series.put(b, states.seriesSerializer.copy(points));
                }
            }
            changedBuckets.clear();
            for (String id : changedRefunds) {
                RefundRequest r = refunds.get(id);
                if (r == null) {
                    states.refunds.remove(id);
                } else {
                    states.refunds.put(id, r);
                }
            }
            changedRefunds.clear();
            writeEpisodes(open, changedEpisodes, states.open);
            writeEpisodes(trialOpen, changedTrialEpisodes, states.trial);
        }

        /** Whether there is anything {@link #writeTo} would write. */
        boolean changed() {
            return ledgerChanged
                    || progressChanged
                    || trialProgressChanged
                    || !changedBuckets.isEmpty()
                    || !changedRefunds.isEmpty()
                    || !changedEpisodes.isEmpty()
                    || !changedTrialEpisodes.isEmpty();
        }

        private static void writeEpisodes(
                Map<RuleId, Episode> episodes, Set<RuleId> changed, MapState<RuleId, Episode> to)
                throws Exception {
            for (RuleId rule : changed) {
                Episode e = episodes.get(rule);
                if (e == null) {
                    to.remove(rule);
                } else {
                    to.put(rule, e);
                }
            }
            changed.clear();
        }
    }

    private final States states;
    private final Held held;
    private Ledger ledger;
    private InstitutionProgress progress;
    private InstitutionProgress trialProgress;
    private final Map<Series, SeriesBuckets> series = new EnumMap<>(Series.class);

    KeyedInstitutionStore(States states, Held held) {
        this.states = states;
        this.held = held;
    }

    @Override
    public Ledger ledger() {
        if (ledger == null) {
            ledger = held.ledger;
            if (ledger == null) {
                Ledger stored = held.fresh ? null : value(states.ledger);
                if (stored != null) {
                    ledger = held.ledger = states.ledgerSerializer.copy(stored);
                } else {
                    ledger = new Ledger(); // held at the flush
                }
            }
        }
        return ledger;
    }

    @Override
    public InstitutionProgress progress() {
        if (progress == null) {
            progress = progressOf(held.progress, states.progress, p -> held.progress = p);
        }
        return progress;
    }

    /** The held progress, else a copy of the stored one (then held), else a new one. */
    private InstitutionProgress progressOf(
            InstitutionProgress known,
            ValueState<InstitutionProgress> state,
            java.util.function.Consumer<InstitutionProgress> hold) {
        if (known != null) {
            return known;
        }
        InstitutionProgress stored = held.fresh ? null : value(state);
        if (stored == null) {
            return new InstitutionProgress(); // held at the flush
        }
        InstitutionProgress copy = states.copyOf(stored);
        hold.accept(copy);
        return copy;
    }

    private static <T> T value(ValueState<T> state) {
        try {
            return state.value();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public SeriesBuckets series(Series which) {
        return series.computeIfAbsent(which, s -> new SeriesBuckets(new Buckets(s)));
    }

    @Override
    public long addToCard(String cardId, long deltaFen) {
        try {
            Long known = states.cards.get(cardId);
            long balance = known == null ? deltaFen : known + deltaFen;
            if (balance == 0) {
                states.cards.remove(cardId);
            } else {
                states.cards.put(cardId, balance);
            }
            return balance;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public List<Long> nearCapCharges(String payerHash) {
        if (!nearCapKeys().contains(payerHash)) {
            return List.of(); // the state has no entry: no read
        }
        try {
            List<Long> times = states.nearCap.get(payerHash);
            return times == null ? List.of() : times;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void putNearCapCharges(String payerHash, List<Long> times) {
        try {
            if (times.isEmpty()) {
                if (nearCapKeys().remove(payerHash)) {
                    states.nearCap.remove(payerHash);
                }
            } else {
                states.nearCap.put(payerHash, times);
                nearCapKeys().add(payerHash);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Iterable<String> nearCapPayers() {
        List<String> payers = new ArrayList<>();
        for (String key : nearCapKeys()) {
            if (!key.startsWith(TRIAL_PAYER)) {
                payers.add(key);
            }
        }
        return payers;
    }

    /**
     * The keys of {@code near-cap-charges-by-payer}: held, or listed once (with RocksDB an iterator
     * and a seek, at every wake-up before).
     */
    private Set<String> nearCapKeys() {
        if (held.nearCapKeys == null) {
            Set<String> keys = new HashSet<>();
            if (!held.fresh) {
                try {
                    for (String key : states.nearCap.keys()) {
                        keys.add(key);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            held.nearCapKeys = keys;
        }
        return held.nearCapKeys;
    }

    @Override
    public Map<String, RefundRequest> refundRequests() {
        return new HashMap<>(refunds());
    }

    @Override
    public RefundRequest refundRequest(String id) {
        return refunds().get(id);
    }

    @Override
    public void putRefundRequest(String id, RefundRequest request) {
        refunds().put(id, request);
        held.changedRefunds.add(id);
    }

    @Override
    public RefundRequest removeRefundRequest(String id) {
        RefundRequest removed = refunds().remove(id);
        held.changedRefunds.add(id);
        return removed;
    }

    @Override
    public Collection<Episode> episodes() {
        return new ArrayList<>(open().values());
    }

    @Override
    public Episode episode(RuleId rule) {
        return open().get(rule);
    }

    @Override
    public void putEpisode(Episode episode) {
        open().put(episode.rule(), episode);
        held.changedEpisodes.add(episode.rule());
    }

    @Override
    public Episode removeEpisode(RuleId rule) {
        Episode removed = open().remove(rule);
        held.changedEpisodes.add(rule);
        return removed;
    }

    /**
     * The store of a SHADOW trial: the ledger, series and refund requests of this one (read only),
     * its own alerts, progress, near-cap charges and overdue marks.
     */
    InstitutionStore trial() {
        return new TrialView();
    }

    /** Whether a trial's alerts are kept (open or in their cool-down). */
    boolean hasTrialAlerts() {
        return !trialOpen().isEmpty();
    }

    /**
     * Ends the wake-up: what it created and changed is held, to be written to the state before the
     * next snapshot.
     */
    void flush() {
        if (ledger != null) {
            held.ledger = ledger;
            held.ledgerChanged = true;
        }
        if (progress != null) {
            held.progress = progress;
            held.progressChanged = true;
        }
        if (trialProgress != null) {
            held.trialProgress = trialProgress;
            held.trialProgressChanged = true;
        }
    }

    private Map<RuleId, Episode> trialOpen() {
        if (held.trialOpen == null) {
            held.trialOpen = episodes(states.trial);
        }
        return held.trialOpen;
    }

    private InstitutionProgress trialProgress() {
        if (trialProgress == null) {
            trialProgress =
                    progressOf(
                            held.trialProgress, states.trialProgress, p -> held.trialProgress = p);
        }
        return trialProgress;
    }

    /** A map state's episodes, read once (none when the institution is fresh). */
    private Map<RuleId, Episode> episodes(MapState<RuleId, Episode> state) {
        Map<RuleId, Episode> episodes = new EnumMap<>(RuleId.class);
        if (!held.fresh) {
            try {
                for (Map.Entry<RuleId, Episode> e : state.entries()) {
                    episodes.put(e.getKey(), e.getValue());
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return episodes;
    }

    /** A trial's view of the institution (see {@link #trial}). */
    private final class TrialView implements InstitutionStore {

        @Override
        public Ledger ledger() {
            return KeyedInstitutionStore.this.ledger();
        }

        @Override
        public InstitutionProgress progress() {
            return trialProgress();
        }

        @Override
        public SeriesBuckets series(Series which) {
            return KeyedInstitutionStore.this.series(which);
        }

        @Override
        public List<Long> nearCapCharges(String payerHash) {
            return KeyedInstitutionStore.this.nearCapCharges(TRIAL_PAYER + payerHash);
        }

        @Override
        public void putNearCapCharges(String payerHash, List<Long> times) {
            KeyedInstitutionStore.this.putNearCapCharges(TRIAL_PAYER + payerHash, times);
        }

        @Override
        public Iterable<String> nearCapPayers() {
            List<String> payers = new ArrayList<>();
            for (String key : nearCapKeys()) {
                if (key.startsWith(TRIAL_PAYER)) {
                    payers.add(key.substring(TRIAL_PAYER.length()));
                }
            }
            return payers;
        }

        @Override
        public Map<String, RefundRequest> refundRequests() {
            Map<String, RefundRequest> marked = new HashMap<>();
            Map<String, Level> marks = trialProgress().getOverdueMarks();
            refunds().forEach((id, r) -> marked.put(id, r.withOverdue(marks.get(id))));
            return marked;
        }

        @Override
        public RefundRequest refundRequest(String id) {
            RefundRequest r = refunds().get(id);
            return r == null ? null : r.withOverdue(trialProgress().getOverdueMarks().get(id));
        }

        @Override
        public void putRefundRequest(String id, RefundRequest request) {
            // a trial only marks a request overdue by its own deadlines
            trialProgress().getOverdueMarks().put(id, request.overdue());
        }

        @Override
        public Level settledOverdue(String id, RefundRequest settled) {
            return trialProgress().getOverdueMarks().remove(id);
        }

        @Override
        public Collection<Episode> episodes() {
            return new ArrayList<>(trialOpen().values());
        }

        @Override
        public Episode episode(RuleId rule) {
            return trialOpen().get(rule);
        }

        @Override
        public void putEpisode(Episode episode) {
            trialOpen().put(episode.rule(), episode);
            held.changedTrialEpisodes.add(episode.rule());
        }

        @Override
        public Episode removeEpisode(RuleId rule) {
            Episode removed = trialOpen().remove(rule);
            held.changedTrialEpisodes.add(rule);
            return removed;
        }
    }

    /** The unpaid requests: held, or read once (records, never changed in place). */
    private Map<String, RefundRequest> refunds() {
        if (held.refunds == null) {
            Map<String, RefundRequest> refunds = new HashMap<>();
            if (!held.fresh) {
                try {
                    for (Map.Entry<String, RefundRequest> e : states.refunds.entries()) {
                        refunds.put(e.getKey(), e.getValue());
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            held.refunds = refunds;
        }
        return held.refunds;
    }

    private Map<RuleId, Episode> open() {
        if (held.open == null) {
            held.open = episodes(states.open);
        }
        return held.open;
    }

    /** One series' buckets: cached map entries, their start in the progress value. */
    private final class Buckets implements BucketStore {

        private final Series which;

        Buckets(Series which) {
            this.which = which;
        }

        @Override
        public TimeSeries get(long start) {
            SeriesBucket key = new SeriesBucket(which, start);
            if (held.buckets.containsKey(key) || held.fresh) {
                return held.buckets.get(key);
            }
            try {
                TimeSeries stored = states.series.get(key);
                TimeSeries points = stored == null ? null : states.seriesSerializer.copy(stored);
                held.buckets.put(key, points);
                return points;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void put(long start, TimeSeries points) {
            SeriesBucket key = new SeriesBucket(which, start);
            held.buckets.put(key, points);
            held.changedBuckets.add(key);
        }

        @Override
        public void remove(long start) {
            SeriesBucket key = new SeriesBucket(which, start);
            // known absent, and dropped from memory once the state has it
            held.buckets.put(key, null);
            held.changedBuckets.add(key);
        }

        @Override
        public Long earliest() {
            return progress().getEarliestBuckets().get(which);
        }

        @Override
        public void setEarliest(Long start) {
            if (start == null) {
                progress().getEarliestBuckets().remove(which);
            } else {
                progress().getEarliestBuckets().put(which, start);
            }
        }
    }
}
