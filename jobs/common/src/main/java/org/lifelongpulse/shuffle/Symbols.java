package org.lifelongpulse.shuffle;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Strings from a small fixed set (an Avro enum's symbols, a few constants) written as one byte, and
 * read back as the set's own instances: a record read after a shuffle then carries the same string
 * objects as the one written, so the keys built from it hash from cached hash codes and compare by
 * identity. A string outside the set, and null, are still written exactly.
 */
public final class Symbols implements Serializable {

    private static final long serialVersionUID = 1L;

    private static final int NULL = 255;
    private static final int OTHER = 254;

    private final String[] byCode;

    /**
     * Built in the constructor, so safely shared by every task thread of a TaskManager (the formats
     * hold their tables in static fields); a deserialized instance is replaced ({@link
     * #readResolve}).
     */
    private final transient Map<String, Integer> codes;

    private Symbols(List<String> symbols) {
        if (symbols.size() > OTHER) {
            throw new IllegalArgumentException("at most " + OTHER + " symbols");
        }
        this.byCode = symbols.stream().map(String::intern).toArray(String[]::new);
        Map<String, Integer> c = new HashMap<>();
        for (int i = 0; i < byCode.length; i++) {
            c.putIfAbsent(byCode[i], i);
        }
        this.codes = c;
    }

    /** The given strings, in order (the order is the code). */
    public static Symbols of(List<String> symbols) {
        return new Symbols(symbols);
    }

    /** The names of an enum's constants, then {@code extra}. */
    public static Symbols ofEnum(Class<? extends Enum<?>> type, String... extra) {
        List<String> symbols = new ArrayList<>();
        for (Enum<?> e : type.getEnumConstants()) {
            symbols.add(e.name());
        }
        symbols.addAll(List.of(extra));
        return new Symbols(symbols);
    }

    public void write(String s, DataOutputView out) throws IOException {
        if (s == null) {
            out.writeByte(NULL);
            return;
        }
        Integer code = codes.get(s);
        if (code != null) {
            out.writeByte(code);
        } else {
            out.writeByte(OTHER);
            StringValue.writeString(s, out);
        }
    }

    public String read(DataInputView in) throws IOException {
        int code = in.readUnsignedByte();
        if (code == NULL) {
            return null;
        }
        if (code == OTHER) {
            return StringValue.readString(in);
        }
        if (code >= byCode.length) {
            throw new IOException("symbol code " + code + " of " + byCode.length + " symbols");
        }
        return byCode[code];
    }

    /** After Java deserialization (with the job's graph): the pooled instances again. */
    private Object readResolve() {
        return new Symbols(List.of(byCode));
    }
}
