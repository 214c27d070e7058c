package org.lifelongpulse.shuffle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Strings in records that only cross shuffles. A string of Latin-1 characters (every id, pseudonym,
 * code and topic name the contracts carry) goes as its length and one byte per character, copied in
 * bulk each way; Flink's {@link StringValue}, which the formats used before, codes each character
 * as a variable-length number, a call per byte. Any other string goes as {@code StringValue} writes
 * it, and null as a tag: every string comes back exactly.
 *
 * <p>Only for records in flight between tasks (never state, never a savepoint: in-flight records
 * are not kept across a restore with the aligned checkpoints the jobs run).
 */
public final class ShuffleStrings {

    private static final int NULL = 0;
    private static final int LATIN_1 = 1;
    private static final int OTHER = 2;

    /** Strings longer than this are read in bulk, shorter ones byte by byte. */
    static final int BULK_READ = 64;

    private ShuffleStrings() {}

    public static void write(String s, DataOutputView out) throws IOException {
        if (s == null) {
            out.writeByte(NULL);
            return;
        }
        int length = s.length();
        for (int i = 0; i < length; i++) {
            if (s.charAt(i) > 0xFF) {
                out.writeByte(OTHER);
                StringValue.writeString(s, out);
                return;
            }
        }
        out.writeByte(LATIN_1);
        for (int n = length; ; n >>>= 7) {
            if (n < 0x80) {
                out.writeByte(n);
                break;
            }
            out.writeByte((n & 0x7F) | 0x80);
        }
        out.write(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    public static String read(DataInputView in) throws IOException {
        int tag = in.readUnsignedByte();
        switch (tag) {
            case NULL:
                return null;
            case LATIN_1:
                int length = 0;
                for (int shift = 0; ; shift += 7) {
                    int b = in.readUnsignedByte();
                    length |= (b & 0x7F) << shift;
                    if (b < 0x80) {
                        break;
                    }
                }
                byte[] bytes = new byte[length];
                if (length > BULK_READ) {
                    in.readFully(bytes);
                } else {
                    // a short string byte by byte: Flink's network buffers copy a bulk read with
                    // Unsafe.copyMemory, whose argument checks cost more than the copy here
                    // (4 % of the participation job's samples, almost all strings of ids)
                    for (int i = 0; i < length; i++) {
                        bytes[i] = in.readByte();
                    }
                }
                return new String(bytes, StandardCharsets.ISO_8859_1);
            case OTHER:
                return StringValue.readString(in);
            default:
                throw new IOException("not a shuffled string: tag " + tag);
        }
    }
}
