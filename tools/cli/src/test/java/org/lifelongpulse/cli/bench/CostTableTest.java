package org.lifelongpulse.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The participation figures in the report: JSON fields and the printed cost table. */
class CostTableTest {

    private static final long MESSAGES = 2_000_000;

    private static Marginal run(long wall, double cpu, double clickHouse, long fixed, double cpu0) {
        return new Marginal(
                MarginalTest.cost(Duration.ofSeconds(wall), cpu, clickHouse),
                MarginalTest.cost(Duration.ofSeconds(fixed), cpu0, 0));
    }

    /**
     * Hand-worked, 2,000,000 messages. B0: 8 s, 6.2 CPU s (250,000/s, 3.1 s per million). B1: 10 s,
     * 12 CPU s, fixed 4 s and 3 CPU s (200,000/s; 333,333/s marginal; 4.5 s/M net). Heap job: 100
     * s, 120 CPU s, ClickHouse 16 s, fixed 20 s and 18 CPU s (20,000/s = 0.100× B1; 25,000/s
     * marginal; 51 s/M net = 16.5× the floor; ClickHouse 8 s/M). Production: 80 s, 100 CPU s,
     * ClickHouse 10 s, fixed 30 s and 24 CPU s (25,000/s = 0.125× B1; 40,000/s marginal; 38 s/M net
     * = 12.3× the floor; ClickHouse 5 s/M).
     */
    private static ParticipationBenchmark.Result result() {
        return new ParticipationBenchmark.Result(
                MESSAGES,
                1_990_000,
                250_000,
                2,
                new ParticipationFloor.Result(
                        MESSAGES,
                        1_900_000,
                        10_000,
                        50_000,
                        40_000,
                        123_456,
                        Duration.ofSeconds(8),
                        6.2),
                run(10, 12, 0, 4, 3),
                run(100, 120, 16, 20, 18),
                run(80, 100, 10, 30, 24),
                35_000_000);
    }

    @Test
    void theJsonHoldsMarginalNetAndRatioFigures() throws Exception {
        BenchReport report = new BenchReport("full", 2);
        report.participation(result(), 2);
        JsonNode p = new ObjectMapper().readTree(report.json()).path("participation");

        assertThat(p.path("b0_floor").path("events_per_s").asLong()).isEqualTo(250_000);
        assertThat(p.path("b0_floor").path("cpu_s_per_million_events").asDouble())
                .isCloseTo(3.1, within(1e-9));
        assertThat(p.path("b1_decode_count").path("marginal_events_per_s").asLong())
                .isEqualTo(333_333);
        JsonNode job = p.path("job");
        assertThat(job.path("events_per_s").asLong()).isEqualTo(20_000);
        assertThat(job.path("marginal_events_per_s").asLong()).isEqualTo(25_000);
        assertThat(job.path("net_cpu_s_per_million_events").asDouble()).isCloseTo(51, within(1e-9));
        assertThat(job.path("net_cpu_ratio_to_floor").asDouble()).isCloseTo(16.452, within(1e-9));
        assertThat(job.path("clickhouse_cpu_s_per_million_events").asDouble())
                .isCloseTo(8, within(1e-9));
        assertThat(job.path("ratio_to_b1").asDouble()).isCloseTo(0.1, within(1e-9));
        assertThat(job.path("fixed_empty_topics").path("wall_s").asDouble())
                .isCloseTo(20, within(1e-9));
        JsonNode production = p.path("job_production");
        assertThat(production.path("marginal_events_per_s").asLong()).isEqualTo(40_000);
        assertThat(production.path("ratio_to_b1").asDouble()).isCloseTo(0.125, within(1e-9));
        assertThat(production.path("net_cpu_s_per_million_events").asDouble())
                .isCloseTo(38, within(1e-9));

        JsonNode targets = new ObjectMapper().readTree(report.json()).path("targets");
        JsonNode netCpu = targets.path("participation net CPU per M events");
        assertThat(netCpu.path("value").asDouble()).isCloseTo(51, within(1e-9));
        assertThat(netCpu.path("met").asBoolean()).isFalse();
        assertThat(
                        targets.path("participation ClickHouse CPU per M events")
                                .path("met")
                                .asBoolean())
                .isFalse();
    }

    @Test
    void theTablePrintsEachRunBesideTheFloorAndB1() {
        BenchReport report = new BenchReport("full", 2);
        report.participation(result(), 2);
        String[] lines = report.summary().split("\\R");

        assertThat(line(lines, "participation, 2,000,000 messages")).isNotNull();
        assertThat(columns(line(lines, "B0 floor")))
                .containsSubsequence("8.0", "—", "250,000", "—", "1.25×", "3.10", "—", "1.00×");
        assertThat(columns(line(lines, "B1 decode and count")))
                .containsSubsequence(
                        "10.0", "4.0", "200,000", "333,333", "1.00×", "6.00", "4.50", "1.45×");
        assertThat(columns(line(lines, "job, heap state")))
                .containsSubsequence(
                        "100.0", "20.0", "20,000", "25,000", "0.100×", "60.00", "51.00", "16.5×",
                        "8.00");
        assertThat(columns(line(lines, "job, production")))
                .containsSubsequence(
                        "80.0", "30.0", "25,000", "40,000", "0.125×", "50.00", "38.00", "12.3×",
                        "5.00");
    }

    private static String line(String[] lines, String start) {
        return Arrays.stream(lines).filter(l -> l.startsWith(start)).findFirst().orElse(null);
    }

    private static java.util.List<String> columns(String line) {
        assertThat(line).isNotNull();
        return Arrays.asList(line.trim().split("\\s+"));
    }
}
