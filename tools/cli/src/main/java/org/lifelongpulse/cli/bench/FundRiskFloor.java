package org.lifelongpulse.cli.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.lifelongpulse.adapters.kafka.ContractDeserializer;
import org.lifelongpulse.admission.Decoded;
import org.lifelongpulse.avro.Institution;
import org.lifelongpulse.avro.PrepaidTransaction;
import org.lifelongpulse.cli.bench.MeasuredRun.Cost;
import org.lifelongpulse.fundrisk.FundRiskJob;
import org.lifelongpulse.fundrisk.FundRiskOptions;
import org.lifelongpulse.fundrisk.records.AlertRow;
import org.lifelongpulse.fundrisk.records.FundTransaction;
import org.lifelongpulse.fundrisk.rules.InstitutionHistory;
import org.lifelongpulse.fundrisk.rules.InstitutionVersion;
import org.lifelongpulse.fundrisk.rules.RiskEngine;
import org.lifelongpulse.fundrisk.rules.RuleBook;
import org.lifelongpulse.fundrisk.rules.RuleTimeline;

/**
 * B0 for fund-risk, its own single-threaded floor: the ledger and the rules on the transactions in
 * memory, without Flink or Kafka. The job's decoder ({@link FundRiskJob#transactionDeserializer}:
 * Avro, validation, the payer's keyed hash), dropping resends (a set of ids), and per institution
 * the {@link RiskEngine} the job's function drives, on an in-memory store: transactions applied in
 * (event time, txn id) order, each instant's wake-up after them, the engine's deadlines fired as
 * event time passes them (up to the last transaction's time less the out-of-orderness bound, as the
 * job's watermark), the risk score read after each wake-up, an institution's state dropped once it
 * is gone. The default rule settings, as in the benchmark's topics; no trial. Not in it: waiting
 * for the watermark in keyed state, timers, the alert, ledger and risk rows' encoding and the
 * inserts. CPU is the process's, as for the jobs.
 */
final class FundRiskFloor {

    private FundRiskFloor() {}

    /** What the floor counted, and what it cost. */
    record Result(
            long messages,
            long applied,
            long duplicates,
            long deadLetters,
            long wakeUps,
            long alertVersions,
            Map<String, Long> alertVersionsByRule,
            Duration wall,
            double cpuSeconds) {

        double perSecond() {
            return messages / (wall.toNanos() / 1e9);
        }

        double cpuPerMillion() {
            return Marginal.perMillion(cpuSeconds, messages);
        }

        Cost cost() {
            return new Cost(wall, cpuSeconds, -1, -1, 0, -1, -1, -1, Double.NaN, Double.NaN);
        }
    }

    /**
     * @param transactions the transactions topic's messages
     * @param institutions every institution version (reference data, read before the transactions
     *     as the job's broadcast side does)
     */
    static Result run(
            List<ConsumerRecord<byte[], byte[]>> transactions,
            List<Institution> institutions,
            FundRiskOptions.Settings settings) {
        long startNanos = System.nanoTime();
        long startCpu = MeasuredRun.cpuNanos();
        Map<String, InstitutionHistory> reference = new HashMap<>();
        for (Institution i : institutions) {
            reference.merge(
                    i.getInstitutionId(),
                    new InstitutionHistory().with(versionOf(i)),
                    (known, added) -> known.with(added.latest()));
        }
        ContractDeserializer<PrepaidTransaction, FundTransaction> decoder =
                FundRiskJob.transactionDeserializer(settings);
        decoder.open(null);
        OneRecord<Decoded<FundTransaction>> decoded = new OneRecord<>();
        Set<String> seen = new HashSet<>();
        Map<String, List<FundTransaction>> byInstitution = new HashMap<>();
        long duplicates = 0;
        long deadLetters = 0;
        long newest = Long.MIN_VALUE;
        for (ConsumerRecord<byte[], byte[]> message : transactions) {
            decoder.deserialize(message, decoded);
            Decoded<FundTransaction> d = decoded.take();
            if (d.value == null) {
                deadLetters++;
            } else if (!seen.add(d.value.txnId())) {
                duplicates++;
            } else {
                byInstitution
                        .computeIfAbsent(d.value.institutionId(), k -> new ArrayList<>())
                        .add(d.value);
                newest = Math.max(newest, d.value.eventTime());
            }
        }
        // the watermark the job ends at: deadlines after it never fire
        long lastWatermark = newest - settings.outOfOrderness().toMillis() - 1;
        Engines engines =
                new Engines(
                        reference,
                        RuleTimeline.defaults(),
                        settings.closedRetention().toMillis(),
                        lastWatermark);
        for (Map.Entry<String, List<FundTransaction>> e : byInstitution.entrySet()) {
            engines.institution(e.getKey(), e.getValue());
        }
        return new Result(
                transactions.size(),
                engines.applied,
                duplicates,
                deadLetters,
                engines.wakeUps,
                engines.alerts,
                engines.byRule,
                Duration.ofNanos(System.nanoTime() - startNanos),
                (MeasuredRun.cpuNanos() - startCpu) / 1e9);
    }

