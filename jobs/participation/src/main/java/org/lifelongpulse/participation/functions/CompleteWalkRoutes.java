package org.lifelongpulse.participation.functions;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.lifelongpulse.avro.WalkRoute;
import org.lifelongpulse.participation.records.Activity;
import org.lifelongpulse.participation.records.LearnerRoute;
import org.lifelongpulse.participation.records.RouteCompletion;

/**
 * Detects that a learner has checked in at every point of a humanities-walk route. Keyed by learner
 * and route; the routes arrive as broadcast reference data, possibly after the check-ins (then the
 * routes' arrival completes them). The completion time is the event time of the check-in that
 * completed the set: the latest of the earliest check-in at each point.
 */
public final class CompleteWalkRoutes
        extends KeyedBroadcastProcessFunction<LearnerRoute, Activity, WalkRoute, RouteCompletion> {

    private static final long serialVersionUID = 1L;

    /** The routes, by id: the broadcast state. */
    public static final MapStateDescriptor<String, WalkRoute> ROUTES =
            new MapStateDescriptor<>(
                    "walk-routes", Types.STRING, TypeInformation.of(WalkRoute.class));

    private static final MapStateDescriptor<String, Long> CHECK_INS =
            new MapStateDescriptor<>("first-check-in-by-point", Types.STRING, Types.LONG);
    private static final ValueStateDescriptor<Long> REPORTED =
            new ValueStateDescriptor<>("reported-completion", Types.LONG);
    private static final ValueStateDescriptor<String> DISTRICT =
            new ValueStateDescriptor<>("learner-district", Types.STRING);

    private transient MapState<String, Long> firstCheckIn;
    private transient ValueState<Long> reportedCompletion;
    private transient ValueState<String> district;

    @Override
    public void open(OpenContext openContext) {
        firstCheckIn = getRuntimeContext().getMapState(CHECK_INS);
        reportedCompletion = getRuntimeContext().getState(REPORTED);
        district = getRuntimeContext().getState(DISTRICT);
    }

    @Override
    public void processElement(
            Activity checkIn, ReadOnlyContext ctx, Collector<RouteCompletion> out)
            throws Exception {
        Long known = firstCheckIn.get(checkIn.resourceId());
        if (known == null || checkIn.eventTime() < known) {
            firstCheckIn.put(checkIn.resourceId(), checkIn.eventTime());
        }
        district.update(checkIn.district());
        WalkRoute route = ctx.getBroadcastState(ROUTES).get(checkIn.routeId());
        if (route != null) {
            report(route, checkIn.learnerHash(), out);
        }
    }

    @Override
    public void processBroadcastElement(
            WalkRoute route, Context ctx, Collector<RouteCompletion> out) throws Exception {
        BroadcastState<String, WalkRoute> routes = ctx.getBroadcastState(ROUTES);
        routes.put(route.getRouteId(), route);
        ctx.applyToKeyedState(
                CHECK_INS,
                (key, state) -> {
                    if (key.routeId().equals(route.getRouteId())) {
                        report(route, key.learnerHash(), out);
                    }
                });
    }

    /** Emits the completion when every point has a check-in and the time is new. */
    private void report(WalkRoute route, String learnerHash, Collector<RouteCompletion> out)
            throws Exception {
        long completedAt = Long.MIN_VALUE;
        for (String point : route.getPointIds()) {
            Long at = firstCheckIn.get(point);
            if (at == null) {
                return;
            }
            completedAt = Math.max(completedAt, at);
        }
        Long reported = reportedCompletion.value();
        if (reported != null && reported == completedAt) {
            return;
        }
        reportedCompletion.update(completedAt);
        // An earlier check-in arriving late can only move the completion earlier: the version
        // grows as the time shrinks, so the earliest time wins in ClickHouse.
        out.collect(
                new RouteCompletion(
                        route.getRouteId(),
                        learnerHash,
                        district.value(),
                        completedAt,
                        route.getPointIds().size(),
                        Long.MAX_VALUE - completedAt));
    }

    /** The key: learner and route. */
    public static LearnerRoute keyOf(Activity checkIn) {
        return LearnerRoute.of(checkIn);
    }
}
