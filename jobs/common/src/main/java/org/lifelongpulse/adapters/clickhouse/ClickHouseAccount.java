package org.lifelongpulse.adapters.clickhouse;

/** A ClickHouse user and its password; {@link #toString()} never shows the password. */
public record ClickHouseAccount(String user, String password) {

    @Override
    public String toString() {
        return user + " (password hidden)";
    }
}
