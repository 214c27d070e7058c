package org.lifelongpulse.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.SchemaStore;
import org.junit.jupiter.api.Test;
import org.lifelongpulse.avro.ActivityType;
import org.lifelongpulse.avro.LearningActivity;
import org.lifelongpulse.avro.PrepaidTransaction;
import org.lifelongpulse.avro.TransactionType;
import org.lifelongpulse.avro.WriterSchema;

/** A newer producer's messages resolve to the current contract through a looked-up schema. */
class WriterSchemasTest {

    @Test
    void theKeyIsTheFingerprintAsTheMessageHeaderCarriesIt() {
        byte[] message = WireFormat.of(LearningActivity.class).encode(Samples.activity());
        String header = HexFormat.of().formatHex(message, 2, 10);
        assertThat(WriterSchemas.fingerprint(LearningActivity.getClassSchema())).isEqualTo(header);
        assertThat(WriterSchemas.fingerprintOf(message)).isEqualTo(header);
        assertThat(WriterSchemas.fingerprintOf(new byte[] {(byte) 0xC3, 1, 2})).isNull();
        WriterSchema entry = WriterSchemas.entryOf(LearningActivity.getClassSchema());
        assertThat(Topic.SCHEMAS.keyOf(entry)).isEqualTo(header);
        assertThat(entry.getFullName()).isEqualTo("org.lifelongpulse.avro.LearningActivity");
        assertThat(WriterSchemas.schemaOf(entry)).isEqualTo(LearningActivity.getClassSchema());
    }

    @Test
    void anEntryWhoseSchemaIsNotTheOneItsKeyNamesIsRefused() {
        WriterSchema entry = WriterSchemas.entryOf(LearningActivity.getClassSchema());
        entry.setFingerprint(WriterSchemas.fingerprint(PrepaidTransaction.getClassSchema()));
        assertThatThrownBy(() -> WriterSchemas.schemaOf(entry))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("holds a schema of org.lifelongpulse.avro.LearningActivity");
        WriterSchema garbage = WriterSchemas.entryOf(LearningActivity.getClassSchema());
        garbage.setSchemaJson("{\"type\": \"record\"");
        assertThatThrownBy(() -> WriterSchemas.schemaOf(garbage))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not parse");
    }

    @Test
    void aNewerActivityReadsWithTheNewSymbolAsUnknownAndTheAddedFieldIgnored() throws Exception {
        Schema newer = newer("LearningActivity");
        assertThat(newer.getField("device")).isNotNull();
        assertThat(WriterSchemas.incompatibilities(newer, LearningActivity.getClassSchema()))
                .isEmpty();
        GenericRecord podcast = activity(newer, "evt-new", "PODCAST_LISTEN");
        podcast.put("device", "phone");
        byte[] message =
                new BinaryMessageEncoder<GenericRecord>(GenericData.get(), newer)
                        .encode(podcast)
                        .array();

        var withoutLookup = ContractDecoder.of(LearningActivity.class);
        var unknown = withoutLookup.decode("t", 0, 0, message, Samples.NOW);
        assertThat(unknown.deadLetter().getReason())
                .contains("unknown writer schema fingerprint 0x" + WriterSchemas.fingerprint(newer))
                .contains("pulse.schemas.v1");

        CountingStore lookup = new CountingStore(newer);
        var decoder =
                new ContractDecoder<>(
                        WireFormat.withLookup(LearningActivity.class, lookup),
                        Validation.defaults());
        LearningActivity read = decoder.decode("t", 0, 1, message, Samples.NOW).value();
        assertThat(read.getActivityType()).isEqualTo(ActivityType.UNKNOWN);
        assertThat(read.getEventId()).isEqualTo("evt-new");
        assertThat(read.getResourceId()).isEqualTo("air-classroom-7");
        assertThat(read.getDurationSeconds()).isEqualTo(1800);
        assertThat(read.getSchema().getField("device")).isNull();

        // a known symbol of the same newer writer keeps its meaning
        byte[] lesson =
                new BinaryMessageEncoder<GenericRecord>(GenericData.get(), newer)
                        .encode(activity(newer, "evt-lesson", "LESSON_ATTEND"))
                        .array();
        assertThat(decoder.decode("t", 0, 2, lesson, Samples.NOW).value().getActivityType())
                .isEqualTo(ActivityType.LESSON_ATTEND);
        // messages of the compiled schema never ask, and a found schema is asked for once
        decoder.decode(
                "t",
                0,
                3,
                WireFormat.of(LearningActivity.class).encode(Samples.activity()),
                Samples.NOW);
        assertThat(lookup.asked).isEqualTo(1);
    }

