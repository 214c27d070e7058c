package org.lifelongpulse.cli.backtest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.lifelongpulse.adapters.kafka.KafkaSources;
import org.lifelongpulse.admission.Decoded;
import org.lifelongpulse.fundrisk.FundRiskJob;
import org.lifelongpulse.fundrisk.FundRiskOptions;
import org.lifelongpulse.fundrisk.FundRiskOutputs;
import org.lifelongpulse.fundrisk.records.AlertRow;
import org.lifelongpulse.fundrisk.records.FundTransaction;

/**
 * One replay of the retained transactions through the fund-risk job's own topology ({@link
 * FundRiskJob#defineWorkflow}) on a local MiniCluster: the transactions topic from its earliest
 * offset to the offsets that are latest at the start, by a consumer group of its own that commits
 * nothing (no checkpoints, {@code commit.offsets.on.checkpoint=false}); the reference data from the
 * institution topics and a scratch rules topic holding the replay's settings. Every output but the
 * alerts is discarded; the alerts are kept in this JVM. Nothing is written to a live table or
 * topic.
 */
final class Replay {

    /** What the collecting sinks and the counting deserializers of running replays hold. */
    private static final Map<String, Queue<AlertRow>> ALERTS = new ConcurrentHashMap<>();

    private static final Map<String, AtomicLong> READ = new ConcurrentHashMap<>();

    private final String id = UUID.randomUUID().toString();
    private final Configuration config;
    private final String transactionsTopic;
    private final Collection<String> referenceTopics;
    private final long toMillis;
    private final Function<Configuration, StreamExecutionEnvironment> environments;

    /**
     * @param config the job's options: Kafka, topic prefix, hash key, parallelism, and {@code
     *     fund-risk.rules.topic} naming the scratch rules topic
     * @param referenceTopics the institution topics and the scratch rules topic (full names)
     * @param toMillis transactions at or after this event time are left out
     * @param environments the environment for a configuration: a local MiniCluster of its own on
     *     the command line, the test's in tests
     */
    Replay(
            Configuration config,
            String transactionsTopic,
            Collection<String> referenceTopics,
            long toMillis,
            Function<Configuration, StreamExecutionEnvironment> environments) {
        this.environments = environments;
        this.config = config;
        this.transactionsTopic = transactionsTopic;
        this.referenceTopics = List.copyOf(referenceTopics);
        this.toMillis = toMillis;
    }

    /** After the run: what it read. */
    private volatile long readInAll = -1;

    /** Transactions read from Kafka so far (those after the period included), for progress. */
    long read() {
        if (readInAll >= 0) {
            return readInAll;
        }
        AtomicLong read = READ.get(id);
        return read == null ? 0 : read.get();
    }

    /**
     * Runs the replay to the end of its bounded input and returns every version of every alert it
     * produced (SHADOW ones included).
     */
    List<AlertRow> run(String jobName) throws Exception {
        ALERTS.put(id, new ConcurrentLinkedQueue<>());
        READ.put(id, new AtomicLong());
        try {
            StreamExecutionEnvironment env = environments.apply(config);
            FundRiskOptions.Settings settings = FundRiskJob.settings(config);
            String bootstrap = org.lifelongpulse.jobs.KafkaOptions.bootstrap(config);
            KafkaSource<Decoded<FundTransaction>> transactions =
                    KafkaSource.<Decoded<FundTransaction>>builder()
                            .setBootstrapServers(bootstrap)
                            .setTopics(transactionsTopic)
                            .setGroupId("pulse-backtest-" + id)
                            .setStartingOffsets(OffsetsInitializer.earliest())
                            .setBounded(OffsetsInitializer.latest())
                            .setDeserializer(
                                    new UntilPeriodEnd(
                                            FundRiskJob.transactionDeserializer(settings),
                                            id,
                                            toMillis))
                            .setProperty("isolation.level", "read_committed")
                            .setProperty("commit.offsets.on.checkpoint", "false")
                            .setProperty("enable.auto.commit", "false")
                            .build();
            FundRiskJob.defineWorkflow(
                    env,
                    settings,
                    transactions,
                    KafkaSources.reference(bootstrap, true, referenceTopics.toArray(String[]::new)),
                    outputs(id));
            env.execute(jobName);
            return new ArrayList<>(ALERTS.get(id));
        } finally {
            ALERTS.remove(id);
            AtomicLong read = READ.remove(id);
            readInAll = read == null ? 0 : read.get();
        }
    }

