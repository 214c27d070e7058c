package org.lifelongpulse.participation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.SchemaStore;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lifelongpulse.adapters.kafka.SchemaTopic;
import org.lifelongpulse.adapters.kafka.SchemaTopicStore;
import org.lifelongpulse.avro.LearningActivity;
import org.lifelongpulse.avro.PrepaidTransaction;
import org.lifelongpulse.cli.PulseCli;
import org.lifelongpulse.contracts.Topic;
import org.lifelongpulse.contracts.WireFormat;
import org.lifelongpulse.contracts.WriterSchemas;
import org.lifelongpulse.jobs.JobEnvironment;
import org.lifelongpulse.ops.kafka.ContractProducer;
import org.lifelongpulse.ops.kafka.KafkaTopics;
import org.lifelongpulse.stack.Endpoints;
import org.lifelongpulse.stack.testing.LocalStackExtension;
import org.lifelongpulse.testutils.Flink;
import org.lifelongpulse.testutils.Warehouse;

/**
 * A producer upgrades before the jobs: it writes LearningActivity with a NEWER contract (an added
 * optional field {@code device} and an added ActivityType symbol {@code PODCAST_LISTEN}, {@code
 * src/test/resources/newer/LearningActivity.avsc}), registered with {@code ./pulse schema
 * register}; the participation job, built with the current contract, resolves it from the schema
 * topic and counts every message, the new symbol as {@code UNKNOWN}.
 *
 * <p>Its own class rather than one more step of {@link ParticipationITCase}: that run compares
 * every table with the generator's truth, which these hand-made messages are not part of. One
 * bounded job run on the shared stack, a few seconds on an idle machine.
 */
