package org.lifelongpulse.participation.records;

import java.util.Objects;
import org.lifelongpulse.state.KeyHash;

/**
 * The key of {@code participation_minute}: district × activity type × channel × age band, as the
 * contract's symbols. {@link #hashCode} is spelled out over the strings' own hash codes, so that
 * the key group of a group is the same in every JVM (a record's generated hash code is unspecified,
 * an enum's is an identity hash).
 */
public record ParticipationGroup(
        String district, String activityType, String channel, String ageBand) {

    public static ParticipationGroup of(Activity a) {
        return new ParticipationGroup(a.district(), a.activityType(), a.channel(), a.ageBand());
    }

    /** The parts joined by {@code |}: how {@code dropped_events.item} names the group. */
    @Override
    public String toString() {
        return String.join("|", district, activityType, channel, ageBand);
    }

    @Override
    public int hashCode() {
        return KeyHash.of(district, activityType, channel, ageBand);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParticipationGroup g
                && Objects.equals(district, g.district)
                && Objects.equals(activityType, g.activityType)
                && Objects.equals(channel, g.channel)
                && Objects.equals(ageBand, g.ageBand);
    }
}
