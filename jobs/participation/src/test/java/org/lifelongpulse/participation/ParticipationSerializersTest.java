package org.lifelongpulse.participation;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.api.java.typeutils.TypeExtractor;
import org.apache.flink.util.InstantiationUtil;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lifelongpulse.participation.functions.AggregateByMinute;
import org.lifelongpulse.participation.functions.KeepMoocFunnel;
import org.lifelongpulse.participation.functions.LabelResourceKind;
import org.lifelongpulse.participation.functions.MinuteTally;
import org.lifelongpulse.participation.functions.ResourceKinds;
import org.lifelongpulse.participation.functions.TallyActivities;
import org.lifelongpulse.participation.records.Activity;
import org.lifelongpulse.participation.records.DistinctScope;
import org.lifelongpulse.participation.records.DistinctToken;
import org.lifelongpulse.participation.records.LearnerRoute;
import org.lifelongpulse.participation.records.ParticipationGroup;
import org.lifelongpulse.participation.records.ParticipationVisit;
import org.lifelongpulse.participation.records.ResourceGroup;
import org.lifelongpulse.participation.records.ResourceVisit;
import org.lifelongpulse.participation.records.ShuffleFormats;
import org.lifelongpulse.shuffle.ShuffleSerializer;
import org.lifelongpulse.shuffle.ShuffleTypeInfo;
import org.lifelongpulse.testkit.KryoFreeTypes;

/**
 * No record, key or state type of the participation job falls back to Kryo: every class of the
 * records package (keys included), every state descriptor and side output declared in the job and
 * its functions, and the window accumulator, built with generic types disabled.
 */
class ParticipationSerializersTest {

    static final String RECORDS = "org.lifelongpulse.participation.records";
    static final List<String> CODE =
            List.of("org.lifelongpulse.participation", "org.lifelongpulse.participation.functions");

    /** Records written between tasks only, by {@code ShuffleFormats}: never state, never keys. */
    static final Set<Class<?>> SHUFFLED =
            Set.of(
                    Activity.class,
                    ParticipationVisit.class,
                    ResourceVisit.class,
                    DistinctToken.class);

    static Stream<Class<?>> recordTypes() throws Exception {
        return KryoFreeTypes.classesOf(RECORDS).stream()
                .filter(c -> !c.isInterface() && !Modifier.isAbstract(c.getModifiers()))
                .filter(c -> c.getEnclosingClass() == null && c != ShuffleFormats.class);
    }

    static Stream<StateDescriptor<?, ?>> stateDescriptors() throws Exception {
        Stream<StateDescriptor<?, ?>> all = Stream.empty();
        for (String p : CODE) {
            all = Stream.concat(all, KryoFreeTypes.stateDescriptorsOf(p).stream());
        }
        return all;
    }

    static Stream<OutputTag<?>> outputTags() throws Exception {
        Stream<OutputTag<?>> all = Stream.empty();
        for (String p : CODE) {
            all = Stream.concat(all, KryoFreeTypes.outputTagsOf(p).stream());
        }
        return all;
    }

    @ParameterizedTest
    @MethodSource("recordTypes")
    void everyRecordAndKeyIsAFlinkPojoOrWrittenByItsShuffleFormat(Class<?> type) {
        TypeInformation<?> info = TypeInformation.of(type);
        if (SHUFFLED.contains(type)) {
            assertThat(info).isInstanceOf(ShuffleTypeInfo.class);
            assertThat(info.isKeyType()).isFalse();
        } else {
            assertThat(info)
                    .isInstanceOf(PojoTypeInfo.class)
                    .isNotInstanceOf(GenericTypeInfo.class);
        }
        assertThat(KryoFreeTypes.serializer(info)).isNotNull();
    }

    @Test
    void noStateHoldsARecordWrittenByAShuffleFormat() throws Exception {
        // a serializer's Java form names every serializer nested in it
        assertThat(stateDescriptors())
                .isNotEmpty()
                .allSatisfy(
                        d ->
                                assertThat(serializedForm(KryoFreeTypes.serializer(d)))
                                        .as(d.getName())
                                        .doesNotContain(ShuffleSerializer.class.getName()));
        assertThat(
                        serializedForm(
                                KryoFreeTypes.serializer(
                                        AggregateByMinute.talliesState(
                                                TypeInformation.of(MinuteTally.class)))))
                .doesNotContain(ShuffleSerializer.class.getName());
        // and the check sees one where there is one
        assertThat(serializedForm(KryoFreeTypes.serializer(TypeInformation.of(Activity.class))))
                .contains(ShuffleSerializer.class.getName());
    }

