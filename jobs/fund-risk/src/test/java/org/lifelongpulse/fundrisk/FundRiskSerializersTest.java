package org.lifelongpulse.fundrisk;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Modifier;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lifelongpulse.testkit.KryoFreeTypes;

/**
 * No record or state type of the fund-risk job falls back to Kryo: every class of the records
 * package, every state descriptor and output tag the functions declare, and the rule state they
 * hold, found in the code rather than listed, built with generic types disabled.
 */
class FundRiskSerializersTest {

    static final String RECORDS = "org.lifelongpulse.fundrisk.records";
    static final String FUNCTIONS = "org.lifelongpulse.fundrisk.functions";

    static Stream<Class<?>> recordTypes() throws Exception {
        return KryoFreeTypes.classesOf(RECORDS).stream()
                .filter(
                        c ->
                                !c.isInterface()
                                        && !Modifier.isAbstract(c.getModifiers())
                                        && !c.isAnonymousClass()
                                        && !c.isSynthetic());
    }

    static Stream<StateDescriptor<?, ?>> stateDescriptors() throws Exception {
        return KryoFreeTypes.stateDescriptorsOf(FUNCTIONS).stream();
    }

    static Stream<OutputTag<?>> outputTags() throws Exception {
        return KryoFreeTypes.outputTagsOf(FUNCTIONS).stream();
    }

    @ParameterizedTest
    @MethodSource("recordTypes")
    void everyRecordIsAFlinkPojo(Class<?> type) {
        TypeInformation<?> info = TypeInformation.of(type);
        assertThat(info).isInstanceOf(PojoTypeInfo.class).isNotInstanceOf(GenericTypeInfo.class);
        assertThat(info.toString()).startsWith("PojoType").doesNotContain("GenericType");
        assertThat(KryoFreeTypes.serializer(info)).isNotNull();
    }

    @ParameterizedTest
    @MethodSource("stateDescriptors")
    void everyStateIsSerializedWithoutKryo(StateDescriptor<?, ?> state) {
        assertThat(KryoFreeTypes.serializer(state)).isNotNull();
    }

    @ParameterizedTest
    @MethodSource("outputTags")
    void everySideOutputIsSerializedWithoutKryo(OutputTag<?> tag) {
        assertThat(tag.getTypeInfo()).isNotInstanceOf(GenericTypeInfo.class);
        assertThat(KryoFreeTypes.serializer(tag.getTypeInfo())).isNotNull();
    }

    @Test
    void theScanFindsTheJobsStatesAndRecords() throws Exception {
        List<String> states = stateDescriptors().map(StateDescriptor::getName).toList();
        assertThat(states)
                .contains(
                        "institution-reference",
                        "risk-rules",
                        "transactions-waiting-for-watermark",
                        "institution-ledger",
                        "institution-progress",
                        "series-buckets",
                        "card-balances",
                        "near-cap-charges-by-payer",
                        "unpaid-refund-requests",
                        "open-alerts");
        assertThat(recordTypes().map(Class::getSimpleName))
                .contains(
                        "FundTransaction",
                        "AlertRow",
                        "LedgerRow",
                        "InstitutionRiskRow",
                        "ReferenceUpdate");
        assertThat(outputTags().map(OutputTag::getId)).contains("ledger", "institution-risk");
    }

    @ParameterizedTest
    @MethodSource("ruleStateTypes")
    void ruleStateTypesAreFlinkPojos(Class<?> type) {
        assertThat(TypeInformation.of(type).toString())
                .startsWith("PojoType")
                .doesNotContain("GenericType");
    }

    static Stream<Class<?>> ruleStateTypes() {
        return Stream.of(
                org.lifelongpulse.fundrisk.rules.InstitutionHistory.class,
                org.lifelongpulse.fundrisk.rules.InstitutionVersion.class,
                org.lifelongpulse.fundrisk.rules.InstitutionProgress.class,
                org.lifelongpulse.fundrisk.rules.Ledger.class,
                org.lifelongpulse.fundrisk.rules.TimeSeries.class,
                org.lifelongpulse.fundrisk.rules.RefundRequest.class,
                org.lifelongpulse.fundrisk.rules.Episode.class,
                org.lifelongpulse.fundrisk.functions.SeriesBucket.class);
    }
}