@ExtendWith(LocalStackExtension.class)
class NewerProducerITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = Flink.miniCluster(null);

    private static final Path NEWER = Path.of("src/test/resources/newer/LearningActivity.avsc");
    private static final Instant OPENING = Instant.parse("2020-11-01T01:00:00Z");
    private static final String[] TYPES = {
        "LESSON_ATTEND", "PODCAST_LISTEN", "MOOC_PROGRESS", "PODCAST_LISTEN", "EVENT_JOIN"
    };

    @Test
    void theJobCountsEveryMessageOfANewerProducerAndTheNewSymbolAsUnknown(Endpoints endpoints)
            throws Exception {
        String prefix = "it-newer-" + UUID.randomUUID() + ".";
        String bootstrap = endpoints.kafkaBootstrap();
        KafkaTopics.ensure(bootstrap, prefix, 2, (short) 1);
        Warehouse warehouse = Warehouse.of(endpoints).withEmptyTables(ParticipationITCase.TABLES);

        Schema newer = WriterSchemas.parse(Files.readString(NEWER));
        String registered =
                pulse("schema", "register", NEWER.toString(), "--prefix", prefix).trim();
        assertThat(registered)
                .isEqualTo(
                        "registered org.lifelongpulse.avro.LearningActivity "
                                + WriterSchemas.fingerprint(newer)
                                + " on "
                                + prefix
                                + "pulse.schemas.v1");

        // a writer nobody registered: still dead-lettered, naming its fingerprint
        Schema unregistered =
                WriterSchemas.parse(
                        Files.readString(NEWER)
                                .replace("\"name\": \"device\"", "\"name\": \"mood\""));

        String topic = Topic.LEARNING_ACTIVITY.topicName(prefix);
        BinaryMessageEncoder<GenericRecord> newerWriter =
                new BinaryMessageEncoder<>(GenericData.get(), newer);
        WireFormat<LearningActivity> currentWriter = WireFormat.of(LearningActivity.class);
        long sent = 0;
        long podcasts = 0;
        List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
        try (ContractProducer producer = new ContractProducer(bootstrap)) {
            for (int i = 0; i < 40; i++) {
                String type = TYPES[i % TYPES.length];
                GenericRecord event = activity(newer, "newer-" + i, i, type);
                event.put("device", i % 2 == 0 ? "phone" : null);
                acks.add(
                        producer.sendRaw(
                                topic, "learner-" + i % 7, newerWriter.encode(event).array()));
                sent++;
                podcasts += type.equals("PODCAST_LISTEN") ? 1 : 0;
            }
            for (int i = 40; i < 45; i++) {
                LearningActivity current =
                        LearningActivity.newBuilder()
                                .setEventId("current-" + i)
                                .setOccurredAt(OPENING.plusSeconds(10L * i))
                                .setLearnerId("learner-" + i % 7)
                                .setDistrict(org.lifelongpulse.avro.District.XUHUI)
                                .setAgeBand(org.lifelongpulse.avro.AgeBand.AGE_60_69)
                                .setChannel(org.lifelongpulse.avro.Channel.WEB)
                                .setActivityType(org.lifelongpulse.avro.ActivityType.LESSON_ATTEND)
                                .setResourceId("COURSE-001")
                                .build();
                acks.add(
                        producer.sendRaw(topic, "learner-" + i % 7, currentWriter.encode(current)));
                sent++;
            }
            GenericRecord stranger = activity(unregistered, "stranger-1", 45, "LESSON_ATTEND");
            acks.add(
                    producer.sendRaw(
                            topic,
                            "learner-1",
                            new BinaryMessageEncoder<GenericRecord>(GenericData.get(), unregistered)
                                    .encode(stranger)
                                    .array()));
            producer.flush();
            for (var ack : acks) {
                ack.get();
            }
        }

        Configuration config =
                warehouse.sinkOptions(Flink.jobConfiguration(bootstrap, prefix, true));
        config.set(ParticipationOptions.GROUP_ID, "it-newer-" + UUID.randomUUID());
        StreamExecutionEnvironment env = JobEnvironment.of(config);
        ParticipationJob.defineProduction(env, config);
        env.execute("participation with a newer producer");

        assertThat(warehouse.count("SELECT count() FROM pulse.learning_events FINAL"))
                .as(
                        "every message of both writers counted; counted %s; dead letters %s;"
                                + " late %s",
                        warehouse.rowSet("SELECT event_id FROM pulse.learning_events FINAL"),
                        warehouse.rowSet(
                                "SELECT source_partition, source_offset, reason FROM"
                                        + " pulse.dead_letters FINAL"),
                        warehouse.rowSet("SELECT * FROM pulse.late_events"))
                .isEqualTo(sent);
        assertThat(
                        warehouse.count(
                                "SELECT count() FROM pulse.learning_events FINAL"
                                        + " WHERE activity_type = 'UNKNOWN'"))
                .as("PODCAST_LISTEN read as UNKNOWN")
                .isEqualTo(podcasts);
        assertThat(
                        warehouse.count(
                                "SELECT sum(participant_visits) FROM pulse.participation_minute"
                                        + " FINAL WHERE activity_type = 'UNKNOWN'"))
                .as("UNKNOWN activities counted in participation")
                .isEqualTo(podcasts);
        assertThat(warehouse.count("SELECT sum(visits) FROM pulse.resource_minute FINAL"))
                .isEqualTo(sent);
        List<String> reasons =
                warehouse
                        .rowSet(
                                "SELECT reason FROM pulse.dead_letters FINAL WHERE"
                                        + " source_topic = '"
                                        + topic
                                        + "'")
                        .stream()
                        .toList();
        assertThat(reasons)
                .singleElement()
                .asString()
                .contains(
                        "unknown writer schema fingerprint 0x"
                                + WriterSchemas.fingerprint(unregistered));
    }

    @Test
    void theStoreReadsTheTopicOncePerUnknownFingerprintAndKeepsToItsRecord(Endpoints endpoints)
            throws Exception {
        String prefix = "it-schemas-" + UUID.randomUUID() + ".";
        String bootstrap = endpoints.kafkaBootstrap();
        KafkaTopics.ensure(bootstrap, prefix, java.util.Map.of(Topic.SCHEMAS, 1), (short) 1);
        String schemaTopic = Topic.SCHEMAS.topicName(prefix);
        Schema newer = WriterSchemas.parse(Files.readString(NEWER));
        try (ContractProducer producer = new ContractProducer(bootstrap)) {
            producer.register(schemaTopic, newer).get();
            producer.register(schemaTopic, PrepaidTransaction.getClassSchema()).get();
            // not an entry: skipped, the store goes on
            producer.sendRaw(schemaTopic, "garbage", new byte[] {1, 2, 3}).get();
        }

        SchemaTopicStore store =
                (SchemaTopicStore)
                        SchemaTopic.of(
                                        bootstrap,
                                        schemaTopic,
                                        Duration.ofSeconds(20),
                                        Duration.ofHours(1))
                                .storeFor(LearningActivity.getClassSchema());
        long newerPrint = SchemaNormalization.parsingFingerprint64(newer);
        assertThat(store.findByFingerprint(newerPrint)).isEqualTo(newer);
        assertThat(store.findByFingerprint(newerPrint)).isEqualTo(newer);
        assertThat(store.reads()).as("a hit reads the topic once").isEqualTo(1);

        // another record's schema is on the topic, but not this reader's
        long transaction =
                SchemaNormalization.parsingFingerprint64(PrepaidTransaction.getClassSchema());
        assertThat(store.findByFingerprint(transaction)).isNull();
        assertThat(store.reads()).isEqualTo(2);
        // within the retry interval a miss does not read again
        assertThat(store.findByFingerprint(42L)).isNull();
        assertThat(store.reads()).isEqualTo(2);

        SchemaStore absent =
                SchemaTopic.of(
                                bootstrap,
                                prefix + "no-such-topic",
                                Duration.ofSeconds(5),
                                Duration.ofHours(1))
                        .storeFor(LearningActivity.getClassSchema());
        assertThat(absent.findByFingerprint(newerPrint)).isNull();
    }

    private static GenericRecord activity(Schema schema, String id, int i, String type) {
        GenericRecord r = new GenericData.Record(schema);
        r.put("event_id", id);
        r.put("occurred_at", OPENING.plusSeconds(10L * i).toEpochMilli());
        r.put("learner_id", "learner-" + i % 7);
        r.put("district", symbol(schema, "district", i % 3 == 0 ? "PUDONG" : "XUHUI"));
        r.put("age_band", symbol(schema, "age_band", "AGE_60_69"));
        r.put("channel", symbol(schema, "channel", "MOBILE_APP"));
        r.put("activity_type", symbol(schema, "activity_type", type));
        r.put("resource_id", "COURSE-00" + i % 4);
        r.put("duration_seconds", 600);
        return r;
    }

    private static GenericData.EnumSymbol symbol(Schema schema, String field, String symbol) {
        return new GenericData.EnumSymbol(schema.getField(field).schema(), symbol);
    }

    /** Runs the command line in-process on the test stack; returns what it printed on stdout. */
    private static String pulse(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--work-dir");
        all.add("target/pulse-stack");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code =
                PulseCli.run(
                        all.toArray(String[]::new),
                        new PrintWriter(out, true),
                        new PrintWriter(err, true));
        assertThat(code).as(err.toString()).isZero();
        return out.toString();
    }
}
