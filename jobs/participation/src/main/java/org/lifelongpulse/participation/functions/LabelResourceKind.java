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
import org.lifelongpulse.participation.records.ResourceRow;

/**
 * Gives each {@code resource_minute} row its resource's kind from the broadcast catalogue. Keyed by
 * resource id. A row of a resource the catalogue does not list is written with kind {@code UNKNOWN}
 * (counted, never held back) and kept; when the resource's entry arrives, every kept row of it is
 * emitted again with the kind and a version one higher ({@link ResourceRow#withKind}), so that it
 * replaces the UNKNOWN row under FINAL. A window firing again later (more visits) has a higher
 * version still.
 *
 * <p>State: per resource not yet listed, its latest row per minute × district × activity type ×
 * provider, each for at most {@code catalogueWait} of wall clock after its last update (state TTL),
 * and dropped as soon as the entry arrives. Listed resources keep nothing per key.
 */
public final class LabelResourceKind
        extends KeyedBroadcastProcessFunction<String, ResourceRow, LearningResource, ResourceRow> {

    private static final long serialVersionUID = 1L;

    private final Duration catalogueWait;
    private transient MapState<String, ResourceRow> unlabelled;

    public LabelResourceKind(Duration catalogueWait) {
        this.catalogueWait = catalogueWait;
    }

    /** Rows written as UNKNOWN, by their key within the resource. */
    public static MapStateDescriptor<String, ResourceRow> unlabelledRows(Duration catalogueWait) {
        MapStateDescriptor<String, ResourceRow> rows =
                new MapStateDescriptor<>(
                        "rows-of-unlisted-resource",
                        Types.STRING,
                        TypeInformation.of(ResourceRow.class));
        rows.enableTimeToLive(ResourceKinds.waitingFor(catalogueWait));
        return rows;
    }

    @Override
    public void open(OpenContext openContext) {
        unlabelled = getRuntimeContext().getMapState(unlabelledRows(catalogueWait));
    }

    @Override
    public void processElement(ResourceRow row, ReadOnlyContext ctx, Collector<ResourceRow> out)
            throws Exception {
        String kind = ctx.getBroadcastState(ResourceKinds.KINDS).get(row.resourceId());
        if (kind != null) {
            out.collect(row.withKind(kind));
            return;
        }
        unlabelled.put(row.keyWithinResource(), row);
        out.collect(row);
    }

    @Override
    public void processBroadcastElement(
            LearningResource entry, Context ctx, Collector<ResourceRow> out) throws Exception {
        String resourceId = entry.getResourceId();
        String kind = ResourceKinds.kindOf(entry);
        ctx.getBroadcastState(ResourceKinds.KINDS).put(resourceId, kind);
        ctx.applyToKeyedState(
                unlabelledRows(catalogueWait),
                (key, rows) -> {
                    if (key.equals(resourceId)) {
                        for (ResourceRow row : rows.values()) {
                            out.collect(row.withKind(kind));
                        }
                        rows.clear();
                    }
                });
    }

    /** The key: the row's resource. */
    public static String keyOf(ResourceRow row) {
        return row.resourceId();
    }
}
