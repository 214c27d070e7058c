package org.lifelongpulse.pseudonyms;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Replaces a person's id by HMAC-SHA-256 under a secret key, truncated to 128 bits (32 hex
 * characters): stable, so counts stay exact, and not reversible without the key. Not thread-safe
 * (one per subtask).
 */
public final class LearnerPseudonym {

    /** Environment variable holding the key. */
    public static final String SECRET_ENV = "PULSE_ID_HASH_SECRET";

    /** The key of local runs without {@link #SECRET_ENV}: never fit for real data. */
    public static final String DEVELOPMENT_SECRET = "dev-only-id-hash-secret-change-me";

    private final Mac mac;

    public LearnerPseudonym(String secret) {
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** The key from the environment, or the development key. */
    public static String secretFromEnvironment() {
        String secret = System.getenv(SECRET_ENV);
        return secret == null || secret.isBlank() ? DEVELOPMENT_SECRET : secret;
    }

    public String hash(String id) {
        byte[] digest = mac.doFinal(id.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, 16);
    }
}
