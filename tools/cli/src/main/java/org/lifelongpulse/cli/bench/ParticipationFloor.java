package org.lifelongpulse.cli.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.lifelongpulse.adapters.kafka.ContractDeserializer;
import org.lifelongpulse.admission.AdmitInTime;
import org.lifelongpulse.admission.Decoded;
import org.lifelongpulse.admission.EventMinute;
import org.lifelongpulse.admission.PartitionClock;
import org.lifelongpulse.avro.LearningActivity;
import org.lifelongpulse.cli.bench.MeasuredRun.Cost;
import org.lifelongpulse.participation.ParticipationJob;
import org.lifelongpulse.participation.ParticipationOptions;
import org.lifelongpulse.participation.functions.MinuteTally;
import org.lifelongpulse.participation.functions.TallyActivities;
import org.lifelongpulse.participation.records.Activity;
import org.lifelongpulse.participation.records.ParticipationGroup;
import org.lifelongpulse.participation.records.ParticipationVisit;
import org.lifelongpulse.participation.records.ResourceGroup;
import org.lifelongpulse.participation.records.ResourceVisit;
import org.lifelongpulse.participation.records.Visit;

/**
 * B0 for participation, the single-threaded floor: what the job's per-minute path must do for each
 * message, done in one thread on messages in memory, without Flink or Kafka. The job's own decoder
 * ({@link ParticipationJob#activityDeserializer}: Avro, validation, the learner's keyed hash), its
 * lateness check on each partition's {@link PartitionClock} ({@link AdmitInTime#isLate}), dropping
 * resends (a map of ids forgotten a retention after their event time, per minute), and the tally of
 * both per-minute tables ({@link TallyActivities} into {@link MinuteTally} per group and minute,
 * fired when the combined watermark passes the minute, kept for the allowed lateness). Not in it:
 * the campaign's and the funnel's distinct counts, route completions, the rows' encoding and the
 * inserts. CPU is the process's, as for the jobs.
 */
final class ParticipationFloor {

    private ParticipationFloor() {}

    /** What the floor counted, and what it cost. */
    record Result(
            long messages,
            long admitted,
            long late,
            long duplicates,
            long deadLetters,
            long rows,
            Duration wall,
            double cpuSeconds) {

        double perSecond() {
            return messages / (wall.toNanos() / 1e9);
        }

        double cpuPerMillion() {
            return Marginal.perMillion(cpuSeconds, messages);
        }

        /** As a run's cost (no heap, checkpoints or ClickHouse figures). */
        Cost cost() {
            return new Cost(wall, cpuSeconds, -1, -1, 0, -1, -1, -1, Double.NaN, Double.NaN);
        }
    }

