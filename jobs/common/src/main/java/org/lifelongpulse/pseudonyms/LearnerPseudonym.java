package org.lifelongpulse.pseudonyms;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Replaces a person's id by HMAC-SHA-256 under a secret key, truncated to 128 bits (32 hex
 * characters): stable, so counts stay exact, and not reversible without the key. Not thread-safe
 * (one per subtask). The key is required: {@code org.lifelongpulse.jobs.JobSecrets}.
 */
public final class LearnerPseudonym {

    private final Mac mac;

    public LearnerPseudonym(String secret) {
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    public String hash(String id) {
        byte[] digest = mac.doFinal(id.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, 16);
    }
}
