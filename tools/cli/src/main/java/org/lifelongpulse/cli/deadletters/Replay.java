package org.lifelongpulse.cli.deadletters;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.lifelongpulse.contracts.Topic;
import org.lifelongpulse.contracts.WireFormat;

/**
 * How a dead letter goes back to its source topic: its original bytes, unchanged, under the key the
 * design prescribes for its contract when the bytes decode as it (so that it lands in the partition
 * its producer would have chosen), without a key otherwise.
 *
 * <p>Exactly once: a replayed letter that now passes is counted like any message, and the jobs drop
 * resends by event id ({@code DropResends}, within its retention): a letter replayed twice, or one
 * whose event the producer has meanwhile resent in a valid form, is counted once.
 */
public final class Replay {

    private Replay() {}

    /**
     * The contract of a stored source topic: the topic whose contract name ends the stored name
     * (the part before it is the deployment's prefix), the longest such name first.
     */
    public static Optional<Topic> contractOf(String sourceTopic) {
        return Arrays.stream(Topic.values())
                .filter(t -> sourceTopic.endsWith(t.topicName()))
                .max(Comparator.comparingInt(t -> t.topicName().length()));
    }

    /** The message key to send the letter under, or null when its bytes do not decode. */
    public static String keyOf(StoredLetter letter) {
        Optional<Topic> topic = contractOf(letter.sourceTopic());
        if (topic.isEmpty() || letter.raw().length == 0) {
            return null;
        }
        try {
            SpecificRecord record = WireFormat.of(topic.get().recordClass()).decode(letter.raw());
            return topic.get().keyOf(record);
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }
}
