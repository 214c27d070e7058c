package org.lifelongpulse.shuffle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.types.StringValue;
import org.junit.jupiter.api.Test;

class ShuffleStringsTest {

    /**
     * Strings written one after another come back equal, in order: null, empty, ASCII, the top of
     * Latin-1, characters beyond it (CJK, a surrogate pair, a lone surrogate), lengths on each side
     * of the length's one-, two- and three-byte forms and of the bulk read, and random strings of
     * each kind.
     */
    @Test
    void everyStringComesBackExactly() throws IOException {
        List<String> strings = new ArrayList<>();
        strings.add(null);
        strings.add("");
        strings.add("e-0001");
        strings.add("caf\u00e9 \u00ff\u0080\u0000");
        strings.add("\u4e2d\u6587");
        strings.add("x\ud83d\ude00y");
        strings.add("\udc00");
        strings.add("\u0100");
        for (int length : new int[] {63, 64, 65, 127, 128, 16_383, 16_384, 2_097_152}) {
            strings.add("a".repeat(length));
            strings.add("\u00e9".repeat(length - 1) + "\u4e2d");
        }
        Random random = new Random(5);
        for (int i = 0; i < 2_000; i++) {
            int bound = i % 3 == 0 ? 0x80 : i % 3 == 1 ? 0x100 : 0x10000;
            char[] chars = new char[random.nextInt(60)];
            for (int c = 0; c < chars.length; c++) {
                chars[c] = (char) random.nextInt(bound);
            }
            strings.add(new String(chars));
            if (i % 100 == 0) {
                strings.add(null);
            }
        }
        DataOutputSerializer out = new DataOutputSerializer(64);
        for (String s : strings) {
            ShuffleStrings.write(s, out);
        }
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        List<String> back = new ArrayList<>();
        for (int i = 0; i < strings.size(); i++) {
            back.add(ShuffleStrings.read(in));
        }
        assertThat(back).isEqualTo(strings);
        assertThat(in.available()).isZero();
    }

    /** A Latin-1 string costs its length and two bytes, where StringValue needs more for é. */
    @Test
    void aLatin1StringIsItsBytesAndATwoByteHeader() throws IOException {
        DataOutputSerializer ours = new DataOutputSerializer(64);
        ShuffleStrings.write("0123456789abcdef0123456789abcdef", ours);
        assertThat(ours.length()).isEqualTo(34);
        DataOutputSerializer theirs = new DataOutputSerializer(64);
        StringValue.writeString("\u00e9".repeat(10), theirs);
        ours.clear();
        ShuffleStrings.write("\u00e9".repeat(10), ours);
        assertThat(ours.length()).isEqualTo(12).isLessThan(theirs.length());
    }

    @Test
    void anUnknownTagIsAnError() {
        DataInputDeserializer in = new DataInputDeserializer(new byte[] {7});
        assertThatThrownBy(() -> ShuffleStrings.read(in))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("tag 7");
    }
}
