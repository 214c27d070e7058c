package org.lifelongpulse.state;

/**
 * The value {@link java.util.Objects#hash} gives for two or four parts, without the array it
 * allocates for its arguments and the loop over it: keys' {@code hashCode}s run for every record at
 * each {@code keyBy} (the key group) and state access. The value must stay exactly that of {@code
 * Objects.hash}: it decides each key's key group, and so where a savepoint's state of that key is.
 */
public final class KeyHash {

    private KeyHash() {}

    public static int of(Object a, Object b) {
        return 31 * (31 + hash(a)) + hash(b);
    }

    public static int of(Object a, Object b, Object c, Object d) {
        return 31 * (31 * (31 * (31 + hash(a)) + hash(b)) + hash(c)) + hash(d);
    }

    private static int hash(Object o) {
        return o == null ? 0 : o.hashCode();
    }
}
