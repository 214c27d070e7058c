package org.lifelongpulse.adapters.clickhouse.sink;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * ClickHouse's RowBinary primitives written into one reused buffer that drains into the request
 * body whenever it fills: a batch of any size costs no allocation per row or per value (strings are
 * encoded to UTF-8 in place, after their length has been counted).
 */
final class RowBinaryOutput {

    static final int CAPACITY = 1 << 16;

    private static final VarHandle SHORT =
            MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final byte[] buffer = new byte[CAPACITY];
    private int position;
    private OutputStream out;

    /** Starts writing a request body into {@code body}. */
    void start(OutputStream body) {
        this.out = body;
        this.position = 0;
    }

    /** Writes what is buffered into the body; the body stays open (the HTTP client owns it). */
    void finish() throws IOException {
        drain();
        out.flush();
        out = null;
    }

    void writeByte(int value) throws IOException {
        room(1);
        buffer[position++] = (byte) value;
    }

    void writeShort(int value) throws IOException {
        room(2);
        SHORT.set(buffer, position, (short) value);
        position += 2;
    }

    void writeInt(int value) throws IOException {
        room(4);
        INT.set(buffer, position, value);
        position += 4;
    }

    void writeLong(long value) throws IOException {
        room(8);
        LONG.set(buffer, position, value);
        position += 8;
    }

    /** ClickHouse's unsigned LEB128, the length prefix of strings and arrays. */
    void writeVarUInt(long value) throws IOException {
        room(10);
        long v = value;
        while ((v & ~0x7FL) != 0) {
            buffer[position++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buffer[position++] = (byte) v;
    }

    void writeBytes(byte[] bytes, int offset, int length) throws IOException {
        if (length > CAPACITY - position) {
            drain();
            if (length > CAPACITY) {
                out.write(bytes, offset, length);
                return;
            }
        }
        System.arraycopy(bytes, offset, buffer, position, length);
        position += length;
    }

    /** A String value: its UTF-8 length as a VarUInt, then its UTF-8 bytes. */
    void writeString(String s) throws IOException {
        int length = utf8Length(s);
        writeVarUInt(length);
        writeUtf8(s, length);
    }

    /** {@code s} as UTF-8 padded with zero bytes to {@code width} (FixedString); fits, checked. */
    void writeFixedString(String s, int width) throws IOException {
        int length = utf8Length(s);
        writeUtf8(s, length);
        for (int i = length; i < width; i++) {
            writeByte(0);
        }
    }

    private void writeUtf8(String s, int length) throws IOException {
        int n = s.length();
        if (length == n && length <= CAPACITY - position) {
            // one byte per char: ASCII, the common case, or a lone surrogate written as '?'
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                buffer[position + i] = c < 0x80 ? (byte) c : (byte) '?';
            }
            position += n;
            return;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            room(4);
            if (c < 0x80) {
                buffer[position++] = (byte) c;
            } else if (c < 0x800) {
                buffer[position++] = (byte) (0xC0 | (c >> 6));
                buffer[position++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < n
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                buffer[position++] = (byte) (0xF0 | (cp >> 18));
                buffer[position++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                buffer[position++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                buffer[position++] = (byte) (0x80 | (cp & 0x3F));
            } else if (Character.isSurrogate(c)) {
                buffer[position++] = '?'; // a lone surrogate, as String.getBytes(UTF_8) writes it
            } else {
                buffer[position++] = (byte) (0xE0 | (c >> 12));
                buffer[position++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                buffer[position++] = (byte) (0x80 | (c & 0x3F));
            }
        }
    }

    /** The number of bytes {@code String.getBytes(UTF_8)} would give, without making them. */
    static int utf8Length(String s) {
        int n = s.length();
        int length = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                continue;
            }
            if (c < 0x800) {
                length += 1;
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < n
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                length += 2; // 4 bytes for 2 chars
                i++;
            } else if (!Character.isSurrogate(c)) {
                length += 2;
            }
        }
        return length;
    }

    private void room(int bytes) throws IOException {
        if (position + bytes > CAPACITY) {
            drain();
        }
    }

    private void drain() throws IOException {
        if (position > 0) {
            out.write(buffer, 0, position);
            position = 0;
        }
    }
}
