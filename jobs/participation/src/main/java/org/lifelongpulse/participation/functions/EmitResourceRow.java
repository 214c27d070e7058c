package org.lifelongpulse.participation.functions;

import org.lifelongpulse.participation.records.ResourceGroup;
import org.lifelongpulse.participation.records.ResourceRow;

/**
 * A minute's tally for resource × district × activity type × provider, as a table row whose kind
 * {@link LabelResourceKind} fills in.
 */
public final class EmitResourceRow
        implements AggregateByMinute.MinuteRow<ResourceGroup, MinuteTally, ResourceRow> {

    private static final long serialVersionUID = 1L;

    @Override
    public ResourceRow of(ResourceGroup key, long minute, MinuteTally t) {
        return ResourceRow.unlabelled(minute, key, t.visits, t.uniqueLearners(), t.learningSeconds);
    }
}
