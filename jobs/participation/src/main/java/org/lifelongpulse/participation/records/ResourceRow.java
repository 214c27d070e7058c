package org.lifelongpulse.participation.records;

/**
 * One minute of one resource in one district ({@code resource_minute}); provider is "" when absent.
 * {@code kind} is the catalogue's kind of the resource, {@code UNKNOWN} while the catalogue does
 * not list it. The version grows with every emission of the key: twice the visits, plus one once
 * the kind is known, so a later window firing (more visits) and the re-emission with the kind (same
 * visits) both replace what was written before.
 */
public record ResourceRow(
        long minute,
        String resourceId,
        String district,
        String activityType,
        String providerId,
        String kind,
        long visits,
        long uniqueLearners,
        long learningSeconds,
        long version) {

    /** The kind of a resource the catalogue does not list. */
    public static final String UNKNOWN_KIND = "UNKNOWN";

    /** A row of a window firing, before its resource's kind is looked up. */
    public static ResourceRow unlabelled(
            long minute,
            ResourceGroup group,
            long visits,
            long uniqueLearners,
            long learningSeconds) {
        return new ResourceRow(
                minute,
                group.resourceId(),
                group.district(),
                group.activityType(),
                group.providerId(),
                UNKNOWN_KIND,
                visits,
                uniqueLearners,
                learningSeconds,
                2 * visits);
    }

    /** This row with the catalogue's kind, at the version that replaces the unlabelled row. */
    public ResourceRow withKind(String catalogueKind) {
        return new ResourceRow(
                minute,
                resourceId,
                district,
                activityType,
                providerId,
                catalogueKind,
                visits,
                uniqueLearners,
                learningSeconds,
                2 * visits + 1);
    }

    /** The key within one resource: minute, district, activity type and provider. */
    public String keyWithinResource() {
        return minute + "|" + district + "|" + activityType + "|" + providerId;
    }
}
