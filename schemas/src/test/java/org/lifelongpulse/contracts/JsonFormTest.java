package org.lifelongpulse.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lifelongpulse.avro.LearningActivity;
import org.lifelongpulse.avro.PrepaidTransaction;
import org.lifelongpulse.avro.RiskRule;

class JsonFormTest {

    static Stream<SpecificRecord> everyContract() {
        return Stream.of(
                Samples.activity(),
                Samples.sale(),
                Samples.institution(),
                Samples.route(),
                Samples.resource(),
                Samples.rule(),
                Samples.alert(),
                Samples.deadLetter());
    }

    @ParameterizedTest
    @MethodSource("everyContract")
    void printsWhatItReadsBack(SpecificRecord record) throws Exception {
        String json = JsonForm.toJson(record);
        assertThat(JsonForm.fromJson(json, record.getClass())).isEqualTo(record);
    }

    @Test
    void printsTimestampsInShanghaiTimeAndOmitsNulls() {
        String json = JsonForm.toJson(Samples.activity());
        assertThat(json)
                .contains("\"occurred_at\":\"2020-11-01T09:00:00+08:00\"")
                .contains("\"district\":\"XUHUI\"")
                .doesNotContain("route_id");
    }

    @Test
    void acceptsEpochMillisAndOtherOffsets() throws Exception {
        String base =
                "{\"event_id\":\"e\",\"learner_id\":\"l\",\"district\":\"PUDONG\","
                    + "\"age_band\":\"AGE_18_34\",\"channel\":\"WEB\",\"activity_type\":\"EVENT_JOIN\","
                    + "\"resource_id\":\"r\",\"occurred_at\":";
        Instant expected = Instant.parse("2020-11-01T01:00:00Z");
        assertThat(
                        JsonForm.fromJson(
                                        base + expected.toEpochMilli() + "}",
                                        LearningActivity.class)
                                .getOccurredAt())
                .isEqualTo(expected);
        assertThat(
                        JsonForm.fromJson(
                                        base + "\"2020-11-01T01:00:00Z\"}", LearningActivity.class)
                                .getOccurredAt())
                .isEqualTo(expected);
        assertThat(
                        JsonForm.fromJson(
                                        base + "\"2020-11-01T09:00:00+08:00\"}",
                                        LearningActivity.class)
                                .getOccurredAt())
                .isEqualTo(expected);
    }

    @Test
    void namesWhatIsWrong() {
        String ok = JsonForm.toJson(Samples.sale());
        assertThatThrownBy(() -> JsonForm.fromJson("{\"txn_id\": ", PrepaidTransaction.class))
                .hasMessageStartingWith("invalid JSON");
        assertThatThrownBy(() -> JsonForm.fromJson("[1]", PrepaidTransaction.class))
                .hasMessage("expected a JSON object, got array");
        assertThatThrownBy(
                        () ->
                                JsonForm.fromJson(
                                        ok.replace("{", "{\"colour\":1,"),
                                        PrepaidTransaction.class))
                .hasMessageStartingWith("unknown field 'colour'");
        assertThatThrownBy(
                        () ->
                                JsonForm.fromJson(
                                        ok.replace(
                                                "\"amount_fen\":300000", "\"amount_fen\":\"lots\""),
                                        PrepaidTransaction.class))
                .hasMessage("field 'amount_fen': expected a whole number, got \"lots\"");
        assertThatThrownBy(
                        () ->
                                JsonForm.fromJson(
                                        ok.replace("\"txn_id\":\"txn-1\",", ""),
                                        PrepaidTransaction.class))
                .hasMessage("missing required field 'txn_id'");
        assertThatThrownBy(
                        () ->
                                JsonForm.fromJson(
                                        ok.replace("CARD_SALE", "GIFT"), PrepaidTransaction.class))
                .hasMessageStartingWith("field 'type': unknown symbol 'GIFT'; expected one of");
        assertThatThrownBy(
                        () ->
                                JsonForm.fromJson(
                                        ok.replace("2020-11-01T10:15:30+08:00", "yesterday"),
                                        PrepaidTransaction.class))
                .hasMessageContaining("'yesterday' is not an ISO-8601 timestamp");
        assertThatThrownBy(
                        () ->
                                JsonForm.fromJson(
                                        ok.replace("\"txn_id\":\"txn-1\"", "\"txn_id\":null"),
                                        PrepaidTransaction.class))
                .hasMessageStartingWith("field 'txn_id': expected a string");
        assertThatThrownBy(
                        () ->
                                JsonForm.fromJson(
                                        JsonForm.toJson(Samples.rule())
                                                .replace("5000.0", "\"high\""),
                                        RiskRule.class))
                .hasMessageStartingWith("field 'params.max_amount_yuan': expected a number");
    }
}