    private static String serializedForm(Object serializer) throws Exception {
        return new String(
                InstantiationUtil.serializeObject(serializer),
                java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest
    @MethodSource("stateDescriptors")
    void everyStateIsSerializedWithoutKryo(StateDescriptor<?, ?> state) {
        assertThat(KryoFreeTypes.serializer(state)).isNotNull();
    }

    @ParameterizedTest
    @MethodSource("outputTags")
    void everySideOutputIsSerializedWithoutKryo(OutputTag<?> tag) {
        assertThat(KryoFreeTypes.serializer(tag.getTypeInfo())).isNotNull();
    }

    @Test
    void theCatalogueStatesAreSerializedWithoutKryo() {
        Duration wait = Duration.ofHours(1);
        assertThat(KryoFreeTypes.serializer(ResourceKinds.KINDS)).isNotNull();
        assertThat(KryoFreeTypes.serializer(LabelResourceKind.unlabelledRows(wait))).isNotNull();
        assertThat(KryoFreeTypes.serializer(KeepMoocFunnel.waitingRows(wait))).isNotNull();
        assertThat(LabelResourceKind.unlabelledRows(wait).getTtlConfig().isEnabled()).isTrue();
        assertThat(KeepMoocFunnel.waitingRows(wait).getTtlConfig().isEnabled()).isTrue();
    }

    @Test
    void theWindowAccumulatorIsSerializedWithoutKryo() {
        TypeInformation<?> accumulator =
                TypeExtractor.getAggregateFunctionAccumulatorType(
                        new TallyActivities<ParticipationVisit>(),
                        TypeInformation.of(ParticipationVisit.class),
                        null,
                        false);
        assertThat(accumulator).isInstanceOf(PojoTypeInfo.class);
        assertThat(KryoFreeTypes.serializer(accumulator)).isNotNull();
    }

    @Test
    void thePerMinuteTallyStateIsSerializedWithoutKryo() {
        assertThat(
                        KryoFreeTypes.serializer(
                                AggregateByMinute.talliesState(
                                        TypeInformation.of(MinuteTally.class))))
                .isNotNull();
    }

    @Test
    void theScanFindsTheJobsStatesKeysAndSideOutputs() throws Exception {
        assertThat(stateDescriptors().map(StateDescriptor::getName))
                .contains(
                        "walk-routes",
                        "resource-kinds",
                        "first-check-in-by-point",
                        "reported-completion",
                        "learner-district",
                        "pending-tokens",
                        "pending-token-count-by-minute",
                        "categories-seen-by-member",
                        "distinct-totals");
        assertThat(recordTypes().map(Class::getSimpleName))
                .contains(
                        "ParticipationGroup",
                        "ResourceGroup",
                        "DistinctScope",
                        "LearnerRoute",
                        "ParticipationVisit",
                        "ResourceVisit",
                        "DistinctToken",
                        "MinuteDistinct",
                        "Activity");
        assertThat(outputTags().map(OutputTag::getId))
                .contains(
                        "participation-visits-behind-watermark",
                        "resource-visits-behind-watermark",
                        "distinct-tokens-behind-watermark");
    }

    @Test
    void keyHashCodesAreThoseOfTheirStringsInEveryJvm() {
        // List.hashCode is specified (31-based over String.hashCode): the key groups of these
        // keys do not depend on the JVM, unlike a record's generated or an enum's hash code
        assertThat(new ParticipationGroup("XUHUI", "WALK_CHECKIN", "WEB", "AGE_60_69").hashCode())
                .isEqualTo(List.of("XUHUI", "WALK_CHECKIN", "WEB", "AGE_60_69").hashCode());
        assertThat(new ResourceGroup("MOOC-7", "XUHUI", "MOOC_PROGRESS", "").hashCode())
                .isEqualTo(List.of("MOOC-7", "XUHUI", "MOOC_PROGRESS", "").hashCode());
        assertThat(new DistinctScope("activity-week-2020", "ALL").hashCode())
                .isEqualTo(List.of("activity-week-2020", "ALL").hashCode());
        assertThat(new LearnerRoute("h1", "R-3").hashCode())
                .isEqualTo(List.of("h1", "R-3").hashCode());
    }

    @Test
    void groupsNameThemselvesByTheirPartsInDroppedEvents() {
        assertThat(new ParticipationGroup("XUHUI", "WALK_CHECKIN", "WEB", "AGE_60_69"))
                .hasToString("XUHUI|WALK_CHECKIN|WEB|AGE_60_69");
        assertThat(new ResourceGroup("MOOC-7", "XUHUI", "MOOC_PROGRESS", ""))
                .hasToString("MOOC-7|XUHUI|MOOC_PROGRESS|");
        assertThat(new DistinctScope("activity-week-2020", "ALL"))
                .hasToString("activity-week-2020|ALL");
    }
}
