package org.lifelongpulse.participation;

import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.lifelongpulse.contracts.Validation;
import org.lifelongpulse.jobs.JobSecrets;

/** The participation job's options, typed and documented; parsed once into {@link Settings}. */
public final class ParticipationOptions {

    public static final ConfigOption<String> GROUP_ID =
            ConfigOptions.key("participation.kafka.group-id")
                    .stringType()
                    .defaultValue("pulse-participation")
                    .withDescription(
                            "Kafka consumer group (offsets are committed on checkpoints;"
                                    + " the checkpoint is the source of truth).");

    public static final ConfigOption<Duration> OUT_OF_ORDERNESS =
            ConfigOptions.key("participation.watermark.out-of-orderness")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription(
                            "How far behind the newest event an event may arrive and"
                                    + " still count as in order.");

    public static final ConfigOption<Duration> LIVE_HORIZON =
            ConfigOptions.key("participation.watermark.live-horizon")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(5))
                    .withDescription(
                            "A partition whose newest event arrived at most this long after its"
                                + " event time is live: while it is quiet its event time moves on"
                                + " with the wall clock, so the last minutes close without new"
                                + " traffic. A replay of older data only moves with its events.");

    public static final ConfigOption<Duration> ALLOWED_LATENESS =
            ConfigOptions.key("participation.allowed-lateness")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(60))
                    .withDescription(
                            "How long after a minute's end its rows may still be corrected"
                                    + " (re-emitted with a higher version). Later events go to"
                                    + " late_events.");

    public static final ConfigOption<Duration> DEDUP_RETENTION =
            ConfigOptions.key("participation.dedup.retention")
                    .durationType()
                    .defaultValue(Duration.ofDays(1))
                    .withDescription(
                            "Event time for which an admitted event id is remembered to"
                                    + " drop resends.");

    public static final ConfigOption<String> CAMPAIGN =
            ConfigOptions.key("participation.campaign")
                    .stringType()
                    .defaultValue("activity-week-2020")
                    .withDescription("Campaign whose running totals are kept.");

    public static final ConfigOption<Duration> CATALOGUE_WAIT =
            ConfigOptions.key("participation.catalogue.wait")
                    .durationType()
                    .defaultValue(Duration.ofHours(24))
                    .withDescription(
                            "How long (wall clock) the rows of a resource that"
                                    + " learning.resources.v1 does not list are kept, to be"
                                    + " re-emitted with its kind when its entry arrives. Later"
                                    + " entries only label new rows; the older ones stay UNKNOWN"
                                    + " (resource_minute) or unwritten (mooc_funnel_minute).");

    private ParticipationOptions() {}

    /** The parsed options, plus the learner-hash key (from the environment only). */
    public record Settings(
            Duration outOfOrderness,
            Duration liveHorizon,
            Duration allowedLateness,
            Duration dedupRetention,
            String campaign,
            Duration catalogueWait,
            String hashSecret)
            implements Serializable {

        @Override
        public String toString() {
            return "Settings[outOfOrderness="
                    + outOfOrderness
                    + ", liveHorizon="
                    + liveHorizon
                    + ", allowedLateness="
                    + allowedLateness
                    + ", dedupRetention="
                    + dedupRetention
                    + ", campaign="
                    + campaign
                    + ", catalogueWait="
                    + catalogueWait
                    + ", hashSecret=(hidden)]";
        }

        public Duration maxFutureSkew() {
            return Validation.DEFAULT_MAX_FUTURE_SKEW;
        }
    }

    public static Settings settings(ReadableConfig config) {
        return new Settings(
                config.get(OUT_OF_ORDERNESS),
                config.get(LIVE_HORIZON),
                config.get(ALLOWED_LATENESS),
                config.get(DEDUP_RETENTION),
                config.get(CAMPAIGN),
                config.get(CATALOGUE_WAIT),
                JobSecrets.idHashSecret(config));
    }
}
