package org.lifelongpulse.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.lifelongpulse.cli.backtest.Backtest;

/** The back-test benchmark's figures in the report: both replays' reads over their wall time. */
class BacktestReportTest {

    @Test
    void theRateIsBothReplaysReadsOverTheirTime() throws Exception {
        // 200,000 transactions read twice, in 4 s and 6 s: 400,000 / 10 s = 40,000/s
        BacktestBenchmark.Result r =
                new BacktestBenchmark.Result(
                        200_000,
                        300,
                        new Backtest.ReplayFigures(200_000, Duration.ofSeconds(4), 90),
                        new Backtest.ReplayFigures(200_000, Duration.ofSeconds(6), 400),
                        121,
                        1,
                        Duration.ofSeconds(12));
        BenchReport report = new BenchReport("backtest", 2);
        report.backtest(r);

        JsonNode json = new ObjectMapper().readTree(report.json()).path("backtest");
        assertThat(json.path("transactions_per_s").asLong()).isEqualTo(40_000);
        assertThat(json.path("live_replay").path("transactions_per_s").asLong()).isEqualTo(50_000);
        assertThat(json.path("trial_replay").path("transactions_per_s").asLong()).isEqualTo(33_333);
        assertThat(json.path("alerts_gained").asInt()).isEqualTo(121);
        assertThat(report.summary())
                .contains(
                        "back-test (R2.max_amount_yuan=3000, 300 institutions): 40,000"
                                + " transactions replayed/s over two replays of 200,000; 121"
                                + " alerts gained, 1 lost; 12.0 s in all");
    }
}
