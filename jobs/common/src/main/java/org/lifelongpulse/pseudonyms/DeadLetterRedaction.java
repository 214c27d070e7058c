package org.lifelongpulse.pseudonyms;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.apache.avro.AvroRuntimeException;
import org.lifelongpulse.avro.DeadLetter;
import org.lifelongpulse.avro.LearningActivity;
import org.lifelongpulse.avro.PrepaidTransaction;
import org.lifelongpulse.contracts.Topic;
import org.lifelongpulse.contracts.WireFormat;

/**
 * Makes a dead letter fit for the readable table and the dead-letter topic: a letter whose record
 * decoded (stage {@code validate}) keeps the record, re-encoded with its learner, payer and card
 * ids replaced by their keyed hashes, the same hashes the jobs' tables hold, so a supervisor can
 * join; a letter whose bytes cannot be parsed (stage {@code decode}, or a record of a topic that is
 * not a contract) keeps no payload at all. The bytes as received go to the restricted store only,
 * for replay. Not thread-safe: one instance per subtask.
 */
public final class DeadLetterRedaction {

    /** {@code redaction}: raw is the record with every person id replaced by its keyed hash. */
    public static final String IDS_HASHED = "IDS_HASHED";

    /** {@code redaction}: raw is empty; the payload could not be parsed to redact. */
    public static final String WITHHELD = "WITHHELD";

    private final LearnerPseudonym pseudonym;
    private final String topicPrefix;
    private WireFormat<LearningActivity> activities;
    private WireFormat<PrepaidTransaction> transactions;

    /**
     * @param hashSecret the jobs' key of the id hashes ({@code pseudonyms.hash-secret})
     * @param topicPrefix {@code kafka.topic-prefix}, to tell a letter's contract by its topic
     */
    public DeadLetterRedaction(String hashSecret, String topicPrefix) {
        this.pseudonym = new LearnerPseudonym(hashSecret);
        this.topicPrefix = topicPrefix;
    }

    /** The letter as anyone who may read dead letters may see it; the original is not changed. */
    public DeadLetter readable(DeadLetter letter) {
        byte[] raw = bytes(letter.getRaw());
        Optional<byte[]> redacted =
                "validate".equals(letter.getStage())
                        ? redacted(letter.getSourceTopic(), raw)
                        : Optional.empty();
        return DeadLetter.newBuilder(letter)
                .setRaw(ByteBuffer.wrap(redacted.orElse(new byte[0])))
                .setRedaction(redacted.isPresent() ? IDS_HASHED : WITHHELD)
                .build();
    }

    /** The record with its person ids hashed, or empty when the bytes do not parse as it. */
    private Optional<byte[]> redacted(String sourceTopic, byte[] raw) {
        Optional<Topic> topic = contractOf(sourceTopic);
        if (topic.isEmpty()) {
            return Optional.empty();
        }
        try {
            if (topic.get().recordClass() == LearningActivity.class) {
                LearningActivity a = activities().decode(raw);
                a.setLearnerId(hashed(a.getLearnerId()));
                return Optional.of(activities().encode(a));
            }
            if (topic.get().recordClass() == PrepaidTransaction.class) {
                PrepaidTransaction t = transactions().decode(raw);
                t.setPayerId(hashed(t.getPayerId()));
                t.setCardId(hashed(t.getCardId()));
                return Optional.of(transactions().encode(t));
            }
            // Reference data, rule settings and supervisors' actions carry no learner, payer or
            // card id: checked to parse, kept as they are.
            WireFormat.of(topic.get().recordClass()).decode(raw);
            return Optional.of(raw);
        } catch (IOException | AvroRuntimeException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private Optional<Topic> contractOf(String sourceTopic) {
        if (!sourceTopic.startsWith(topicPrefix)) {
            return Optional.empty();
        }
        return Topic.byName(sourceTopic.substring(topicPrefix.length()));
    }

    /** An absent or empty id stays so (the letter's reason names it); any other is hashed. */
    private String hashed(String id) {
        return id == null || id.isEmpty() ? id : pseudonym.hash(id);
    }

    private WireFormat<LearningActivity> activities() {
        if (activities == null) {
            activities = WireFormat.of(LearningActivity.class);
        }
        return activities;
    }

    private WireFormat<PrepaidTransaction> transactions() {
        if (transactions == null) {
            transactions = WireFormat.of(PrepaidTransaction.class);
        }
        return transactions;
    }

    private static byte[] bytes(ByteBuffer raw) {
        ByteBuffer copy = raw.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }
}
