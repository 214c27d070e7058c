/**
 * The scenario generator: simulated worlds and their independently computed ground truth.
 *
 * <p>{@link org.lifelongpulse.generator.Generator#build} turns {@link
 * org.lifelongpulse.generator.WorldParameters} into a {@link org.lifelongpulse.generator.World}: an
 * activity week of learning events and a 70-day training market ending with it, in which the
 * institutions of {@link org.lifelongpulse.generator.Scenario} trigger every risk rule (or come
 * close without crossing), all with duplicates, out-of-order, late-within-lateness (some exactly at
 * its edge), too-late and malformed messages marked as such. {@link
 * org.lifelongpulse.generator.GroundTruth} computes from those marked messages what the jobs must
 * produce; {@link org.lifelongpulse.generator.Delivery} sends a world to a {@link
 * org.lifelongpulse.generator.DirectorySink} or a {@link org.lifelongpulse.generator.KafkaSink}.
 *
 * <p>Manifest keys: {@code parameters}, {@code topics} (per topic: messages, valid_messages,
 * distinct_valid, duplicates, out_of_order, too_late (dropped as late: far behind, and one
 * millisecond past the lateness edge), late_within_lateness, at_lateness_edge, past_lateness_edge,
 * malformed, garbage, invalid), {@code late_events}, {@code participation} (columns and rows per
 * minute x district x activity type x channel x age band), {@code campaign}, {@code
 * route_completions}, {@code mooc_funnel}, {@code ledgers}, {@code alerts} (must_fire: the first
 * detection per rule and institution; episodes: every expected alert id with its first and last
 * detection, highest severity, final status and version count; must_not_fire; ambiguities) and
 * {@code scenarios}.
 */
package org.lifelongpulse.generator;
