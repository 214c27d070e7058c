package org.lifelongpulse.adapters;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.lifelongpulse.adapters.clickhouse.sink.CommonTables;
import org.lifelongpulse.adapters.kafka.DeadLetterTopicSink;
import org.lifelongpulse.avro.DeadLetter;
import org.lifelongpulse.pseudonyms.DeadLetterRedaction;

/**
 * Where a job's dead letters are stored, and in which form: every letter as received in {@link
 * #RESTRICTED_TABLE} (the original bytes, for replay: the reader has no access, the writer only
 * inserts, except on 18.16 where allow_databases cannot grant INSERT alone), and redacted ({@link
 * DeadLetterRedaction}) in the readable dead-letter table and on the dead-letter topic, so that no
 * learner, payer or card id is readable outside the restricted database.
 */
public final class DeadLetterStores {

    /** The restricted store of the letters' original bytes ({@code V008}). */
    public static final String RESTRICTED_TABLE = "pulse_restricted.dead_letters";

    private DeadLetterStores() {}

    /**
     * @param readableTable {@code clickhouse.sink.dead-letter-table}
     * @param topicPrefix {@code kafka.topic-prefix}: the dead-letter topic is named under it, and
     *     letters' contracts are told by their topic under it
     * @param hashSecret the key of the id hashes, as the job's tables use it
     * @param job the job writing, for the {@code job} column
     */
    public static void write(
            Destinations destinations,
            DataStream<DeadLetter> letters,
            String readableTable,
            String topicPrefix,
            String hashSecret,
            String job) {
        destinations.table(
                letters,
                CommonTables.deadLetters(RESTRICTED_TABLE, job),
                "restricted-dead-letters");
        DataStream<DeadLetter> readable =
                letters.map(new Redact(hashSecret, topicPrefix))
                        .returns(DeadLetter.class)
                        .uid("redact-dead-letters")
                        .name("dead letters, ids hashed");
        destinations.table(readable, CommonTables.deadLetters(readableTable, job), "dead-letters");
        destinations.topic(
                readable,
                DeadLetterTopicSink.topic(topicPrefix),
                bootstrap -> DeadLetterTopicSink.create(bootstrap, topicPrefix),
                "dead-letter-topic");
    }

    /** {@link DeadLetterRedaction} on a subtask. */
    static final class Redact extends RichMapFunction<DeadLetter, DeadLetter> {
        private static final long serialVersionUID = 1L;

        private final String hashSecret;
        private final String topicPrefix;
        private transient DeadLetterRedaction redaction;

        Redact(String hashSecret, String topicPrefix) {
            this.hashSecret = hashSecret;
            this.topicPrefix = topicPrefix;
        }

        @Override
        public void open(OpenContext openContext) {
            redaction = new DeadLetterRedaction(hashSecret, topicPrefix);
        }

        @Override
        public DeadLetter map(DeadLetter letter) {
            return redaction.readable(letter);
        }
    }
}
