package org.lifelongpulse.stack;

/**
 * Where a running stack can be reached, and with which ClickHouse accounts.
 *
 * @param kafkaBootstrap Kafka bootstrap servers, {@code host:port[,host:port]}
 * @param clickHouseUrl ClickHouse HTTP(S) base URL, e.g. {@code http://127.0.0.1:8123}
 * @param accounts the three ClickHouse accounts: admin (migrations), writer (jobs), reader
 *     (dashboards)
 */
public record Endpoints(String kafkaBootstrap, String clickHouseUrl, ClickHouseAccounts accounts) {

    /** Reads {@code PULSE_KAFKA_BOOTSTRAP} and {@code PULSE_CLICKHOUSE_URL}; null when unset. */
    public static Endpoints fromEnvironment() {
        String kafka = System.getenv("PULSE_KAFKA_BOOTSTRAP");
        String clickHouse = System.getenv("PULSE_CLICKHOUSE_URL");
        if (isBlank(kafka) || isBlank(clickHouse)) {
            return null;
        }
        return new Endpoints(kafka, clickHouse, ClickHouseAccounts.fromEnvironment());
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