    /** The alerts into this JVM; everything else discarded. */
    private static FundRiskOutputs outputs(String run) {
        return new FundRiskOutputs(
                s -> discard(s, "transactions"),
                s -> discard(s, "institutions"),
                s -> discard(s, "ledger"),
                s ->
                        s.sinkTo(new CollectAlerts(run))
                                .uid("backtest-collect-alerts")
                                .name("collect alerts"),
                s -> discard(s, "actions"),
                s -> discard(s, "risk"),
                s -> discard(s, "duplicates"),
                s -> discard(s, "dead-letters"));
    }

    private static <T> void discard(DataStream<T> stream, String what) {
        stream.sinkTo(new DiscardingSink<>())
                .uid("backtest-discard-" + what)
                .name("discard " + what);
    }

    /** Keeps every alert row in {@link #ALERTS} (the MiniCluster runs in this JVM). */
    private static final class CollectAlerts implements Sink<AlertRow> {
        private static final long serialVersionUID = 1L;
        private final String run;

        CollectAlerts(String run) {
            this.run = run;
        }

        @Override
        public SinkWriter<AlertRow> createWriter(WriterInitContext context) {
            Queue<AlertRow> into = ALERTS.get(run);
            return new SinkWriter<>() {
                @Override
                public void write(AlertRow row, Context ctx) {
                    into.add(row);
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }

    /** Hands on dead letters and the transactions before the end of the period. */
    private static final class InPeriod implements Collector<Decoded<FundTransaction>> {
        private final long toMillis;
        Collector<Decoded<FundTransaction>> out;

        InPeriod(long toMillis) {
            this.toMillis = toMillis;
        }

        @Override
        public void collect(Decoded<FundTransaction> decoded) {
            if (decoded.value == null || decoded.value.eventTime() < toMillis) {
                out.collect(decoded);
            }
        }

        @Override
        public void close() {}
    }

    /**
     * The job's own transaction deserializer, counting what it reads and leaving out transactions
     * at or after the end of the period (their alerts could only start after it).
     */
    private static final class UntilPeriodEnd
            implements KafkaRecordDeserializationSchema<Decoded<FundTransaction>> {
        private static final long serialVersionUID = 1L;
        private final KafkaRecordDeserializationSchema<Decoded<FundTransaction>> decoder;
        private final String run;
        private final long toMillis;
        private transient AtomicLong read;
        private transient InPeriod inPeriod;

        UntilPeriodEnd(
                KafkaRecordDeserializationSchema<Decoded<FundTransaction>> decoder,
                String run,
                long toMillis) {
            this.decoder = decoder;
            this.run = run;
            this.toMillis = toMillis;
        }

        @Override
        public void open(DeserializationSchema.InitializationContext context) throws Exception {
            decoder.open(context);
            read = READ.computeIfAbsent(run, k -> new AtomicLong());
            inPeriod = new InPeriod(toMillis);
        }

        @Override
        public void deserialize(
                ConsumerRecord<byte[], byte[]> record, Collector<Decoded<FundTransaction>> out)
                throws IOException {
            read.incrementAndGet();
            inPeriod.out = out;
            decoder.deserialize(record, inPeriod);
        }

        @Override
        public TypeInformation<Decoded<FundTransaction>> getProducedType() {
            return decoder.getProducedType();
        }
    }
}
