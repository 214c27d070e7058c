package org.lifelongpulse.cli.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.lifelongpulse.fundrisk.rules.BucketStore;
import org.lifelongpulse.fundrisk.rules.Episode;
import org.lifelongpulse.fundrisk.rules.InstitutionProgress;
import org.lifelongpulse.fundrisk.rules.InstitutionRecords;
import org.lifelongpulse.fundrisk.rules.Ledger;
import org.lifelongpulse.fundrisk.rules.RefundRequest;
import org.lifelongpulse.fundrisk.rules.RuleId;
import org.lifelongpulse.fundrisk.rules.Series;
import org.lifelongpulse.fundrisk.rules.SeriesBuckets;
import org.lifelongpulse.fundrisk.rules.TimeSeries;

/**
 * An institution's rule state in plain maps, for the fund-risk floor: what the job keeps in keyed
 * state (one state per access pattern), without serializers or a state backend.
 */
final class MemoryInstitutionRecords implements InstitutionRecords {

    private final Ledger ledger = new Ledger();
    private final InstitutionProgress progress = new InstitutionProgress();
    private final Map<Series, SeriesBuckets> series = new EnumMap<>(Series.class);
    private final Map<String, Long> cards = new HashMap<>();
    private final Map<String, List<Long>> nearCap = new HashMap<>();
    private final Map<String, RefundRequest> refunds = new HashMap<>();
    private final Map<RuleId, Episode> open = new EnumMap<>(RuleId.class);

    @Override
    public Ledger ledger() {
        return ledger;
    }

    @Override
    public InstitutionProgress progress() {
        return progress;
    }

    @Override
    public SeriesBuckets series(Series which) {
        return series.computeIfAbsent(which, s -> new SeriesBuckets(new Buckets(s)));
    }

    @Override
    public long addToCard(String cardId, long deltaFen) {
        long balance = cards.getOrDefault(cardId, 0L) + deltaFen;
        if (balance == 0) {
            cards.remove(cardId);
        } else {
            cards.put(cardId, balance);
        }
        return balance;
    }

    @Override
    public RefundRequest removeRefundRequest(String id) {
        return refunds.remove(id);
    }

    @Override
    public List<Long> nearCapCharges(String payerHash) {
        return nearCap.getOrDefault(payerHash, List.of());
    }

    @Override
    public void putNearCapCharges(String payerHash, List<Long> times) {
        if (times.isEmpty()) {
            nearCap.remove(payerHash);
        } else {
            nearCap.put(payerHash, times);
        }
    }

    @Override
    public Iterable<String> nearCapPayers() {
        return new ArrayList<>(nearCap.keySet());
    }

    @Override
    public Map<String, RefundRequest> refundRequests() {
        return new HashMap<>(refunds);
    }

    @Override
    public RefundRequest refundRequest(String id) {
        return refunds.get(id);
    }

    @Override
    public void putRefundRequest(String id, RefundRequest request) {
        refunds.put(id, request);
    }

    @Override
    public Collection<Episode> episodes() {
        return new ArrayList<>(open.values());
    }

    @Override
    public Episode episode(RuleId rule) {
        return open.get(rule);
    }

    @Override
    public void putEpisode(Episode episode) {
        open.put(episode.rule(), episode);
    }

    @Override
    public Episode removeEpisode(RuleId rule) {
        return open.remove(rule);
    }

    /** One series' buckets; the earliest bucket's start in the progress, as the job keeps it. */
    private final class Buckets implements BucketStore {
        private final Series which;
        private final Map<Long, TimeSeries> buckets = new HashMap<>();

        Buckets(Series which) {
            this.which = which;
        }

        @Override
        public TimeSeries get(long start) {
            return buckets.get(start);
        }

        @Override
        public void put(long start, TimeSeries points) {
            buckets.put(start, points);
        }

        @Override
        public void remove(long start) {
            buckets.remove(start);
        }

        @Override
        public Long earliest() {
            return progress.getEarliestBuckets().get(which);
        }

        @Override
        public void setEarliest(Long start) {
            if (start == null) {
                progress.getEarliestBuckets().remove(which);
            } else {
                progress.getEarliestBuckets().put(which, start);
            }
        }
    }
}