    @Test
    void aNewerTransactionTypeReadsAsUnknown() throws Exception {
        Schema newer = newer("PrepaidTransaction");
        assertThat(WriterSchemas.incompatibilities(newer, PrepaidTransaction.getClassSchema()))
                .isEmpty();
        GenericRecord voucher = new GenericData.Record(newer);
        voucher.put("txn_id", "txn-new");
        voucher.put("occurred_at", Samples.FIRST_SALE.toEpochMilli());
        voucher.put("institution_id", "inst-7");
        voucher.put(
                "type",
                new GenericData.EnumSymbol(newer.getField("type").schema(), "VOUCHER_GRANT"));
        voucher.put("amount_fen", 5_000L);
        voucher.put("terminal_id", "pos-3");
        byte[] message =
                new BinaryMessageEncoder<GenericRecord>(GenericData.get(), newer)
                        .encode(voucher)
                        .array();
        var decoder =
                new ContractDecoder<>(
                        WireFormat.withLookup(PrepaidTransaction.class, new CountingStore(newer)),
                        Validation.defaults());
        PrepaidTransaction read = decoder.decode("t", 0, 0, message, Samples.NOW).value();
        assertThat(read.getType()).isEqualTo(TransactionType.UNKNOWN);
        assertThat(read.getTxnId()).isEqualTo("txn-new");
        assertThat(read.getAmountFen()).isEqualTo(5_000L);
    }

    @Test
    void aWriterThatDropsARequiredFieldIsNotReadable() throws Exception {
        Schema current = LearningActivity.getClassSchema();
        String json =
                current.toString().replace("\"name\":\"resource_id\"", "\"name\":\"resource\"");
        Schema renamed = WriterSchemas.parse(json);
        assertThat(WriterSchemas.incompatibilities(renamed, current))
                .singleElement()
                .asString()
                .contains("resource_id");
    }

    @Test
    void everyEnumInTheContractFilesDefaultsToUnknownSoThatNewSymbolsResolve() throws IOException {
        List<String> enums = new ArrayList<>();
        List<String> offences = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("avro"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".avsc")).toList()) {
                collectEnums(new ObjectMapper().readTree(file.toFile()), file, enums, offences);
            }
        }
        assertThat(enums).hasSizeGreaterThanOrEqualTo(12);
        assertThat(offences).isEmpty();
    }

    private static void collectEnums(
            JsonNode node, Path file, List<String> enums, List<String> offences) {
        if (node.isObject() && "enum".equals(node.path("type").asText())) {
            enums.add(file + ": " + node.path("name").asText());
            if (!"UNKNOWN".equals(node.path("default").asText())) {
                offences.add(
                        file + ": enum " + node.path("name").asText() + " has no UNKNOWN default");
            }
        }
        node.forEach(child -> collectEnums(child, file, enums, offences));
    }

    private static Schema newer(String name) throws IOException {
        try (InputStream in =
                WriterSchemasTest.class.getResourceAsStream("/newer/" + name + ".avsc")) {
            return WriterSchemas.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static GenericRecord activity(Schema schema, String id, String type) {
        GenericRecord r = new GenericData.Record(schema);
        r.put("event_id", id);
        r.put("occurred_at", Samples.WEEK_OPENS.toEpochMilli());
        r.put("learner_id", "learner-42");
        r.put("district", symbol(schema, "district", "XUHUI"));
        r.put("age_band", symbol(schema, "age_band", "AGE_60_69"));
        r.put("channel", symbol(schema, "channel", "LIVE_STREAM"));
        r.put("activity_type", symbol(schema, "activity_type", type));
        r.put("resource_id", "air-classroom-7");
        r.put("duration_seconds", 1800);
        return r;
    }

    private static GenericData.EnumSymbol symbol(Schema schema, String field, String symbol) {
        return new GenericData.EnumSymbol(schema.getField(field).schema(), symbol);
    }

    /** The schema topic in one map, counting how often the decoder asks it. */
    private static final class CountingStore implements SchemaStore {
        private final Map<Long, Schema> schemas = new HashMap<>();
        int asked;

        CountingStore(Schema... registered) {
            for (Schema s : registered) {
                schemas.put(SchemaNormalization.parsingFingerprint64(s), s);
            }
        }

        @Override
        public Schema findByFingerprint(long fingerprint) {
            asked++;
            return schemas.get(fingerprint);
        }
    }
}
