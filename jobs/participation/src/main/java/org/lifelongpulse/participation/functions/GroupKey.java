package org.lifelongpulse.participation.functions;

import java.util.List;

/** Composite keys as one string, so that keying hashes one value; parts never hold \u0001. */
public final class GroupKey {

    private static final String SEPARATOR = "\u0001";

    private GroupKey() {}

    public static String of(String... parts) {
        return String.join(SEPARATOR, parts);
    }

    public static List<String> parts(String key) {
        return List.of(key.split(SEPARATOR, -1));
    }
}
