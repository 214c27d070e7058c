package org.lifelongpulse.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;
import org.lifelongpulse.avro.LearningActivity;
import org.lifelongpulse.avro.PrepaidTransaction;

class WireFormatTest {

    @Test
    void encodesSingleObjectMarkerFingerprintAndBody() {
        byte[] bytes = WireFormat.of(LearningActivity.class).encode(Samples.activity());
        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        long fingerprint =
                org.apache.avro.SchemaNormalization.parsingFingerprint64(
                        LearningActivity.getClassSchema());
        long written =
                ByteBuffer.wrap(bytes, 2, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(written).isEqualTo(fingerprint);
    }

    @Test
    void roundTripsEveryContract() throws Exception {
        assertThat(roundTrip(LearningActivity.class, Samples.activity()))
                .isEqualTo(Samples.activity());
        assertThat(roundTrip(PrepaidTransaction.class, Samples.sale())).isEqualTo(Samples.sale());
    }

    @Test
    void readsAMessageWrittenWithAnOlderSchemaThatLackedAnOptionalField() {
        Schema current = LearningActivity.getClassSchema();
        Schema older = withoutField(current, "credit_points");
        GenericRecord old = new GenericData.Record(older);
        old.put("event_id", "evt-old");
        old.put("occurred_at", Samples.WEEK_OPENS.toEpochMilli());
        old.put("learner_id", "learner-1");
        old.put(
                "district",
                new GenericData.EnumSymbol(older.getField("district").schema(), "PUDONG"));
        old.put(
                "age_band",
                new GenericData.EnumSymbol(older.getField("age_band").schema(), "AGE_70_PLUS"));
        old.put(
                "channel",
                new GenericData.EnumSymbol(older.getField("channel").schema(), "ONSITE"));
        old.put(
                "activity_type",
                new GenericData.EnumSymbol(
                        older.getField("activity_type").schema(), "LESSON_ATTEND"));
        old.put("resource_id", "course-5");
        old.put("duration_seconds", 2700);
        byte[] message = encodeGeneric(older, old);

        ContractDecoder<LearningActivity> withoutHistory =
                ContractDecoder.of(LearningActivity.class);
        ContractDecoder.Decoded<LearningActivity> unknown =
                withoutHistory.decode("learning.activity.v1", 0, 5, message, Samples.NOW);
        assertThat(unknown.isValid()).isFalse();
        assertThat(unknown.deadLetter().getReason()).contains("unknown writer schema fingerprint");

        ContractDecoder<LearningActivity> decoder =
                new ContractDecoder<>(
                        WireFormat.withHistory(LearningActivity.class, List.of(older)),
                        Validation.defaults());
        ContractDecoder.Decoded<LearningActivity> decoded =
                decoder.decode("learning.activity.v1", 0, 5, message, Samples.NOW);
        assertThat(decoded.isValid()).isTrue();
        LearningActivity read = decoded.value();
        assertThat(read.getEventId()).isEqualTo("evt-old");
        assertThat(read.getOccurredAt()).isEqualTo(Samples.WEEK_OPENS);
        assertThat(read.getDistrict().name()).isEqualTo("PUDONG");
        assertThat(read.getDurationSeconds()).isEqualTo(2700);
        assertThat(read.getCreditPoints()).as("field the old writer did not know").isNull();
    }

    @Test
    void garbageBecomesADeadLetterNamingTopicPartitionAndOffset() {
        byte[] garbage = "hello, not avro".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        var decoded =
                ContractDecoder.of(LearningActivity.class)
                        .decode("learning.activity.v1", 1, 42, garbage, Samples.NOW);
        assertThat(decoded.isValid()).isFalse();
        assertThat(decoded.deadLetter().getSourceTopic()).isEqualTo("learning.activity.v1");
        assertThat(decoded.deadLetter().getSourcePartition()).isEqualTo(1);
        assertThat(decoded.deadLetter().getSourceOffset()).isEqualTo(42L);
        assertThat(decoded.deadLetter().getStage()).isEqualTo("decode");
        assertThat(decoded.deadLetter().getReason()).contains("expected marker C3 01, got 68 65");
        assertThat(decoded.deadLetter().getRaw()).isEqualTo(ByteBuffer.wrap(garbage));
    }

    @Test
    void truncatedBodyAndOtherSchemasBecomeDeadLetters() {
        byte[] whole = WireFormat.of(LearningActivity.class).encode(Samples.activity());
        byte[] truncated = java.util.Arrays.copyOf(whole, 14);
        var cut =
                ContractDecoder.of(LearningActivity.class)
                        .decode("t", 0, 1, truncated, Samples.NOW);
        assertThat(cut.isValid()).isFalse();
        assertThat(cut.deadLetter().getReason()).contains("does not decode as LearningActivity");

        byte[] txn = WireFormat.of(PrepaidTransaction.class).encode(Samples.sale());
        var wrong = ContractDecoder.of(LearningActivity.class).decode("t", 0, 2, txn, Samples.NOW);
        assertThat(wrong.deadLetter().getReason()).contains("unknown writer schema fingerprint");
        assertThat(
                        ContractDecoder.of(LearningActivity.class)
                                .decode("t", 0, 3, null, Samples.NOW)
                                .deadLetter()
                                .getReason())
                .contains("empty message");
    }

    @Test
    void invalidValuesBecomeDeadLettersThatNameTheField() {
        PrepaidTransaction negative = Samples.sale();
        negative.setAmountFen(-100L);
        negative.setInstitutionId(" ");
        byte[] bytes = WireFormat.of(PrepaidTransaction.class).encode(negative);
        var decoded =
                ContractDecoder.of(PrepaidTransaction.class)
                        .decode("fund.transactions.v1", 0, 9, bytes, Samples.NOW);
        assertThat(decoded.deadLetter().getStage()).isEqualTo("validate");
        assertThat(decoded.deadLetter().getReason())
                .contains("'amount_fen' is negative (-100)")
                .contains("'institution_id' is empty");

        LearningActivity future = Samples.activity();
        future.setOccurredAt(Samples.NOW.plusSeconds(3 * 86400));
        var late =
                ContractDecoder.of(LearningActivity.class)
                        .decode(
                                "t",
                                0,
                                1,
                                WireFormat.of(LearningActivity.class).encode(future),
                                Samples.NOW);
        assertThat(late.deadLetter().getReason()).contains("'occurred_at'", "in the future");

        LearningActivity zero = Samples.activity();
        zero.setOccurredAt(Instant.ofEpochSecond(1_600_000_000L / 1000));
        var seconds =
                ContractDecoder.of(LearningActivity.class)
                        .decode(
                                "t",
                                0,
                                1,
                                WireFormat.of(LearningActivity.class).encode(zero),
                                Samples.NOW);
        assertThat(seconds.deadLetter().getReason()).contains("before 2000-01-01");
    }

    @Test
    void aClockSkewJustInsideTheToleranceIsAccepted() {
        LearningActivity early = Samples.activity();
        early.setOccurredAt(Samples.NOW.plusSeconds(86400 - 1));
        var decoded =
                ContractDecoder.of(LearningActivity.class)
                        .decode(
                                "t",
                                0,
                                1,
                                WireFormat.of(LearningActivity.class).encode(early),
                                Samples.NOW);
        assertThat(decoded.isValid()).isTrue();
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> T roundTrip(
            Class<T> type, T record) throws Exception {
        WireFormat<T> format = WireFormat.of(type);
        return format.decode(format.encode(record));
    }

    static Schema withoutField(Schema schema, String dropped) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : schema.getFields()) {
            if (!f.name().equals(dropped)) {
                fields.add(new Schema.Field(f, f.schema()));
            }
        }
        return Schema.createRecord(
                schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
    }

    private static byte[] encodeGeneric(Schema schema, GenericRecord record) {
        try {
            ByteBuffer buffer =
                    new BinaryMessageEncoder<GenericRecord>(GenericData.get(), schema)
                            .encode(record);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
