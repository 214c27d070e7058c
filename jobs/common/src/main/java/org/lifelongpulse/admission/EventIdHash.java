package org.lifelongpulse.admission;

/**
 * A 64-bit hash of an event id, computed once where the message is decoded and carried in the
 * event, so that shuffles to the resend check pick a bucket without re-hashing the id string.
 * Spelled out (FNV-1a over the id's chars, then MurmurHash3's 64-bit finalizer) so that it is the
 * same in every JVM and release: buckets, and so the state they key, depend on it. Nothing depends
 * on it being unique: {@link DropResends} compares full ids within a bucket.
 */
public final class EventIdHash {

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private EventIdHash() {}

    /** The hash of {@code eventId}. */
    public static long of(String eventId) {
        long h = FNV_OFFSET;
        for (int i = 0; i < eventId.length(); i++) {
            h ^= eventId.charAt(i);
            h *= FNV_PRIME;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
