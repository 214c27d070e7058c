package org.lifelongpulse.pseudonyms;

/**
 * A learner pseudonym as {@code LearnerPseudonym} writes it (32 lowercase hex digits, 128 bits) as
 * its two 64-bit halves, and back: one string per value, so the halves carry exactly what the
 * string does, in 16 bytes instead of a 32-character string to serialize at every shuffle and state
 * access. Any other id stays a string.
 */
public final class PseudonymHalves {

    private PseudonymHalves() {}

    /** Builds something from a learner id taken apart (see {@link #split}). */
    @FunctionalInterface
    public interface Parts<T> {
        /**
         * @param other the id when it is not a pseudonym (the halves are then 0), else null
         */
        T of(long high, long low, String other);
    }

    /** {@code id} as its halves when it is a pseudonym, else as itself. */
    public static <T> T split(String id, Parts<T> parts) {
        return isPseudonym(id) ? parts.of(high(id), low(id), null) : parts.of(0, 0, id);
    }

    /** 32 characters, each {@code 0-9} or {@code a-f}. */
    public static boolean isPseudonym(String id) {
        if (id == null || id.length() != 32) {
            return false;
        }
        for (int i = 0; i < 32; i++) {
            char c = id.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    /** The high half of a {@linkplain #isPseudonym pseudonym}. */
    public static long high(String pseudonym) {
        return half(pseudonym, 0);
    }

    /** The low half of a {@linkplain #isPseudonym pseudonym}. */
    public static long low(String pseudonym) {
        return half(pseudonym, 16);
    }

    private static long half(String id, int from) {
        long v = 0;
        for (int i = from; i < from + 16; i++) {
            char c = id.charAt(i);
            v = (v << 4) | (c <= '9' ? c - '0' : c - 'a' + 10);
        }
        return v;
    }

    /** The pseudonym whose halves are {@code high} and {@code low}. */
    public static String of(long high, long low) {
        char[] out = new char[32];
        for (int i = 15; i >= 0; i--) {
            out[i] = Character.forDigit((int) (high & 0xF), 16);
            high >>>= 4;
            out[16 + i] = Character.forDigit((int) (low & 0xF), 16);
            low >>>= 4;
        }
        return new String(out);
    }
}