    static Result run(
            List<ConsumerRecord<byte[], byte[]>> messages, ParticipationOptions.Settings settings) {
        // every partition holds the combined watermark back from the start, as in the job
        List<String> partitions =
                messages.stream().map(m -> m.topic() + "#" + m.partition()).distinct().toList();
        long startNanos = System.nanoTime();
        long startCpu = MeasuredRun.cpuNanos();
        ContractDeserializer<LearningActivity, Activity> decoder =
                ParticipationJob.activityDeserializer(settings);
        decoder.open(null);
        OneRecord<Decoded<Activity>> decoded = new OneRecord<>();
        long outOfOrderness = settings.outOfOrderness().toMillis();
        long liveHorizon = settings.liveHorizon().toMillis();
        long lateness = settings.allowedLateness().toMillis();
        long retention = settings.dedupRetention().toMillis();
        Map<String, PartitionClock> clocks = new HashMap<>();
        for (String partition : partitions) {
            clocks.put(partition, new PartitionClock(outOfOrderness, liveHorizon));
        }
        List<PartitionClock> allClocks = List.copyOf(clocks.values());
        Map<String, Long> admittedIds = new HashMap<>();
        TreeMap<Long, List<String>> forgetAt = new TreeMap<>();
        MinuteWindows<ParticipationGroup, ParticipationVisit> participation =
                new MinuteWindows<>(lateness);
        MinuteWindows<ResourceGroup, ResourceVisit> resources = new MinuteWindows<>(lateness);
        long watermark = Long.MIN_VALUE;
        long admitted = 0;
        long late = 0;
        long duplicates = 0;
        long deadLetters = 0;
        for (ConsumerRecord<byte[], byte[]> message : messages) {
            decoder.deserialize(message, decoded);
            Decoded<Activity> d = decoded.take();
            if (d.value == null) {
                deadLetters++;
                continue;
            }
            Activity a = d.value;
            PartitionClock clock = clocks.get(a.sourceTopic() + "#" + a.sourcePartition());
            long now = System.currentTimeMillis();
            long partitionWatermark = clock.watermarkAt(now);
            if (partitionWatermark != Long.MIN_VALUE
                    && AdmitInTime.isLate(a.eventTime(), partitionWatermark, lateness)) {
                late++;
                continue;
            }
            clock.onEvent(a.eventTime(), now);
            if (admittedIds.putIfAbsent(a.eventId(), a.eventTime()) != null) {
                duplicates++;
                continue;
            }
            forgetAt.computeIfAbsent(
                            EventMinute.startOf(a.eventTime() + retention), m -> new ArrayList<>())
                    .add(a.eventId());
            admitted++;
            ParticipationVisit p = ParticipationVisit.of(a);
            participation.add(p.group(), a.eventTime(), p);
            ResourceVisit r = ResourceVisit.of(a);
            resources.add(r.group(), a.eventTime(), r);

            // the combined watermark: the least of the partitions' clocks
            long combined = Long.MAX_VALUE;
            for (PartitionClock c : allClocks) {
                combined = Math.min(combined, c.watermarkAt(now));
            }
            if (combined > watermark) {
                watermark = combined;
                participation.advance(watermark);
                resources.advance(watermark);
                forget(forgetAt, admittedIds, watermark);
            }
        }
        // the end of input: every window fires
        participation.advance(Long.MAX_VALUE);
        resources.advance(Long.MAX_VALUE);
        return new Result(
                messages.size(),
                admitted,
                late,
                duplicates,
                deadLetters,
                participation.rows + resources.rows,
                Duration.ofNanos(System.nanoTime() - startNanos),
                (MeasuredRun.cpuNanos() - startCpu) / 1e9);
    }

    /** Forgets the ids whose retention the watermark has passed (a minute at a time). */
    private static void forget(
            TreeMap<Long, List<String>> forgetAt, Map<String, Long> ids, long watermark) {
        Iterator<Map.Entry<Long, List<String>>> due = forgetAt.entrySet().iterator();
        while (due.hasNext()) {
            Map.Entry<Long, List<String>> minute = due.next();
            if (EventMinute.lastMilliOf(minute.getKey()) > watermark) {
                return;
            }
            minute.getValue().forEach(ids::remove);
            due.remove();
        }
    }

    /**
     * One-minute tumbling windows with allowed lateness, as Flink runs them with an event-time
     * trigger: a minute fires when the watermark passes its end, again for each event that arrives
     * within its lateness, and is dropped after.
     */
    private static final class MinuteWindows<K, V extends Visit> {
        private final long lateness;
        private final TallyActivities<V> tally = new TallyActivities<>();
        private final TreeMap<Long, Map<K, MinuteTally>> minutes = new TreeMap<>();
        private long watermark = Long.MIN_VALUE;
        private long rows;

        MinuteWindows(long lateness) {
            this.lateness = lateness;
        }

        void add(K group, long eventTime, V visit) {
            long minute = EventMinute.startOf(eventTime);
            MinuteTally t =
                    minutes.computeIfAbsent(minute, m -> new HashMap<>())
                            .computeIfAbsent(group, g -> tally.createAccumulator());
            tally.add(visit, t);
            if (EventMinute.lastMilliOf(minute) <= watermark) {
                emit(t); // a late firing
            }
        }

        /** Fires the minutes the watermark has newly passed; drops those past their lateness. */
        void advance(long to) {
            Iterator<Map.Entry<Long, Map<K, MinuteTally>>> open = minutes.entrySet().iterator();
            while (open.hasNext()) {
                Map.Entry<Long, Map<K, MinuteTally>> minute = open.next();
                long end = EventMinute.lastMilliOf(minute.getKey());
                if (end > to) {
                    break;
                }
                if (end > watermark) {
                    minute.getValue().values().forEach(this::emit);
                }
                if (to == Long.MAX_VALUE || end + lateness <= to) {
                    open.remove();
                }
            }
            watermark = to;
        }

        private void emit(MinuteTally t) {
            rows++;
        }
    }
}
