package org.lifelongpulse.participation;

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
 * The participation job's catalogue of tables ({@link ParticipationSinks}) equals what the
 * migrations of schemas/clickhouse create, applied in order; its dead letters go to the topic and
 * table its options name.
 */
class ParticipationTablesTest {

    @Test
    void everyTableTheJobWritesMatchesTheMigrations() {
        List<ClickHouseTable<?>> tables =
                ParticipationSinks.tables(ClickHouseSinkOptions.DEAD_LETTER_TABLE.defaultValue());
        assertThat(tables)
                .extracting(ClickHouseTable::table)
                .doesNotHaveDuplicates()
                .contains(
                        "pulse.learning_events",
                        "pulse.participation_minute",
                        "pulse.dead_letters",
                        "pulse.late_events",
                        "pulse.dropped_events");
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
                        ParticipationJob.NAME);
        ParticipationSinks.to(
                        Destinations.production(sink, "localhost:9092"),
                        sink.deadLetterTable(),
                        "staging.",
                        "secret-of-sixteen-or-more")
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
