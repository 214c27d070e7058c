package org.lifelongpulse.pseudonyms;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.lifelongpulse.avro.DeadLetter;
import org.lifelongpulse.avro.District;
import org.lifelongpulse.avro.PrepaidTransaction;
import org.lifelongpulse.avro.TransactionType;
import org.lifelongpulse.avro.WalkRoute;
import org.lifelongpulse.contracts.WireFormat;

/** What a dead letter shows to those who may read dead letters, by hand-worked cases. */
class DeadLetterRedactionTest {

    private static final String KEY = "a-test-key-of-some-length";
    private static final Instant AT = Instant.parse("2020-11-01T02:00:00Z");

    private final DeadLetterRedaction redaction = new DeadLetterRedaction(KEY, "staging.");

    @Test
    void aTransactionKeepsEverythingButItsPayerAndCardInClear() throws Exception {
        PrepaidTransaction sale =
                PrepaidTransaction.newBuilder()
                        .setTxnId("T5")
                        .setOccurredAt(AT)
                        .setInstitutionId("INST-A")
                        .setType(TransactionType.CARD_SALE)
                        .setAmountFen(-1L)
                        .setCardId("C5")
                        .setPayerId("P5")
                        .build();
        DeadLetter letter =
                letter(
                        "staging.fund.transactions.v1",
                        "validate",
                        WireFormat.of(PrepaidTransaction.class).encode(sale));

        DeadLetter readable = redaction.readable(letter);

        assertThat(readable.getRedaction()).isEqualTo(DeadLetterRedaction.IDS_HASHED);
        PrepaidTransaction shown =
                WireFormat.of(PrepaidTransaction.class).decode(bytes(readable.getRaw()));
        assertThat(shown.getPayerId()).isEqualTo(hmac("P5"));
        assertThat(shown.getCardId()).isEqualTo(hmac("C5"));
        assertThat(shown.getTxnId()).isEqualTo("T5");
        assertThat(shown.getAmountFen()).isEqualTo(-1L);
        assertThat(readable.getReason()).isEqualTo(letter.getReason());
        assertThat(readable.getSourceOffset()).isEqualTo(letter.getSourceOffset());
        assertThat(bytes(letter.getRaw())).as("the original is left alone").isNotEmpty();
        assertThat(new String(bytes(readable.getRaw()), StandardCharsets.ISO_8859_1))
                .doesNotContain("P5", "C5");
    }

    @Test
    void anEmptyOrAbsentIdStaysSo() throws Exception {
        PrepaidTransaction consumption =
                PrepaidTransaction.newBuilder()
                        .setTxnId("T2")
                        .setOccurredAt(AT)
                        .setInstitutionId("")
                        .setType(TransactionType.CONSUMPTION)
                        .setAmountFen(100L)
                        .setPayerId("")
                        .build();
        DeadLetter readable =
                redaction.readable(
                        letter(
                                "staging.fund.transactions.v1",
                                "validate",
                                WireFormat.of(PrepaidTransaction.class).encode(consumption)));

        PrepaidTransaction shown =
                WireFormat.of(PrepaidTransaction.class).decode(bytes(readable.getRaw()));
        assertThat(shown.getPayerId()).isEmpty();
        assertThat(shown.getCardId()).isNull();
    }

    @Test
    void undecodableBytesAndUnknownTopicsKeepNoPayload() {
        byte[] garbage = "learner L-000123 said hi".getBytes(StandardCharsets.UTF_8);
        for (DeadLetter letter :
                List.of(
                        letter("staging.learning.activity.v1", "decode", garbage),
                        // a validate letter whose bytes do not parse is not trusted either
                        letter("staging.learning.activity.v1", "validate", garbage),
                        // the contract is told by the topic under the deployment's prefix only
                        letter("learning.activity.v1", "validate", garbage),
                        letter("staging.somebody.elses.topic", "validate", garbage))) {
            DeadLetter readable = redaction.readable(letter);
            assertThat(readable.getRedaction())
                    .as(letter.getSourceTopic())
                    .isEqualTo(DeadLetterRedaction.WITHHELD);
            assertThat(readable.getRaw().remaining()).isZero();
        }
    }

    @Test
    void referenceDataHasNoPersonIdAndIsKeptAsReceived() {
        byte[] route =
                WireFormat.of(WalkRoute.class)
                        .encode(
                                WalkRoute.newBuilder()
                                        .setRouteId("R1")
                                        .setName("Bund walk")
                                        .setDistrict(District.HUANGPU)
                                        .setPointIds(List.of("P1", "P2"))
                                        .setUpdatedAt(AT)
                                        .build());
        DeadLetter readable =
                redaction.readable(letter("staging.learning.routes.v1", "validate", route));

        assertThat(readable.getRedaction()).isEqualTo(DeadLetterRedaction.IDS_HASHED);
        assertThat(bytes(readable.getRaw())).isEqualTo(route);
    }

    private static DeadLetter letter(String topic, String stage, byte[] raw) {
        return DeadLetter.newBuilder()
                .setSourceTopic(topic)
                .setSourcePartition(1)
                .setSourceOffset(6L)
                .setStage(stage)
                .setReason("invalid: something")
                .setRaw(ByteBuffer.wrap(raw))
                .setFailedAt(AT)
                .build();
    }

    private static byte[] bytes(ByteBuffer raw) {
        ByteBuffer copy = raw.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }

    /** HMAC-SHA-256 truncated to 128 bits, written here independently of the code under test. */
    private static String hmac(String id) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] digest = mac.doFinal(id.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest).substring(0, 32);
    }
}
