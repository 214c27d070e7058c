package org.lifelongpulse.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;
import org.lifelongpulse.avro.DeadLetter;

/**
 * The contracts' first real history entry: {@code DeadLetter.1.avsc}, the dead letter before it had
 * a redaction marker. A letter a job of the previous release wrote (on the topic, or in a replay)
 * still decodes with the current reader, through the history the decoders load.
 */
class DeadLetterHistoryTest {

    @Test
    void aLetterWrittenWithVersionOneDecodesWithTheCurrentReader() throws IOException {
        Schema v1;
        try (InputStream in = getClass().getResourceAsStream("/avro/history/DeadLetter.1.avsc")) {
            v1 = new Schema.Parser().parse(in);
        }
        assertThat(v1.getField("redaction")).as("version 1 has no redaction").isNull();
        assertThat(SchemaNormalization.parsingFingerprint64(v1))
                .as("a different writer schema than the current one")
                .isNotEqualTo(
                        SchemaNormalization.parsingFingerprint64(DeadLetter.getClassSchema()));

        GenericRecord old = new GenericData.Record(v1);
        old.put("source_topic", "learning.activity.v1");
        old.put("source_partition", 1);
        old.put("source_offset", 42L);
        old.put("stage", "validate");
        old.put("reason", "invalid LearningActivity: field 'learner_id' is empty");
        old.put("raw", ByteBuffer.wrap("original".getBytes(StandardCharsets.UTF_8)));
        old.put("failed_at", 1_604_188_800_000L);
        byte[] message =
                new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(old).array();

        ContractDecoder.Decoded<DeadLetter> decoded =
                ContractDecoder.of(DeadLetter.class)
                        .decode("pulse.deadletters.v1", 0, 7, message, Samples.NOW);

        assertThat(decoded.isValid()).as(String.valueOf(decoded.deadLetter())).isTrue();
        DeadLetter letter = decoded.value();
        assertThat(letter.getSourceTopic()).isEqualTo("learning.activity.v1");
        assertThat(letter.getSourcePartition()).isEqualTo(1);
        assertThat(letter.getSourceOffset()).isEqualTo(42L);
        assertThat(letter.getStage()).isEqualTo("validate");
        assertThat(StandardCharsets.UTF_8.decode(letter.getRaw()).toString()).isEqualTo("original");
        assertThat(letter.getFailedAt().toEpochMilli()).isEqualTo(1_604_188_800_000L);
        assertThat(letter.getRedaction()).as("the field version 1 did not know").isNull();
    }
}
