package org.lifelongpulse.participation.functions;

import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.lifelongpulse.avro.LearningResource;
import org.lifelongpulse.participation.records.FunnelRow;

/**
 * Passes on the funnel rows of MOOCs only, by the broadcast catalogue's kind: ordinary courses
 * share the enrolment step ({@code COURSE_ENROLL}) but are no MOOC. Keyed by resource id. Rows of a
 * resource the catalogue does not list yet wait (nothing is written for it) and are emitted when
 * its entry says MOOC, dropped when it says anything else.
 *
 * <p>State: per resource not yet listed, its rows by minute, each for at most {@code catalogueWait}
 * of wall clock (state TTL), and dropped as soon as the entry arrives.
 */
public final class KeepMoocFunnel
        extends KeyedBroadcastProcessFunction<String, FunnelRow, LearningResource, FunnelRow> {

    private static final long serialVersionUID = 1L;

    private final Duration catalogueWait;
    private transient MapState<Long, FunnelRow> waiting;

    public KeepMoocFunnel(Duration catalogueWait) {
        this.catalogueWait = catalogueWait;
    }

    /** Funnel rows of resources not listed yet, by minute. */
    public static MapStateDescriptor<Long, FunnelRow> waitingRows(Duration catalogueWait) {
        MapStateDescriptor<Long, FunnelRow> rows =
                new MapStateDescriptor<>(
                        "funnel-rows-of-unlisted-resource",
                        Types.LONG,
                        TypeInformation.of(FunnelRow.class));
        rows.enableTimeToLive(ResourceKinds.waitingFor(catalogueWait));
        return rows;
    }

    @Override
    public void open(OpenContext openContext) {
        waiting = getRuntimeContext().getMapState(waitingRows(catalogueWait));
    }

    @Override
    public void processElement(FunnelRow row, ReadOnlyContext ctx, Collector<FunnelRow> out)
            throws Exception {
        String kind = ctx.getBroadcastState(ResourceKinds.KINDS).get(row.resourceId());
        if (kind == null) {
            waiting.put(row.minute(), row);
        } else if (ResourceKinds.MOOC.equals(kind)) {
            out.collect(row);
        }
    }

    @Override
    public void processBroadcastElement(
            LearningResource entry, Context ctx, Collector<FunnelRow> out) throws Exception {
        String resourceId = entry.getResourceId();
        String kind = ResourceKinds.kindOf(entry);
        ctx.getBroadcastState(ResourceKinds.KINDS).put(resourceId, kind);
        ctx.applyToKeyedState(
                waitingRows(catalogueWait),
                (key, rows) -> {
                    if (key.equals(resourceId)) {
                        if (ResourceKinds.MOOC.equals(kind)) {
                            for (FunnelRow row : rows.values()) {
                                out.collect(row);
                            }
                        }
                        rows.clear();
                    }
                });
    }

    /** The key: the row's resource. */
    public static String keyOf(FunnelRow row) {
        return row.resourceId();
    }
}
