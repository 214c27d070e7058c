package org.lifelongpulse.shuffle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

class SymbolsTest {

    private enum Colour {
        RED,
        GREEN
    }

    @Test
    void aSymbolTakesOneByteAndAnythingElseComesBackExactly() throws Exception {
        Symbols symbols = Symbols.ofEnum(Colour.class, "ALL");
        DataOutputSerializer out = new DataOutputSerializer(16);
        symbols.write(new String("GREEN"), out);
        assertThat(out.length()).isEqualTo(1);
        symbols.write("ALL", out);
        symbols.write(null, out);
        symbols.write("BLUE", out);
        symbols.write("", out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        assertThat(symbols.read(in)).isSameAs(Colour.GREEN.name());
        assertThat(symbols.read(in)).isSameAs("ALL");
        assertThat(symbols.read(in)).isNull();
        assertThat(symbols.read(in)).isEqualTo("BLUE");
        assertThat(symbols.read(in)).isEqualTo("");
        assertThat(in.available()).isZero();
    }

    @Test
    void afterJavaSerializationSymbolsAreStillThePooledInstances() throws Exception {
        Symbols copy = InstantiationUtil.clone(Symbols.ofEnum(Colour.class));
        DataOutputSerializer out = new DataOutputSerializer(4);
        copy.write("RED", out);
        assertThat(out.length()).isEqualTo(1);
        assertThat(copy.read(new DataInputDeserializer(out.getCopyOfBuffer())))
                .isSameAs(Colour.RED.name());
    }

    @Test
    void aCodeBeyondTheTableIsAnErrorNotAnotherSymbol() {
        Symbols symbols = Symbols.of(List.of("A"));
        assertThatThrownBy(() -> symbols.read(new DataInputDeserializer(new byte[] {7})))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("symbol code 7 of 1");
    }

    @Test
    void atMost254Symbols() {
        List<String> many = new ArrayList<>();
        IntStream.range(0, 255).forEach(i -> many.add("s" + i));
        assertThatThrownBy(() -> Symbols.of(many)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Symbols.of(many.subList(0, 254))).isNotNull();
    }
}
