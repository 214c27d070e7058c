package org.lifelongpulse.participation.functions;

import java.time.Duration;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.typeinfo.Types;
import org.lifelongpulse.avro.LearningResource;

/**
 * The resource catalogue as the participation job holds it: the broadcast state of resource id →
 * kind that {@link LabelResourceKind} and {@link KeepMoocFunnel} share, and the bound on what they
 * keep for resources the catalogue does not list yet.
 */
public final class ResourceKinds {

    /** The catalogue's kind of each resource it lists, by resource id: the broadcast state. */
    public static final MapStateDescriptor<String, String> KINDS =
            new MapStateDescriptor<>("resource-kinds", Types.STRING, Types.STRING);

    /** The kind of MOOCs, the only resources the funnel counts. */
    public static final String MOOC = "MOOC";

    private ResourceKinds() {}

    /** Records the entry's kind; a later entry of the same resource replaces it. */
    static String kindOf(LearningResource entry) {
        return entry.getKind().name();
    }

    /**
     * Rows of an unlisted resource are kept this long (wall clock, from their last update) to be
     * re-emitted when the entry arrives; after that they stay as written. Processing time, so that
     * the bound holds whatever event time does.
     */
    static StateTtlConfig waitingFor(Duration catalogueWait) {
        return StateTtlConfig.newBuilder(catalogueWait)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .build();
    }
}
