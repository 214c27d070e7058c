package org.lifelongpulse.participation.records;

import java.io.IOException;
import java.util.List;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.lifelongpulse.avro.ActivityType;
import org.lifelongpulse.avro.AgeBand;
import org.lifelongpulse.avro.Channel;
import org.lifelongpulse.avro.District;
import org.lifelongpulse.shuffle.ShuffleFormat;
import org.lifelongpulse.shuffle.ShuffleStrings;
import org.lifelongpulse.shuffle.ShuffleTypeInfoFactory;
import org.lifelongpulse.shuffle.Symbols;

/**
 * How the records that go between the participation job's tasks, and only there, are written:
 * {@link Activity} (to the resend check, and to the walk check-ins), {@link ParticipationVisit} and
 * {@link ResourceVisit} (to the per-minute tallies) and {@link DistinctToken} (to the running
 * distinct counts), one to four shuffles for every event. Field by field, the contract's symbols as
 * one byte each and read back as the symbols' own string instances (see {@link Symbols}), other
 * strings as {@link ShuffleStrings} writes them. None of these records is kept in state or used as
 * a key; their keys ({@link ParticipationGroup}, {@link ResourceGroup}, {@link DistinctScope}) stay
 * Flink POJOs, whatever carries them.
 */
public final class ShuffleFormats {

    private ShuffleFormats() {}

    /** Districts, and the scope of every district. */
    static final Symbols DISTRICTS = Symbols.ofEnum(District.class, "ALL");

    static final Symbols AGE_BANDS = Symbols.ofEnum(AgeBand.class);
    static final Symbols CHANNELS = Symbols.ofEnum(Channel.class);
    static final Symbols ACTIVITY_TYPES = Symbols.ofEnum(ActivityType.class);

    /** The categories of the running distinct counts: the campaign's, then the funnel's steps. */
    static final Symbols CATEGORIES =
            Symbols.of(List.of("participant", "COURSE_ENROLL", "MOOC_PROGRESS", "MOOC_COMPLETE"));

    private static void writeString(String s, DataOutputView out) throws IOException {
        ShuffleStrings.write(s, out); // null as well
    }

    private static String readString(DataInputView in) throws IOException {
        return ShuffleStrings.read(in);
    }

    /** What every {@link Visit} carries beside its group, after the group. */
    private static void writeVisit(Visit v, DataOutputView out) throws IOException {
        out.writeLong(v.learnerHigh());
        out.writeLong(v.learnerLow());
        writeString(v.learnerOther(), out);
        out.writeLong(v.seconds());
        out.writeLong(v.credits());
    }

    /** A visit's fields beside its group, as {@link #writeVisit} wrote them. */
    @FunctionalInterface
    private interface VisitOf<V> {
        V of(long learnerHigh, long learnerLow, String learnerOther, long seconds, long credits);
    }

    private static <V> V readVisit(DataInputView in, VisitOf<V> visit) throws IOException {
        return visit.of(in.readLong(), in.readLong(), readString(in), in.readLong(), in.readLong());
    }

    public static final class ActivityFormat implements ShuffleFormat<Activity> {
        private static final long serialVersionUID = 1L;
        private static final int HAS_SECONDS = 1;
        private static final int HAS_CREDITS = 2;

        @Override
        public void write(Activity a, DataOutputView out) throws IOException {
            writeString(a.eventId(), out);
            out.writeLong(a.eventTime());
            out.writeLong(a.eventIdHash());
            writeString(a.learnerHash(), out);
            DISTRICTS.write(a.district(), out);
            AGE_BANDS.write(a.ageBand(), out);
            CHANNELS.write(a.channel(), out);
            ACTIVITY_TYPES.write(a.activityType(), out);
            writeString(a.resourceId(), out);
            writeString(a.routeId(), out);
            writeString(a.providerId(), out);
            writeString(a.campaign(), out);
            int present =
                    (a.durationSeconds() != null ? HAS_SECONDS : 0)
                            | (a.creditPoints() != null ? HAS_CREDITS : 0);
            out.writeByte(present);
            if (a.durationSeconds() != null) {
                out.writeInt(a.durationSeconds());
            }
            if (a.creditPoints() != null) {
                out.writeInt(a.creditPoints());
            }
            writeString(a.sourceTopic(), out);
            out.writeInt(a.sourcePartition());
            out.writeLong(a.sourceOffset());
        }

