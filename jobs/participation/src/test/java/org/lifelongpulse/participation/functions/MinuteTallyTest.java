package org.lifelongpulse.participation.functions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;
import org.lifelongpulse.pseudonyms.LearnerPseudonym;

/** The distinct learners of a tally against a set of the same strings. */
class MinuteTallyTest {

    @Test
    void countsEachLearnerOnceWhateverItsIdLooksLike() {
        LearnerPseudonym pseudonym = new LearnerPseudonym("test-key");
        Random random = new Random(7);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            ids.add(pseudonym.hash("learner-" + i));
        }
        // Not pseudonyms: other lengths, upper case, other characters.
        ids.add("L1");
        ids.add(ids.get(0).toUpperCase());
        ids.add(ids.get(1).substring(1) + "g");
        ids.add(ids.get(2) + "0");
        ids.add("");
        for (int round = 0; round < 50; round++) {
            MinuteTally tally = new MinuteTally();
            Set<String> truth = new HashSet<>();
            int n = random.nextInt(400);
            for (int i = 0; i < n; i++) {
                String id = ids.get(random.nextInt(ids.size()));
                tally.addLearner(id);
                truth.add(id);
            }
            assertThat(tally.uniqueLearners()).as("round %d", round).isEqualTo(truth.size());
        }
    }

    @Test
    void aPseudonymIsKeptAsItsTwoHalves() {
        MinuteTally tally = new MinuteTally();
        tally.addLearner("0123456789abcdef" + "fedcba9876543210");
        tally.addLearner("ffffffffffffffff" + "0000000000000001");
        tally.addLearner("0123456789abcdef" + "fedcba9876543210");
        assertThat(tally.learners).isEmpty();
        assertThat(tally.pseudonyms)
                .containsExactly(0x0123456789abcdefL, 0xfedcba9876543210L, 0xffffffffffffffffL, 1L);
        assertThat(org.lifelongpulse.pseudonyms.PseudonymHalves.of(0xffffffffffffffffL, 1L))
                .isEqualTo("ffffffffffffffff0000000000000001");
    }

    /** A tally restored from a savepoint kept every learner as a string. */
    @Test
    void aLearnerRestoredAsAStringIsNotCountedAgain() {
        String a = "00000000000000000000000000000abc";
        String b = "00000000000000000000000000000def";
        MinuteTally restored = new MinuteTally();
        restored.learners.add(a);
        restored.learners.add("L7");
        restored.addLearner(a);
        restored.addLearner(b);
        restored.addLearner("L7");
        assertThat(restored.uniqueLearners()).isEqualTo(3);

        MinuteTally other = new MinuteTally();
        other.addLearner(a);
        other.addLearner(b);
        other.addLearner("00000000000000000000000000000fff");
        restored.addLearners(other);
        assertThat(restored.uniqueLearners()).isEqualTo(4);
    }

    @Test
    void mergingCountsTheUnion() {
        LearnerPseudonym pseudonym = new LearnerPseudonym("k");
        MinuteTally left = new MinuteTally();
        MinuteTally right = new MinuteTally();
        Set<String> truth = new HashSet<>();
        for (int i = 0; i < 60; i++) {
            String id = i % 7 == 0 ? "other-" + i : pseudonym.hash("l" + i);
            (i % 2 == 0 ? left : right).addLearner(id);
            if (i % 3 == 0) {
                left.addLearner(id);
            }
            truth.add(id);
        }
        left.addLearners(right);
        assertThat(left.uniqueLearners()).isEqualTo(truth.size());
    }

    @Test
    void survivesTheStateSerializer() throws Exception {
        TypeSerializer<MinuteTally> serializer =
                TypeInformation.of(MinuteTally.class).createSerializer(new SerializerConfigImpl());
        MinuteTally tally = new MinuteTally();
        tally.visits = 3;
        tally.addLearner("L1");
        tally.addLearner(new LearnerPseudonym("k").hash("x"));
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(tally, out);
        MinuteTally back = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(back.visits).isEqualTo(3);
        assertThat(back.learners).containsExactly("L1");
        assertThat(back.pseudonyms).containsExactly(tally.pseudonyms);
        assertThat(back.uniqueLearners()).isEqualTo(2);
    }
}
