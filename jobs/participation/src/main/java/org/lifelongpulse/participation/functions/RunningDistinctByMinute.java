package org.lifelongpulse.participation.functions;

import java.util.ArrayList;
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
 * per category it was seen in), the running totals, and the tokens of the minutes not yet final.
 * The categories are fixed when the job is built, so the bits mean the same after a restore.
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

    private static final MapStateDescriptor<Long, List<String>> PENDING =
            new MapStateDescriptor<>(
                    "pending-tokens-by-minute", Types.LONG, Types.LIST(Types.STRING));
    private static final MapStateDescriptor<String, Integer> SEEN =
            new MapStateDescriptor<>("categories-seen-by-member", Types.STRING, Types.INT);
    private static final MapStateDescriptor<String, Long> TOTALS =
            new MapStateDescriptor<>("distinct-totals", Types.STRING, Types.LONG);

    private final long allowedLatenessMillis;
    private final List<String> categories;

    private transient MapState<Long, List<String>> pendingByMinute;
    private transient MapState<String, Integer> seenCategories;
    private transient MapState<String, Long> totals;

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
        pendingByMinute = getRuntimeContext().getMapState(PENDING);
        seenCategories = getRuntimeContext().getMapState(SEEN);
        totals = getRuntimeContext().getMapState(TOTALS);
    }

    @Override
    public void processElement(DistinctToken token, Context ctx, Collector<MinuteDistinct> out)
            throws Exception {
        long minute = EventMinute.startOf(token.eventTime());
        if (finalAt(minute) <= ctx.timerService().currentWatermark()) {
            ctx.output(BEHIND_WATERMARK, token);
            return;
        }
        List<String> pending = pendingByMinute.get(minute);
        if (pending == null) {
            pending = new ArrayList<>();
            ctx.timerService().registerEventTimeTimer(finalAt(minute));
        }
        if (!categories.contains(token.category())) {
            throw new IllegalArgumentException("unknown category " + token.category());
        }
        pending.add(token.category() + SEPARATOR + token.member());
        pendingByMinute.put(minute, pending);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<MinuteDistinct> out)
            throws Exception {
        long minute = timestamp - allowedLatenessMillis - EventMinute.MILLIS + 1;
        List<String> tokens = pendingByMinute.get(minute);
        if (tokens == null) {
            return;
        }
        Set<String> activeMembers = new HashSet<>();
        Set<String> newMembers = new HashSet<>();
        Set<String> distinctTokens = new HashSet<>(tokens);
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
        for (Map.Entry<String, Long> e : totals.entries()) {
            snapshot.put(e.getKey(), e.getValue());
        }
        pendingByMinute.remove(minute);
        out.collect(
                new MinuteDistinct(
                        ctx.getCurrentKey(),
                        minute,
                        snapshot,
                        activeMembers.size(),
                        newMembers.size(),
                        tokens.size()));
    }

    private long finalAt(long minute) {
        return minute + EventMinute.MILLIS - 1 + allowedLatenessMillis;
    }
}
