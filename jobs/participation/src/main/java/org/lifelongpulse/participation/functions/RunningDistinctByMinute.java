package org.lifelongpulse.participation.functions;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.lifelongpulse.admission.AdmitInTime;
import org.lifelongpulse.admission.EventMinute;
import org.lifelongpulse.participation.records.DistinctScope;
import org.lifelongpulse.participation.records.DistinctToken;
import org.lifelongpulse.participation.records.MinuteDistinct;

/**
 * Exact running distinct counts per scope, minute by minute of event time. Tokens wait in the state
 * of their minute until the watermark passes the minute's end plus the allowed lateness (after
 * which {@link AdmitInTime} lets nothing of that minute through); minutes are then folded into the
 * set of members ever seen in event-time order, so "new" means first active in that minute,
 * whatever order the events arrived in. Each minute is emitted once, final.
 *
 * <p>State per scope: the members ever seen (one entry each, the bulk: the member's id and a bit
 * per category it was seen in), the running totals, and the tokens of the minutes not yet final:
 * one entry per token (under its minute and its number within the minute) and a count per minute,
 * so that a token costs the same whatever else its minute holds (with RocksDB, a minute's tokens
 * kept as one list were read and written whole for each token). The categories are fixed when the
 * job is built, so the bits mean the same after a restore.
 */
