package org.lifelongpulse.cli.deadletters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lifelongpulse.avro.PrepaidTransaction;
import org.lifelongpulse.avro.TransactionType;
import org.lifelongpulse.contracts.Topic;
import org.lifelongpulse.contracts.WireFormat;

class LetterSelectionTest {

    private static final Instant NINE = Instant.parse("2020-11-01T01:00:00Z");
    private static final Instant TEN = Instant.parse("2020-11-01T02:00:00Z");

    @Test
    void everyFilterIsOneTermOfTheCondition() {
        assertThat(LetterSelection.ALL.where()).isEqualTo("1");
        assertThat(
                        new LetterSelection(
                                        "staging.fund.transactions.v1",
                                        "amount_fen",
                                        "validate",
                                        NINE,
                                        TEN)
                                .where())
                .isEqualTo(
                        "source_topic = 'staging.fund.transactions.v1'"
                                + " AND positionCaseInsensitive(reason, 'amount_fen') > 0"
                                + " AND stage = 'validate'"
                                + " AND failed_at >= toDateTime(1604192400)"
                                + " AND failed_at < toDateTime(1604196000)");
    }

    @Test
    void quotesAndBackslashesCannotLeaveTheLiteral() {
        assertThat(new LetterSelection(null, "it's \\ odd", null, null, null).where())
                .isEqualTo("positionCaseInsensitive(reason, 'it\\'s \\\\ odd') > 0");
    }

    @Test
    void anOlderThanBoundKeepsTheEarlierOfTheTwoEnds() {
        LetterSelection until10 = new LetterSelection(null, null, null, null, TEN);
        assertThat(until10.before(NINE).to()).isEqualTo(NINE);
        assertThat(new LetterSelection(null, null, null, null, NINE).before(TEN).to())
                .isEqualTo(NINE);
        assertThat(LetterSelection.ALL.before(TEN).where())
                .isEqualTo("failed_at < toDateTime(1604196000)");
    }

    /**
     * A letter stored as failed at 10:00:00 may have failed at 10:00:00.3: a purge of everything
     * older than 10:00:00.8 (`--older-than 0m` just after it) includes that second, and a bound of
     * a whole second stays exclusive.
     */
    @Test
    void theSecondABoundFallsWithinIsIn() {
        assertThat(LetterSelection.ALL.before(TEN.plusMillis(800)).where())
                .isEqualTo("failed_at < toDateTime(1604196001)");
        assertThat(LetterSelection.ALL.before(TEN.plusNanos(1)).where())
                .isEqualTo("failed_at < toDateTime(1604196001)");
        assertThat(LetterSelection.ALL.before(TEN).where())
                .isEqualTo("failed_at < toDateTime(1604196000)");
    }

    @Test
    void anEmptyRangeOrAnUnknownStageIsAUsageError() {
        assertThatThrownBy(() -> new LetterSelection(null, null, null, TEN, NINE))
                .hasMessageContaining("is not before --to");
        assertThatThrownBy(() -> new LetterSelection(null, null, "sinks", null, null))
                .hasMessageContaining("decode, validate or sink");
    }

    @Test
    void aReplayedLetterGoesUnderItsContractsKeyWhenItDecodes() {
        PrepaidTransaction sale =
                PrepaidTransaction.newBuilder()
                        .setTxnId("T5")
                        .setOccurredAt(TEN)
                        .setInstitutionId("INST-0052")
                        .setType(TransactionType.CARD_SALE)
                        .setAmountFen(-1L)
                        .build();
        byte[] bytes = WireFormat.of(PrepaidTransaction.class).encode(sale);
        StoredLetter letter =
                StoredLetter.of(
                        List.of(
                                "it-7.fund.transactions.v1",
                                "1",
                                "42",
                                "validate",
                                "invalid PrepaidTransaction: field 'amount_fen' is negative (-1)",
                                String.valueOf(TEN.getEpochSecond()),
                                "fund-risk",
                                Base64.getEncoder().encodeToString(bytes),
                                "BASE64"));

        assertThat(letter.raw()).isEqualTo(bytes);
        assertThat(letter.position()).isEqualTo("it-7.fund.transactions.v1/1@42");
        assertThat(letter.failedAt()).isEqualTo(TEN);
        assertThat(Replay.keyOf(letter))
                .as("institution_id, as the design keys it")
                .isEqualTo("INST-0052");
        assertThat(Replay.contractOf("it-7.fund.institution-versions.v1"))
                .contains(Topic.INSTITUTION_VERSIONS);
        assertThat(Replay.contractOf("it-7.fund.institutions.v1")).contains(Topic.INSTITUTIONS);

        StoredLetter garbage =
                new StoredLetter(
                        "learning.activity.v1",
                        0,
                        3,
                        "decode",
                        "not Avro",
                        TEN,
                        "participation",
                        new byte[] {1, 2, 3});
        assertThat(Replay.keyOf(garbage)).isNull();
    }
}
