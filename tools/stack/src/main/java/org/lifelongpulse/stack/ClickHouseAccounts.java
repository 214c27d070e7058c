package org.lifelongpulse.stack;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The least-privilege ClickHouse accounts of the pipeline. Passwords come from the environment; a
 * local stack without them uses clearly-marked development passwords, never fit for production.
 *
 * @param admin applies migrations ({@code PULSE_CH_ADMIN_USER} / {@code PULSE_CH_ADMIN_PASSWORD})
 * @param writer the jobs' account: insert into {@code pulse} only
 * @param reader the dashboards' account: read-only on {@code pulse}
 */
public record ClickHouseAccounts(Account admin, Account writer, Account reader) {

    /** Prefix of every development default, so that logs and reviews spot them. */
    public static final String DEV_PASSWORD_PREFIX = "dev-only-";

    /** One account. */
    public record Account(String user, String password) {

        /** Hex SHA-256 of the password, the form ClickHouse's users.xml stores. */
        public String passwordSha256Hex() {
            try {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                return HexFormat.of()
                        .formatHex(sha.digest(password.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is part of every JDK", e);
            }
        }

        /** True when the password is a development default. */
        public boolean usesDevelopmentPassword() {
            return password.startsWith(DEV_PASSWORD_PREFIX);
        }

        @Override
        public String toString() {
            return user + " (password hidden)";
        }
    }

    /** Accounts from {@code PULSE_CH_*} variables, with development defaults where unset. */
    public static ClickHouseAccounts fromEnvironment() {
        return new ClickHouseAccounts(
                account("ADMIN", "pulse_admin"),
                account("WRITER", "pulse_writer"),
                account("READER", "pulse_reader"));
    }

    private static Account account(String role, String defaultUser) {
        String user = envOr("PULSE_CH_" + role + "_USER", defaultUser);
        String password =
                envOr(
                        "PULSE_CH_" + role + "_PASSWORD",
                        DEV_PASSWORD_PREFIX + role.toLowerCase() + "-change-me");
        return new Account(user, password);
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