    /** Institution by institution: the engine over its transactions and deadlines. */
    private static final class Engines {
        private final Map<String, InstitutionHistory> reference;
        private final RuleTimeline timeline;
        private final long closedRetention;
        private final long lastWatermark;
        private long applied;
        private long wakeUps;
        private long alerts;
        private final Map<String, Long> byRule = new java.util.TreeMap<>();

        Engines(
                Map<String, InstitutionHistory> reference,
                RuleTimeline timeline,
                long closedRetention,
                long lastWatermark) {
            this.reference = reference;
            this.timeline = timeline;
            this.closedRetention = closedRetention;
            this.lastWatermark = lastWatermark;
        }

        void institution(String id, List<FundTransaction> txns) {
            txns.sort(
                    Comparator.comparingLong(FundTransaction::eventTime)
                            .thenComparing(FundTransaction::txnId));
            MemoryInstitutionRecords store = new MemoryInstitutionRecords();
            TreeSet<Long> deadlines = new TreeSet<>();
            int i = 0;
            while (i < txns.size()) {
                long t = txns.get(i).eventTime();
                deadlines = fireBefore(id, store, deadlines, t);
                List<AlertRow> out = new ArrayList<>();
                RiskEngine engine = engine(id, store, t, out);
                while (i < txns.size() && txns.get(i).eventTime() == t) {
                    engine.apply(txns.get(i++));
                    applied++;
                }
                if (t <= lastWatermark) {
                    engine.wakeUp(t);
                }
                deadlines = finish(engine, out, t);
                if (engine.isGone(t, closedRetention)) {
                    store = new MemoryInstitutionRecords();
                    deadlines.clear();
                }
            }
            fireBefore(id, store, deadlines, lastWatermark + 1);
        }

        /** Fires the deadlines before {@code t}; returns those still wanted. */
        private TreeSet<Long> fireBefore(
                String id, MemoryInstitutionRecords store, TreeSet<Long> deadlines, long t) {
            while (!deadlines.isEmpty() && deadlines.first() < t) {
                long d = deadlines.pollFirst();
                List<AlertRow> out = new ArrayList<>();
                RiskEngine engine = engine(id, store, d, out);
                engine.wakeUp(d);
                deadlines = finish(engine, out, d);
            }
            return deadlines;
        }

        private RiskEngine engine(
                String id, MemoryInstitutionRecords store, long t, List<AlertRow> out) {
            InstitutionHistory history = reference.get(id);
            InstitutionVersion latest = history == null ? null : history.latest();
            String district = latest == null ? null : latest.district();
            RuleBook rules = timeline.at(t);
            return RiskEngine.enforcing(id, store, history, rules.forDistrict(district), null, out);
        }

        /** After a wake-up: its alert versions and risk score; the deadlines after it. */
        private TreeSet<Long> finish(RiskEngine engine, List<AlertRow> out, long t) {
            wakeUps++;
            alerts += out.size();
            for (AlertRow alert : out) {
                byRule.merge(alert.ruleId(), 1L, Long::sum);
            }
            engine.riskChange();
            return new TreeSet<>(engine.deadlines(closedRetention).tailSet(t + 1));
        }
    }

    /** As the job's broadcast side makes it (AssessInstitutions). */
    private static InstitutionVersion versionOf(Institution i) {
        return new InstitutionVersion(
                i.getUpdatedAt().toEpochMilli(),
                i.getName(),
                i.getDistrict().name(),
                i.getLicenseStatus(),
                i.getClosureNoticeAt() == null ? null : i.getClosureNoticeAt().toEpochMilli());
    }
}
