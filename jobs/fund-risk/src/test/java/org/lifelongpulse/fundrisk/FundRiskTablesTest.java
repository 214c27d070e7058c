package org.lifelongpulse.fundrisk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.lineage.LineageDataset;
import org.apache.flink.streaming.api.lineage.LineageVertexProvider;
import org.apache.flink.streaming.api.transformations.SinkTransformation;
import org.junit.jupiter.api.Test;
import org.lifelongpulse.adapters.Destinations;
import org.lifelongpulse.adapters.clickhouse.sink.ClickHouseSinkOptions;
import org.lifelongpulse.adapters.clickhouse.sink.ClickHouseTable;
import org.lifelongpulse.avro.DeadLetter;
import org.lifelongpulse.contracts.ClickHouseDdl;

/**
 * The fund-risk job's catalogue of tables ({@link FundRiskSinks}) equals what the migrations of
 * schemas/clickhouse create, applied in order; every topic follows the prefix, the dead letters'
 * too.
 */
class FundRiskTablesTest {

    private static final String TEST_KEY = "a-test-key-of-more-than-16-chars";

    @Test
    void everyTableTheJobWritesMatchesTheMigrations() {
        List<ClickHouseTable<?>> tables =
                FundRiskSinks.tables(ClickHouseSinkOptions.DEAD_LETTER_TABLE.defaultValue());
        assertThat(tables)
                .extracting(ClickHouseTable::table)
                .doesNotHaveDuplicates()
                .contains(
                        "pulse.fund_transactions",
                        "pulse.institution_ledger",
                        "pulse.risk_alerts",
                        "pulse.dead_letters",
                        "pulse.duplicate_events");
        for (ClickHouseTable<?> table : tables) {
            ClickHouseDdl.Table created =
                    ClickHouseDdl.table(table.table())
                            .orElseThrow(
                                    () ->
                                            new AssertionError(
                                                    table.table() + " is created by no migration"));
            assertThat(table.columns())
                    .as(table.table() + ": insert columns vs migrations")
                    .containsExactlyElementsOf(created.insertableColumns());
        }
    }

    @Test
    void everyTopicFollowsThePrefix() {
        FundRiskOptions.Settings settings =
                FundRiskOptions.defaults(TEST_KEY).withTopicPrefix("staging.");
        assertThat(
                        List.of(
                                settings.institutionsTopic(),
                                settings.rulesTopic(),
                                settings.alertsTopic(),
                                settings.topicPrefix()))
                .containsExactly(
                        "staging.fund.institutions.v1", "staging.fund.rules.v1",
                        "staging.fund.alerts.v1", "staging.");
        assertThat(
                        FundRiskSinks.alertTopic("localhost:9092", settings)
                                .getLineageVertex()
                                .datasets())
                .extracting(d -> d.name())
                .containsExactly("staging.fund.alerts.v1");
    }

    @Test
    void deadLettersGoToThePrefixedTopic() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        ClickHouseSinkOptions.Settings sink =
                new ClickHouseSinkOptions.Settings(
                        "http://localhost:8123",
                        "writer",
                        "secret",
                        10,
                        Duration.ofSeconds(1),
                        1,
                        Duration.ofMillis(10),
                        Duration.ofMillis(10),
                        "pulse.dead_letters",
                        FundRiskJob.NAME);
        FundRiskOptions.Settings settings =
                FundRiskOptions.defaults(TEST_KEY).withTopicPrefix("staging.");
        FundRiskSinks.to(
                        Destinations.production(sink, "localhost:9092"),
                        settings,
                        sink.deadLetterTable())
                .deadLetters()
                .accept(
                        env.fromData(
                                DeadLetter.newBuilder()
                                        .setSourceTopic("t")
                                        .setSourcePartition(0)
                                        .setSourceOffset(1L)
                                        .setStage("decode")
                                        .setReason("garbage")
                                        .setRaw(ByteBuffer.wrap(new byte[] {1}))
                                        .setFailedAt(Instant.EPOCH)
                                        .build()));
        assertThat(env.getTransformations())
                .filteredOn(SinkTransformation.class::isInstance)
                .map(t -> ((SinkTransformation<?, ?>) t).getSink())
                .filteredOn(LineageVertexProvider.class::isInstance)
                .flatMap(s -> ((LineageVertexProvider) s).getLineageVertex().datasets())
                .extracting(LineageDataset::name)
                .containsExactly("staging.pulse.deadletters.v1");
    }
}
