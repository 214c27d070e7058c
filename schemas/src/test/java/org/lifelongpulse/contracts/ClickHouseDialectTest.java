package org.lifelongpulse.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Each dialect, and which server versions choose it. */
class ClickHouseDialectTest {

    @Test
    void usersXmlIsChosenByTheReleasesWithoutSqlUserManagement() {
        assertThat(ClickHouseDialect.forServerVersion("18.16.1"))
                .isEqualTo(ClickHouseDialect.USERS_XML);
        assertThat(ClickHouseDialect.forServerVersion("21.8.15.7"))
                .isEqualTo(ClickHouseDialect.USERS_XML);
    }

    @Test
    void usersXmlKeepsEveryAccountInXmlUnderTheRootOldServersKnow() {
        assertThat(ClickHouseDialect.USERS_XML.sqlManagedAccounts()).isFalse();
        assertThat(ClickHouseDialect.USERS_XML.accountScript()).isEmpty();
        assertThat(ClickHouseDialect.USERS_XML.configRootElement()).isEqualTo("yandex");
    }

    @Test
    void sqlAccountsIsChosenFromRelease22On() {
        assertThat(ClickHouseDialect.forServerVersion("22.1.1.1"))
                .isEqualTo(ClickHouseDialect.SQL_ACCOUNTS);
        assertThat(ClickHouseDialect.forServerVersion("25.8.33.6"))
                .isEqualTo(ClickHouseDialect.SQL_ACCOUNTS);
        assertThat(
                        ClickHouseDialect.forServerVersion(
                                "ClickHouse server version 25.8.33.6 (official build)."))
                .isEqualTo(ClickHouseDialect.SQL_ACCOUNTS);
    }

    @Test
    void sqlAccountsCreatesThePipelineAccountsWithTheProjectsScript() {
        assertThat(ClickHouseDialect.SQL_ACCOUNTS.sqlManagedAccounts()).isTrue();
        assertThat(ClickHouseDialect.SQL_ACCOUNTS.accountScript())
                .contains("clickhouse/users/current-releases.sql");
        assertThat(ClickHouseDialect.SQL_ACCOUNTS.configRootElement()).isEqualTo("clickhouse");
        assertThat(
                        ClickHouseDialectTest.class
                                .getClassLoader()
                                .getResource("clickhouse/users/current-releases.sql"))
                .isNotNull();
    }

    @Test
    void aTextWithoutAVersionIsAnError() {
        assertThatThrownBy(() -> ClickHouseDialect.forServerVersion("Unknown option"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Unknown option");
        assertThatThrownBy(() -> ClickHouseDialect.forServerVersion(null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
