package org.lifelongpulse.fundrisk;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lifelongpulse.avro.District;
import org.lifelongpulse.avro.Institution;
import org.lifelongpulse.avro.LicenseStatus;
import org.lifelongpulse.avro.PrepaidTransaction;
import org.lifelongpulse.avro.TransactionType;
import org.lifelongpulse.contracts.Topic;
import org.lifelongpulse.fundrisk.records.AlertRow;
import org.lifelongpulse.testkit.CollectedOutputs;
import org.lifelongpulse.testkit.MemoryTopics;
import org.lifelongpulse.testkit.TopologyRun;

/**
 * R7 after compaction: {@code fund.institutions.v1} keeps only INST-A's latest version (REVOKED at
 * 09:00 on 5 March 2024), {@code fund.institution-versions.v1} keeps both (ACTIVE since 1 January,
 * then REVOKED). A sale on 4 March at 10:00, while the licence was ACTIVE, must not fire R7; a sale
 * on 5 March at 10:00, an hour after the revocation, must. Without the history topic the job knows
 * only the REVOKED version, and judges the March 4 sale by it.
 */
class LicenceHistoryTopologyTest {

    @RegisterExtension static final MiniClusterExtension FLINK = TopologyRun.miniCluster();

    static final Instant REVOKED_AT = Instant.parse("2024-03-05T01:00:00Z");
    static final long SALE_WHILE_ACTIVE = Instant.parse("2024-03-04T02:00:00Z").toEpochMilli();
    static final long SALE_AFTER = Instant.parse("2024-03-05T02:00:00Z").toEpochMilli();

    @Test
    void eachSaleIsJudgedByTheLicenceOfItsTimeFromTheHistoryTopic() throws Exception {
        List<AlertRow> alerts = run(true);

        assertThat(alerts)
                .filteredOn(a -> a.ruleId().equals("R7"))
                .extracting(AlertRow::alertId)
                .containsOnly("R7-INST-A-" + SALE_AFTER);
    }

    @Test
    void withoutTheHistoryTheCompactedTopicMisjudgesTheEarlierSale() throws Exception {
        List<AlertRow> alerts = run(false);

        assertThat(alerts)
                .filteredOn(a -> a.ruleId().equals("R7"))
                .extracting(AlertRow::alertId)
                .contains("R7-INST-A-" + SALE_WHILE_ACTIVE);
    }

    private static List<AlertRow> run(boolean withHistory) throws Exception {
        Institution active =
                institution(LicenseStatus.ACTIVE, Instant.parse("2024-01-01T00:00:00Z"));
        Institution revoked = institution(LicenseStatus.REVOKED, REVOKED_AT);
        MemoryTopics topics = new MemoryTopics();
        String latest = Topic.INSTITUTIONS.topicName();
        String history = Topic.INSTITUTION_VERSIONS.topicName();
        // after compaction: the latest version only
        topics.send(latest, 0, revoked, REVOKED_AT.toEpochMilli());
        if (withHistory) {
            topics.send(history, 0, active, active.getUpdatedAt().toEpochMilli());
            topics.send(history, 0, revoked, REVOKED_AT.toEpochMilli());
        }
        for (PrepaidTransaction t :
                List.of(sale("S1", SALE_WHILE_ACTIVE), sale("S2", SALE_AFTER))) {
            topics.send(
                    Topic.FUND_TRANSACTIONS.topicName(),
                    0,
                    t,
                    t.getOccurredAt().toEpochMilli() + 200);
        }
        Configuration config = new Configuration();
        CollectedOutputs out = new CollectedOutputs();
        StreamExecutionEnvironment env = TopologyRun.environment(config);
        FundRiskJob.define(
                env, config, topics, FundRiskSinks.to(out, FundRiskJob.settings(config)));
        env.execute("fund-risk licence history");
        return out.of("pulse.risk_alerts");
    }

    private static Institution institution(LicenseStatus status, Instant updatedAt) {
        return Institution.newBuilder(FundRiskTopologyTest.institution("INST-A", District.XUHUI))
                .setLicenseStatus(status)
                .setUpdatedAt(updatedAt)
                .build();
    }

    /** 300 yuan on a registered card into the supervised account: only R7 can object. */
    private static PrepaidTransaction sale(String id, long at) {
        PrepaidTransaction t =
                FundRiskTopologyTest.sale(
                        id, 0, "INST-A", TransactionType.CARD_SALE, 30_000, "C-" + id, "P-" + id);
        t.setOccurredAt(Instant.ofEpochMilli(at));
        return t;
    }
}
