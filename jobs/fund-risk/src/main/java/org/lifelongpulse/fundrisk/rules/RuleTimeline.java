package org.lifelongpulse.fundrisk.rules;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every version of every rule setting with the event time it takes effect ({@code updated_at}; a
 * version without one is in force from the beginning of time): the {@link RuleBook} in force at any
 * moment. A transaction is judged by the settings in force at its event time, whatever order the
 * settings arrived in; for one topic key, the highest version in effect wins.
 */
public final class RuleTimeline {

    /** One published version: its topic key, settings and the event time it takes effect. */
    public record Version(String key, RuleSettings settings, long effectiveAt) {}

    private final Map<String, List<Version>> byKey = new HashMap<>();
    private final long[] changes;
    private final RuleBook[] books;

    public RuleTimeline(Iterable<Version> versions) {
        List<Long> times = new ArrayList<>();
        for (Version v : versions) {
            byKey.computeIfAbsent(v.key(), k -> new ArrayList<>()).add(v);
            times.add(v.effectiveAt());
        }
        changes = times.stream().mapToLong(Long::longValue).sorted().distinct().toArray();
        books = new RuleBook[changes.length + 1];
    }

    public static RuleTimeline defaults() {
        return new RuleTimeline(List.of());
    }

    /** The settings in force at event time {@code t}. */
    public RuleBook at(long t) {
        int segment = segment(t);
        if (books[segment] == null) {
            List<RuleSettings> inForce = new ArrayList<>();
            for (List<Version> versions : byKey.values()) {
                Version best = null;
                for (Version v : versions) {
                    if (v.effectiveAt() <= t
                            && (best == null
                                    || v.settings().version() > best.settings().version())) {
                        best = v;
                    }
                }
                if (best != null) {
                    inForce.add(best.settings());
                }
            }
            books[segment] = new RuleBook(inForce);
        }
        return books[segment];
    }

    /** The event times at which the settings change, ascending. */
    public long[] changes() {
        return changes.clone();
    }

    /** The rules whose settings (enforced or trial) change in {@code [from, to]}. */
    public Set<RuleId> changedIn(long from, long to) {
        Set<RuleId> changed = EnumSet.noneOf(RuleId.class);
        for (List<Version> versions : byKey.values()) {
            for (Version v : versions) {
                if (v.effectiveAt() >= from && v.effectiveAt() <= to) {
                    changed.add(v.settings().rule());
                }
            }
        }
        return changed;
    }

    /** Whether settings change at exactly {@code t}. */
    public boolean changesAt(long t) {
        return Arrays.binarySearch(changes, t) >= 0;
    }

    /** How many changes take effect at or before {@code t}: equal for equal rule books. */
    private int segment(long t) {
        int i = Arrays.binarySearch(changes, t);
        return i >= 0 ? i + 1 : -i - 1;
    }
}