public final class RunningDistinctByMinute
        extends KeyedProcessFunction<DistinctScope, DistinctToken, MinuteDistinct> {

    private static final long serialVersionUID = 1L;
    private static final String SEPARATOR = "\u0002";

    /**
     * Tokens whose minute was already final when they came (the watermark past its end plus the
     * allowed lateness): counting them would emit a second, partial row for that minute. Admission
     * keeps this empty; the job records what arrives here as dropped.
     */
    public static final OutputTag<DistinctToken> BEHIND_WATERMARK =
            new OutputTag<>(
                    "distinct-tokens-behind-watermark", TypeInformation.of(DistinctToken.class));

    /** Tokens of the minutes not yet final, by {@link #tokenKey}. */
    private static final MapStateDescriptor<Long, String> PENDING =
            new MapStateDescriptor<>("pending-tokens", Types.LONG, Types.STRING);

    /**
     * A minute's tokens as one list, as release {@code c22577f} kept them: read only to finish the
     * minutes a savepoint of that release left pending (new tokens never go there).
     */
    private static final MapStateDescriptor<Long, List<String>> RESTORED_PENDING =
            new MapStateDescriptor<>(
                    "pending-tokens-by-minute", Types.LONG, Types.LIST(Types.STRING));

    /** How many tokens each minute not yet final holds, by minute start. */
    private static final MapStateDescriptor<Long, Integer> PENDING_COUNT =
            new MapStateDescriptor<>("pending-token-count-by-minute", Types.LONG, Types.INT);

    private static final MapStateDescriptor<String, Integer> SEEN =
            new MapStateDescriptor<>("categories-seen-by-member", Types.STRING, Types.INT);
    private static final MapStateDescriptor<String, Long> TOTALS =
            new MapStateDescriptor<>("distinct-totals", Types.STRING, Types.LONG);

    private final long allowedLatenessMillis;
    private final List<String> categories;

    private transient MapState<Long, String> pending;
    private transient MapState<Long, Integer> pendingCount;
    private transient MapState<Long, List<String>> restoredPending;
    private transient MapState<String, Integer> seenCategories;
    private transient MapState<String, Long> totals;

    /**
     * This subtask's copy of {@code pending-token-count-by-minute} for the minutes it has counted
     * into since it started: written with the state, dropped at the minute's firing, never stored;
     * a minute missing here is read from the state (after a restore or a rescale). It saves a read
     * per token (with RocksDB, a lookup). Its size is the number of scopes' minutes not yet final.
     */
    private transient Map<ScopeMinute, Integer> cachedCounts;

    /** A scope's minute, for {@link #cachedCounts}. */
    private record ScopeMinute(DistinctScope scope, long minute) {}

    /**
     * @param categories the categories tokens may carry, at most 31
     */
    public RunningDistinctByMinute(java.time.Duration allowedLateness, List<String> categories) {
        if (categories.isEmpty() || categories.size() > 31) {
            throw new IllegalArgumentException("1 to 31 categories, not " + categories.size());
        }
        this.allowedLatenessMillis = allowedLateness.toMillis();
        this.categories = List.copyOf(categories);
    }

    @Override
    public void open(OpenContext openContext) {
        pending = getRuntimeContext().getMapState(PENDING);
        pendingCount = getRuntimeContext().getMapState(PENDING_COUNT);
        restoredPending = getRuntimeContext().getMapState(RESTORED_PENDING);
        seenCategories = getRuntimeContext().getMapState(SEEN);
        totals = getRuntimeContext().getMapState(TOTALS);
        cachedCounts = new HashMap<>();
    }

    @Override
    public void processElement(DistinctToken token, Context ctx, Collector<MinuteDistinct> out)
            throws Exception {
        long minute = EventMinute.startOf(token.eventTime());
        if (finalAt(minute) <= ctx.timerService().currentWatermark()) {
            ctx.output(BEHIND_WATERMARK, token);
            return;
        }
        if (!categories.contains(token.category())) {
            throw new IllegalArgumentException("unknown category " + token.category());
        }
        ScopeMinute at = new ScopeMinute(ctx.getCurrentKey(), minute);
        Integer count = cachedCounts.get(at);
        if (count == null) {
            count = pendingCount.get(minute);
        }
        if (count == null) {
            count = 0;
            ctx.timerService().registerEventTimeTimer(finalAt(minute));
        }
        pending.put(tokenKey(minute, count), token.category() + SEPARATOR + token.member());
        pendingCount.put(minute, count + 1);
        cachedCounts.put(at, count + 1);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<MinuteDistinct> out)
            throws Exception {
        long minute = timestamp - allowedLatenessMillis - EventMinute.MILLIS + 1;
        Integer pendingTokens = cachedCounts.remove(new ScopeMinute(ctx.getCurrentKey(), minute));
        if (pendingTokens == null) {
            pendingTokens = pendingCount.get(minute);
        }
        List<String> restored = restoredPending.get(minute);
        if (pendingTokens == null && restored == null) {
            return;
        }
        int count = pendingTokens == null ? 0 : pendingTokens;
        Set<String> distinctTokens = new HashSet<>();
        if (restored != null) {
            distinctTokens.addAll(restored);
            restoredPending.remove(minute);
        }
        for (int i = 0; i < count; i++) {
            long key = tokenKey(minute, i);
            distinctTokens.add(pending.get(key));
            pending.remove(key);
        }
        pendingCount.remove(minute);
        Set<String> activeMembers = new HashSet<>();
        Set<String> newMembers = new HashSet<>();
        for (String token : distinctTokens) {
            int cut = token.indexOf(SEPARATOR);
            String category = token.substring(0, cut);
            String member = token.substring(cut + 1);
            activeMembers.add(member);
            int bit = 1 << categories.indexOf(category);
            Integer seen = seenCategories.get(member);
            if (seen == null || (seen & bit) == 0) {
                seenCategories.put(member, seen == null ? bit : seen | bit);
                Long total = totals.get(category);
                totals.put(category, total == null ? 1 : total + 1);
                newMembers.add(member);
            }
        }
        Map<String, Long> snapshot = new HashMap<>();
        for (String category : categories) {
            // point lookups: no iterator (a seek with RocksDB) per firing
            Long total = totals.get(category);
            if (total != null) {
                snapshot.put(category, total);
            }
        }
        out.collect(
                new MinuteDistinct(
                        ctx.getCurrentKey(),
                        minute,
                        snapshot,
                        activeMembers.size(),
                        newMembers.size(),
                        count + (restored == null ? 0 : restored.size())));
    }

    /** A token's key: its minute (in minutes since the epoch) and its number within the minute. */
    private static long tokenKey(long minute, int number) {
        return (Math.floorDiv(minute, EventMinute.MILLIS) << 32) | (number & 0xFFFF_FFFFL);
    }

    private long finalAt(long minute) {
        return minute + EventMinute.MILLIS - 1 + allowedLatenessMillis;
    }
}