        @Override
        public Activity read(DataInputView in) throws IOException {
            String eventId = readString(in);
            long eventTime = in.readLong();
            long eventIdHash = in.readLong();
            String learnerHash = readString(in);
            String district = DISTRICTS.read(in);
            String ageBand = AGE_BANDS.read(in);
            String channel = CHANNELS.read(in);
            String activityType = ACTIVITY_TYPES.read(in);
            String resourceId = readString(in);
            String routeId = readString(in);
            String providerId = readString(in);
            String campaign = readString(in);
            int present = in.readUnsignedByte();
            Integer seconds = (present & HAS_SECONDS) != 0 ? in.readInt() : null;
            Integer credits = (present & HAS_CREDITS) != 0 ? in.readInt() : null;
            return new Activity(
                    eventId,
                    eventTime,
                    learnerHash,
                    district,
                    ageBand,
                    channel,
                    activityType,
                    resourceId,
                    routeId,
                    providerId,
                    campaign,
                    seconds,
                    credits,
                    readString(in),
                    in.readInt(),
                    in.readLong(),
                    eventIdHash);
        }
    }

    public static final class ParticipationVisitFormat
            implements ShuffleFormat<ParticipationVisit> {
        private static final long serialVersionUID = 1L;

        @Override
        public void write(ParticipationVisit v, DataOutputView out) throws IOException {
            ParticipationGroup g = v.group();
            DISTRICTS.write(g.district(), out);
            ACTIVITY_TYPES.write(g.activityType(), out);
            CHANNELS.write(g.channel(), out);
            AGE_BANDS.write(g.ageBand(), out);
            writeVisit(v, out);
        }

        @Override
        public ParticipationVisit read(DataInputView in) throws IOException {
            ParticipationGroup group =
                    new ParticipationGroup(
                            DISTRICTS.read(in),
                            ACTIVITY_TYPES.read(in),
                            CHANNELS.read(in),
                            AGE_BANDS.read(in));
            return readVisit(
                    in,
                    (high, low, other, seconds, credits) ->
                            new ParticipationVisit(group, high, low, other, seconds, credits));
        }
    }

    public static final class ResourceVisitFormat implements ShuffleFormat<ResourceVisit> {
        private static final long serialVersionUID = 1L;

        @Override
        public void write(ResourceVisit v, DataOutputView out) throws IOException {
            ResourceGroup g = v.group();
            writeString(g.resourceId(), out);
            DISTRICTS.write(g.district(), out);
            ACTIVITY_TYPES.write(g.activityType(), out);
            writeString(g.providerId(), out);
            writeVisit(v, out);
        }

        @Override
        public ResourceVisit read(DataInputView in) throws IOException {
            ResourceGroup group =
                    new ResourceGroup(
                            readString(in),
                            DISTRICTS.read(in),
                            ACTIVITY_TYPES.read(in),
                            readString(in));
            return readVisit(
                    in,
                    (high, low, other, seconds, credits) ->
                            new ResourceVisit(group, high, low, other, seconds, credits));
        }
    }

    public static final class DistinctTokenFormat implements ShuffleFormat<DistinctToken> {
        private static final long serialVersionUID = 1L;

        @Override
        public void write(DistinctToken t, DataOutputView out) throws IOException {
            writeString(t.scope().name(), out);
            DISTRICTS.write(t.scope().district(), out);
            CATEGORIES.write(t.category(), out);
            writeString(t.member(), out);
            out.writeLong(t.eventTime());
        }

        @Override
        public DistinctToken read(DataInputView in) throws IOException {
            DistinctScope scope = new DistinctScope(readString(in), DISTRICTS.read(in));
            return new DistinctToken(scope, CATEGORIES.read(in), readString(in), in.readLong());
        }
    }

    public static final class ActivityInfo extends ShuffleTypeInfoFactory<Activity> {
        public ActivityInfo() {
            super(Activity.class, ActivityFormat::new);
        }
    }

    public static final class ParticipationVisitInfo
            extends ShuffleTypeInfoFactory<ParticipationVisit> {
        public ParticipationVisitInfo() {
            super(ParticipationVisit.class, ParticipationVisitFormat::new);
        }
    }

    public static final class ResourceVisitInfo extends ShuffleTypeInfoFactory<ResourceVisit> {
        public ResourceVisitInfo() {
            super(ResourceVisit.class, ResourceVisitFormat::new);
        }
    }

    public static final class DistinctTokenInfo extends ShuffleTypeInfoFactory<DistinctToken> {
        public DistinctTokenInfo() {
            super(DistinctToken.class, DistinctTokenFormat::new);
        }
    }
}
