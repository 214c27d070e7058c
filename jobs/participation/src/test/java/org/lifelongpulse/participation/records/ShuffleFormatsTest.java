package org.lifelongpulse.participation.records;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;
import org.lifelongpulse.avro.ActivityType;
import org.lifelongpulse.avro.AgeBand;
import org.lifelongpulse.avro.Channel;
import org.lifelongpulse.avro.District;
import org.lifelongpulse.shuffle.ShuffleTypeInfo;
import org.lifelongpulse.testkit.KryoFreeTypes;

/**
 * Every record written between tasks comes back equal, including what no symbol table holds: nulls,
 * strings outside the contract's symbols, ids that are not pseudonyms; and its symbols come back as
 * the pooled instances, also through a serializer that went through Java serialization (as it does
 * inside the job graph).
 */
class ShuffleFormatsTest {

    private final Random random = new Random(16);

    @Test
    void activitiesComeBackEqual() throws Exception {
        List<Activity> activities = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            activities.add(activity(i));
        }
        activities.add(
                new Activity(
                        "",
                        0,
                        null,
                        "ATLANTIS",
                        null,
                        "CARRIER_PIGEON",
                        "",
                        "",
                        null,
                        null,
                        null,
                        null,
                        null,
                        "t",
                        -1,
                        Long.MIN_VALUE));
        activities.add(
                new Activity(
                        "e-\u4e2d\u6587-\ud83d\ude00",
                        Long.MAX_VALUE,
                        "h",
                        "XUHUI",
                        "AGE_18_34",
                        "WEB",
                        "WALK_CHECKIN",
                        "r",
                        "route",
                        "p",
                        "c",
                        Integer.MIN_VALUE,
                        Integer.MAX_VALUE,
                        "topic",
                        Integer.MAX_VALUE,
                        Long.MAX_VALUE));
        assertComeBackEqual(Activity.class, activities);
    }

    @Test
    void visitsAndTokensComeBackEqual() throws Exception {
        List<ParticipationVisit> visits = new ArrayList<>();
        List<ResourceVisit> resourceVisits = new ArrayList<>();
        List<DistinctToken> tokens = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            Activity a = activity(i);
            visits.add(ParticipationVisit.of(a));
            resourceVisits.add(ResourceVisit.of(a));
            tokens.add(
                    new DistinctToken(
                            new DistinctScope(a.campaign(), i % 3 == 0 ? "ALL" : a.district()),
                            i % 2 == 0 ? "participant" : a.activityType(),
                            a.learnerHash(),
                            a.eventTime()));
        }
        visits.add(
                ParticipationVisit.of(
                        new ParticipationGroup("ATLANTIS", null, "WEB", ""),
                        "not-a-pseudonym",
                        0,
                        -1));
        resourceVisits.add(
                new ResourceVisit(
                        new ResourceGroup(null, "XUHUI", "OTHER", null), 1, 2, "x", 3, 4));
        tokens.add(new DistinctToken(new DistinctScope(null, null), "novel", null, -5));
        assertComeBackEqual(ParticipationVisit.class, visits);
        assertComeBackEqual(ResourceVisit.class, resourceVisits);
        assertComeBackEqual(DistinctToken.class, tokens);
    }

    @Test
    void symbolsComeBackAsThePooledInstancesAlsoAfterJavaSerialization() throws Exception {
        TypeSerializer<ParticipationVisit> serializer =
                InstantiationUtil.clone(
                        KryoFreeTypes.serializer(TypeInformation.of(ParticipationVisit.class)));
        // a group built from fresh strings, as a decoder without pooled symbols would
        ParticipationGroup fresh =
                new ParticipationGroup(
                        new String("XUHUI"),
                        new String("WALK_CHECKIN"),
                        new String("WEB"),
                        new String("AGE_60_69"));
        ParticipationVisit back =
                roundTrip(serializer, ParticipationVisit.of(fresh, "learner", 1, 2));
        assertThat(back.group()).isEqualTo(fresh);
        assertThat(back.group().district()).isSameAs(District.XUHUI.name());
        assertThat(back.group().activityType()).isSameAs(ActivityType.WALK_CHECKIN.name());
        assertThat(back.group().channel()).isSameAs(Channel.WEB.name());
        assertThat(back.group().ageBand()).isSameAs(AgeBand.AGE_60_69.name());
    }

    @Test
    void aSnapshotRestoresTheSameSerializerAndIsCompatibleOnlyWithItsOwnFormat() throws Exception {
        TypeSerializer<Activity> serializer =
                KryoFreeTypes.serializer(TypeInformation.of(Activity.class));
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, serializer.snapshotConfiguration());
        TypeSerializerSnapshot<Activity> read =
                TypeSerializerSnapshot.readVersionedSnapshot(
                        new DataInputDeserializer(out.getCopyOfBuffer()),
                        getClass().getClassLoader());
        assertThat(read.restoreSerializer()).isEqualTo(serializer);
        assertThat(
                        serializer
                                .snapshotConfiguration()
                                .resolveSchemaCompatibility(read)
                                .isCompatibleAsIs())
                .isTrue();
        @SuppressWarnings({"unchecked", "rawtypes"})
        TypeSerializerSnapshot<Activity> other =
                (TypeSerializerSnapshot)
                        KryoFreeTypes.serializer(TypeInformation.of(DistinctToken.class))
                                .snapshotConfiguration();
        assertThat(
                        serializer
                                .snapshotConfiguration()
                                .resolveSchemaCompatibility(other)
                                .isIncompatible())
                .isTrue();
        assertThat(TypeInformation.of(Activity.class))
                .isEqualTo(
                        new ShuffleTypeInfo<>(Activity.class, new ShuffleFormats.ActivityFormat()))
                .isNotEqualTo(TypeInformation.of(DistinctToken.class));
    }

    private <T> void assertComeBackEqual(Class<T> type, List<T> records) throws Exception {
        TypeSerializer<T> serializer = KryoFreeTypes.serializer(TypeInformation.of(type));
        // one buffer for all, as records follow each other in a network buffer
        DataOutputSerializer out = new DataOutputSerializer(256);
        for (T r : records) {
            serializer.serialize(r, out);
        }
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        for (T r : records) {
            assertThat(serializer.deserialize(in)).isEqualTo(r);
        }
        assertThat(in.available()).isZero();
        // copy(in, out) writes the same bytes
        DataOutputSerializer copied = new DataOutputSerializer(256);
        DataInputDeserializer again = new DataInputDeserializer(out.getCopyOfBuffer());
        for (int i = 0; i < records.size(); i++) {
            serializer.copy(again, copied);
        }
        assertThat(copied.getCopyOfBuffer()).isEqualTo(out.getCopyOfBuffer());
    }

    private static <T> T roundTrip(TypeSerializer<T> serializer, T record) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(record, out);
        return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }

    private Activity activity(int i) {
        District[] districts = District.values();
        AgeBand[] bands = AgeBand.values();
        Channel[] channels = Channel.values();
        ActivityType[] types = ActivityType.values();
        String learner =
                i % 7 == 0
                        ? "learner-" + i
                        : String.format("%016x%016x", random.nextLong(), random.nextLong());
        return new Activity(
                "e-" + i,
                random.nextLong(),
                learner,
                districts[random.nextInt(districts.length)].name(),
                bands[random.nextInt(bands.length)].name(),
                channels[random.nextInt(channels.length)].name(),
                types[random.nextInt(types.length)].name(),
                "res-" + random.nextInt(50),
                i % 3 == 0 ? null : "route-" + i,
                i % 4 == 0 ? null : "prov-" + i,
                i % 5 == 0 ? null : "activity-week-2020",
                i % 6 == 0 ? null : random.nextInt(),
                i % 8 == 0 ? null : random.nextInt(100),
                "learning.activity.v1",
                random.nextInt(12),
                random.nextLong());
    }
}
