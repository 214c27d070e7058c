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
 * An institution's rule state in Flink keyed state, one state per access pattern, for the duration
 * of one wake-up: what is read is kept until {@link #flush} writes back what changed, so that a
 * timer reads the ledger, the progress, the open alerts and the unpaid requests, and only the
 * series buckets, cards and payers its transactions touch.
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

    private final States states;
    private Ledger ledger;
    private InstitutionProgress progress;
    private final Map<SeriesBucket, TimeSeries> buckets = new HashMap<>();
    private final Set<SeriesBucket> changedBuckets = new HashSet<>();
    private final Map<Series, SeriesBuckets> series = new EnumMap<>(Series.class);
    private Map<String, RefundRequest> refunds;
    private final Set<String> changedRefunds = new HashSet<>();
    private Map<RuleId, Episode> open;
    private final Set<RuleId> changedEpisodes = new HashSet<>();
    private Map<RuleId, Episode> trialOpen;
    private final Set<RuleId> changedTrialEpisodes = new HashSet<>();
    private InstitutionProgress trialProgress;

    KeyedInstitutionStore(States states) {
        this.states = states;
    }

    @Override
    public Ledger ledger() {
        if (ledger == null) {
            try {
                ledger = read(states.ledger.value(), new Ledger());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return ledger;
    }

    @Override
    public InstitutionProgress progress() {
        if (progress == null) {
            try {
                progress = read(states.progress.value(), new InstitutionProgress());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return progress;
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
                states.nearCap.remove(payerHash);
            } else {
                states.nearCap.put(payerHash, times);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Iterable<String> nearCapPayers() {
        try {
            List<String> payers = new ArrayList<>();
            for (String key : states.nearCap.keys()) {
                if (!key.startsWith(TRIAL_PAYER)) {
                    payers.add(key);
                }
            }
            return payers;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
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
        changedRefunds.add(id);
    }

    @Override
    public RefundRequest removeRefundRequest(String id) {
        RefundRequest removed = refunds().remove(id);
        changedRefunds.add(id);
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
        changedEpisodes.add(episode.rule());
    }

    @Override
    public Episode removeEpisode(RuleId rule) {
        Episode removed = open().remove(rule);
        changedEpisodes.add(rule);
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

    /** Writes back what this wake-up changed. */
    void flush() throws Exception {
        if (ledger != null) {
            states.ledger.update(ledger);
        }
        if (progress != null) {
            states.progress.update(progress);
        }
        for (SeriesBucket b : changedBuckets) {
            TimeSeries points = buckets.get(b);
            if (points == null) {
                states.series.remove(b);
            } else {
                states.series.put(b, points);
            }
        }
        for (String id : changedRefunds) {
            RefundRequest r = refunds.get(id);
            if (r == null) {
                states.refunds.remove(id);
            } else {
                states.refunds.put(id, r);
            }
        }
        for (RuleId rule : changedEpisodes) {
            Episode e = open.get(rule);
            if (e == null) {
                states.open.remove(rule);
            } else {
                states.open.put(rule, e);
            }
        }
        if (trialProgress != null) {
            states.trialProgress.update(trialProgress);
        }
        for (RuleId rule : changedTrialEpisodes) {
            Episode e = trialOpen.get(rule);
            if (e == null) {
                states.trial.remove(rule);
            } else {
                states.trial.put(rule, e);
            }
        }
    }

    private Map<RuleId, Episode> trialOpen() {
        if (trialOpen == null) {
            trialOpen = new EnumMap<>(RuleId.class);
            try {
                for (Map.Entry<RuleId, Episode> e : states.trial.entries()) {
                    trialOpen.put(e.getKey(), e.getValue());
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return trialOpen;
    }

    private InstitutionProgress trialProgress() {
        if (trialProgress == null) {
            try {
                trialProgress = read(states.trialProgress.value(), new InstitutionProgress());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return trialProgress;
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
            try {
                List<String> payers = new ArrayList<>();
                for (String key : states.nearCap.keys()) {
                    if (key.startsWith(TRIAL_PAYER)) {
                        payers.add(key.substring(TRIAL_PAYER.length()));
                    }
                }
                return payers;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
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
            changedTrialEpisodes.add(episode.rule());
        }

        @Override
        public Episode removeEpisode(RuleId rule) {
            Episode removed = trialOpen().remove(rule);
            changedTrialEpisodes.add(rule);
            return removed;
        }
    }

    private Map<String, RefundRequest> refunds() {
        if (refunds == null) {
            refunds = new HashMap<>();
            try {
                for (Map.Entry<String, RefundRequest> e : states.refunds.entries()) {
                    refunds.put(e.getKey(), e.getValue());
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return refunds;
    }

    private Map<RuleId, Episode> open() {
        if (open == null) {
            open = new EnumMap<>(RuleId.class);
            try {
                for (Map.Entry<RuleId, Episode> e : states.open.entries()) {
                    open.put(e.getKey(), e.getValue());
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return open;
    }

    private static <T> T read(T stored, T fresh) {
        return stored == null ? fresh : stored;
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
            if (buckets.containsKey(key)) {
                return buckets.get(key);
            }
            try {
                TimeSeries points = states.series.get(key);
                buckets.put(key, points);
                return points;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void put(long start, TimeSeries points) {
            SeriesBucket key = new SeriesBucket(which, start);
            buckets.put(key, points);
            changedBuckets.add(key);
        }

        @Override
        public void remove(long start) {
            SeriesBucket key = new SeriesBucket(which, start);
            buckets.put(key, null);
            changedBuckets.add(key);
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
