package org.lifelongpulse.participation.functions;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.lifelongpulse.admission.AdmitInTime;
import org.lifelongpulse.admission.EventMinute;
import org.lifelongpulse.participation.records.DistinctScope;
import org.lifelongpulse.participation.records.DistinctToken;
import org.lifelongpulse.participation.records.MinuteDistinct;
import org.lifelongpulse.state.WriteBeforeSnapshot;

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
 * kept as one list were read and written whole for each token). Those tokens are collected in
 * memory and written before each snapshot (run the function with {@link #operator()}). The
 * categories are fixed when the job is built, so the bits mean the same after a restore.
 */
public final class RunningDistinctByMinute
        extends KeyedProcessFunction<DistinctScope, DistinctToken, MinuteDistinct>
        implements WriteBeforeSnapshot.Buffered<DistinctScope> {

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
     * This subtask's working copy of its scopes' minutes not yet final: each minute's tokens are
     * collected here and written to {@code pending-tokens} and {@code
     * pending-token-count-by-minute} only before a snapshot ({@link #writeToState}, through {@link
     * #operator()}), so a minute counted and made final between two checkpoints never touches that
     * state: with RocksDB each token cost two writes at its arrival and a read and a delete at its
     * minute's firing. Never stored itself; after a snapshot it drops the tokens it holds (all then
     * in the state) when it holds more than {@link #MAX_TOKENS_IN_MEMORY}.
     */
    private transient Map<ScopeMinute, PendingMinute> working;

    /** Whether the state may hold minutes {@link #working} has not seen (else it holds none). */
    private transient boolean restored;

    private transient boolean startedByOperator;

    /** How many tokens stay in memory past a snapshot (all of them are then in the state). */
    static final int MAX_TOKENS_IN_MEMORY = 500_000;

    /** A scope's minute, for {@link #working}. */
    private record ScopeMinute(DistinctScope scope, long minute) {}

    /** A minute not yet final, as this subtask holds it. */
    private static final class PendingMinute {
        /** How many of its tokens are in the state: numbers 0 to stored - 1. */
        int stored;

        /** Those tokens, when in memory; null when only in the state. */
        Tokens storedTokens;

        /** Tokens not yet in the state, numbers from {@code stored} on. */
        Tokens unstored = new Tokens();

        int count() {
            return stored + unstored.size;
        }
    }

    /**
     * Tokens in memory, in arrival order: each a member and its category's bit, not joined into the
     * string the state keeps (that is built only when a token is written to the state).
     */
    private static final class Tokens {
        String[] members = new String[4];
        int[] bits = new int[4];
        int size;

        void add(String member, int bit) {
            if (size == members.length) {
                members = Arrays.copyOf(members, size * 2);
                bits = Arrays.copyOf(bits, size * 2);
            }
            members[size] = member;
            bits[size++] = bit;
        }

        void addAll(Tokens other) {
            for (int i = 0; i < other.size; i++) {
                add(other.members[i], other.bits[i]);
            }
        }

        /** Each member's categories, as bits, into {@code bitsByMember}. */
        void addTo(Map<String, Integer> bitsByMember) {
            for (int i = 0; i < size; i++) {
                bitsByMember.merge(members[i], bits[i], (a, b) -> a | b);
            }
        }
    }

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

    /**
     * The function as the operator to run it with: it writes the tokens in memory to the state
     * before each snapshot. Run alone (as a {@code KeyedProcessOperator}) a snapshot would miss
     * them.
     */
    public OneInputStreamOperator<DistinctToken, MinuteDistinct> operator() {
        return WriteBeforeSnapshot.of(this);
    }

    @Override
    public void startsRestored(boolean restored) {
        this.restored = restored;
        this.startedByOperator = true;
    }

    @Override
    public void open(OpenContext openContext) {
        if (!startedByOperator) {
            // run alone, snapshots would miss what is counted in memory
            throw new IllegalStateException(
                    "RunningDistinctByMinute runs only in the operator of operator()");
        }
        pending = getRuntimeContext().getMapState(PENDING);
        pendingCount = getRuntimeContext().getMapState(PENDING_COUNT);
        restoredPending = getRuntimeContext().getMapState(RESTORED_PENDING);
        seenCategories = getRuntimeContext().getMapState(SEEN);
        totals = getRuntimeContext().getMapState(TOTALS);
        working = new HashMap<>();
    }

    @Override
    public void processElement(DistinctToken token, Context ctx, Collector<MinuteDistinct> out)
            throws Exception {
        long minute = EventMinute.startOf(token.eventTime());
        if (finalAt(minute) <= ctx.timerService().currentWatermark()) {
            ctx.output(BEHIND_WATERMARK, token);
            return;
        }
        int category = categories.indexOf(token.category());
        if (category < 0) {
            throw new IllegalArgumentException("unknown category " + token.category());
        }
        ScopeMinute at = new ScopeMinute(ctx.getCurrentKey(), minute);
        PendingMinute pendingMinute = working.get(at);
        if (pendingMinute == null) {
            pendingMinute = stored(minute);
            if (pendingMinute == null) {
                pendingMinute = new PendingMinute();
                pendingMinute.storedTokens = new Tokens();
                ctx.timerService().registerEventTimeTimer(finalAt(minute));
            }
            working.put(at, pendingMinute);
        }
        pendingMinute.unstored.add(token.member(), 1 << category);
    }

    /** After a restore, a minute the state holds tokens of (left there); else null. */
    private PendingMinute stored(long minute) throws Exception {
        Integer count = restored ? pendingCount.get(minute) : null;
        if (count == null) {
            return null;
        }
        PendingMinute stored = new PendingMinute();
        stored.stored = count;
        return stored;
    }

    @Override
    public void writeToState(Consumer<DistinctScope> currentKey) throws Exception {
        long inMemory = 0;
        for (Map.Entry<ScopeMinute, PendingMinute> e : working.entrySet()) {
            PendingMinute p = e.getValue();
            Tokens unstored = p.unstored;
            if (unstored.size > 0) {
                long minute = e.getKey().minute();
                currentKey.accept(e.getKey().scope());
                for (int i = 0; i < unstored.size; i++) {
                    String category = categoryOf(unstored.bits[i]);
                    pending.put(
                            tokenKey(minute, p.stored++),
                            category + SEPARATOR + unstored.members[i]);
                }
                pendingCount.put(minute, p.stored);
                if (p.storedTokens != null) {
                    p.storedTokens.addAll(unstored);
                }
                p.unstored = new Tokens();
            }
            inMemory += p.storedTokens == null ? 0 : p.storedTokens.size;
        }
        if (inMemory > MAX_TOKENS_IN_MEMORY) {
            for (PendingMinute p : working.values()) {
                p.storedTokens = null; // every one is stored now
            }
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<MinuteDistinct> out)
            throws Exception {
        long minute = timestamp - allowedLatenessMillis - EventMinute.MILLIS + 1;
        PendingMinute pendingMinute = working.remove(new ScopeMinute(ctx.getCurrentKey(), minute));
        if (pendingMinute == null) {
            pendingMinute = stored(minute);
        }
        List<String> restoredList = restored ? restoredPending.get(minute) : null;
        if (pendingMinute == null && restoredList == null) {
            return;
        }
        // each member active in the minute, with the categories it was active in
        Map<String, Integer> bitsByMember = new HashMap<>();
        int count = 0;
        if (restoredList != null) {
            for (String token : restoredList) {
                addToken(bitsByMember, token);
            }
            restoredPending.remove(minute);
            count += restoredList.size();
        }
        if (pendingMinute != null) {
            for (int i = 0; i < pendingMinute.stored; i++) {
                long key = tokenKey(minute, i);
                if (pendingMinute.storedTokens == null) {
                    addToken(bitsByMember, pending.get(key));
                }
                pending.remove(key);
            }
            if (pendingMinute.storedTokens != null) {
                pendingMinute.storedTokens.addTo(bitsByMember);
            }
            pendingMinute.unstored.addTo(bitsByMember);
            if (pendingMinute.stored > 0) {
                pendingCount.remove(minute);
            }
            count += pendingMinute.count();
        }
        Map<String, Long> snapshot = new HashMap<>();
        for (String category : categories) {
            // point lookups: no iterator (a seek with RocksDB) per firing
            Long total = totals.get(category);
            if (total != null) {
                snapshot.put(category, total);
            }
        }
        long newMembers = 0;
        int grown = 0;
        for (Map.Entry<String, Integer> m : bitsByMember.entrySet()) {
            // one lookup per member, whatever the number of its categories
            Integer seen = seenCategories.get(m.getKey());
            int before = seen == null ? 0 : seen;
            int fresh = m.getValue() & ~before;
            if (fresh != 0) {
                seenCategories.put(m.getKey(), before | fresh);
                newMembers++;
                grown |= fresh;
                for (int bits = fresh; bits != 0; bits &= bits - 1) {
                    snapshot.merge(categoryOf(bits), 1L, Long::sum);
                }
            }
        }
        for (int bits = grown; bits != 0; bits &= bits - 1) {
            String category = categoryOf(bits);
            totals.put(category, snapshot.get(category));
        }
        out.collect(
                new MinuteDistinct(
                        ctx.getCurrentKey(),
                        minute,
                        snapshot,
                        bitsByMember.size(),
                        newMembers,
                        count));
    }

    /** The category of {@code bits}' lowest bit. */
    private String categoryOf(int bits) {
        return categories.get(Integer.numberOfTrailingZeros(bits));
    }

    /** A token as the state keeps it ({@code category SEPARATOR member}) into the members' bits. */
    private void addToken(Map<String, Integer> bitsByMember, String token) {
        int cut = token.indexOf(SEPARATOR);
        int bit = 1 << categories.indexOf(token.substring(0, cut));
        bitsByMember.merge(token.substring(cut + 1), bit, (a, b) -> a | b);
    }

    /** A token's key: its minute (in minutes since the epoch) and its number within the minute. */
    private static long tokenKey(long minute, int number) {
        return (Math.floorDiv(minute, EventMinute.MILLIS) << 32) | (number & 0xFFFF_FFFFL);
    }

    private long finalAt(long minute) {
        return minute + EventMinute.MILLIS - 1 + allowedLatenessMillis;
    }
}
