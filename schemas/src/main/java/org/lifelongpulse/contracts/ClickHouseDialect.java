package org.lifelongpulse.contracts;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What differs between the ClickHouse releases the pipeline runs on, chosen from the server's
 * version: where the pipeline's accounts live, and the root element of configuration files. This is
 * the only version-specific step. Everything else is written to run on every supported release: the
 * DDL avoids what 18.16 lacks (TTL, DateTime64, LowCardinality, codecs), requests use URL
 * parameters rather than the headers 18.16 ignores, reads go over HTTP, and the sink binds DateTime
 * values as epoch seconds, which every release accepts.
 */
public enum ClickHouseDialect {

    /**
     * ClickHouse 18.16 to 21.x: no SQL user management ({@code CREATE USER} is a syntax error), so
     * every account, the pipeline's included, is defined in users.xml.
     */
    USERS_XML("yandex", false),

    /**
     * ClickHouse 22 and later: users.xml defines only the administrator, who creates the pipeline's
     * accounts with {@code CREATE USER} and {@code GRANT} from {@link #ACCOUNT_SCRIPT}, as in
     * production. An account defined in XML could not be altered by that script.
     */
    SQL_ACCOUNTS("clickhouse", true);

    /** The first major version whose accounts are SQL-managed here. */
    public static final int FIRST_MAJOR_WITH_SQL_ACCOUNTS = 22;

    /** The account script of {@code schemas/clickhouse/users/}, as a classpath resource. */
    public static final String ACCOUNT_SCRIPT = "clickhouse/users/current-releases.sql";

    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)(\\.\\d+)*");

    private final String configRootElement;
    private final boolean sqlManagedAccounts;

    ClickHouseDialect(String configRootElement, boolean sqlManagedAccounts) {
        this.configRootElement = configRootElement;
        this.sqlManagedAccounts = sqlManagedAccounts;
    }

    /**
     * The dialect of a server version as {@code SELECT version()} or {@code --version} print it,
     * e.g. {@code 18.16.1}, {@code 25.8.33.6} or {@code ClickHouse server version 25.8.33.6}.
     */
    public static ClickHouseDialect forServerVersion(String version) {
        Matcher m = VERSION.matcher(version == null ? "" : version);
        if (!m.find()) {
            throw new IllegalArgumentException("not a ClickHouse version: " + version);
        }
        return Integer.parseInt(m.group(1)) < FIRST_MAJOR_WITH_SQL_ACCOUNTS
                ? USERS_XML
                : SQL_ACCOUNTS;
    }

    /** The root element of config.xml and users.xml ({@code <clickhouse>} arrived in 21.x). */
    public String configRootElement() {
        return configRootElement;
    }

    /** Whether the pipeline's writer and reader are created with SQL rather than in XML. */
    public boolean sqlManagedAccounts() {
        return sqlManagedAccounts;
    }

    /** The script that creates the pipeline's accounts, when they are SQL-managed. */
    public Optional<String> accountScript() {
        return sqlManagedAccounts ? Optional.of(ACCOUNT_SCRIPT) : Optional.empty();
    }
}
