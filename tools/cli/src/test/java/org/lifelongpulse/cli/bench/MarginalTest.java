package org.lifelongpulse.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The arithmetic of marginal figures, with hand-worked numbers. */
class MarginalTest {

    static MeasuredRun.Cost cost(Duration wall, double cpu, double clickHouseCpu) {
        return new MeasuredRun.Cost(wall, cpu, 0, 0, 0, -1, -1, -1, clickHouseCpu, Double.NaN);
    }

    // 2,000,000 events in 100 s, of which 20 s are the fixed cost of any run: 20,000/s whole,
    // 2,000,000 / 80 s = 25,000/s beyond it. 120 CPU s, 18 of them fixed: 60 s per million
    // whole, (120 - 18) / 2 = 51 s per million net. ClickHouse 16 CPU s: 8 s per million.
    private final Marginal run =
            new Marginal(
                    cost(Duration.ofSeconds(100), 120, 16), cost(Duration.ofSeconds(20), 18, 0.5));

    @Test
    void theMarginalRateLeavesTheFixedWallTimeOut() {
        assertThat(run.perSecond(2_000_000)).isCloseTo(20_000, within(1e-6));
        assertThat(run.marginalPerSecond(2_000_000)).isCloseTo(25_000, within(1e-6));
    }

    @Test
    void netCpuPerMillionLeavesTheFixedCpuOut() {
        assertThat(run.cpuPerMillion(2_000_000)).isCloseTo(60, within(1e-9));
        assertThat(run.netCpuPerMillion(2_000_000)).isCloseTo(51, within(1e-9));
        assertThat(run.clickHouseCpuPerMillion(2_000_000)).isCloseTo(8, within(1e-9));
    }

    @Test
    void theFloorRatioIsNetCpuOverTheFloorsCpu() {
        // 51 s per million against a floor of 3.1: 16.45×
        double ratio = Marginal.ratio(run.netCpuPerMillion(2_000_000), 3.1);
        assertThat(ratio).isCloseTo(16.4516, within(1e-4));
        assertThat(Marginal.times(ratio)).isEqualTo("16.5×");
    }

    @Test
    void aRunNoLongerThanItsFixedCostHasNoMarginalRate() {
        Marginal tooShort =
                new Marginal(cost(Duration.ofSeconds(5), 3, 0), cost(Duration.ofSeconds(5), 2, 0));
        assertThat(tooShort.marginalPerSecond(1_000)).isNaN();
        Marginal unmeasured = new Marginal(cost(Duration.ofSeconds(5), 3, 0), null);
        assertThat(unmeasured.marginalPerSecond(1_000)).isNaN();
        assertThat(unmeasured.netCpuPerMillion(1_000)).isNaN();
    }

    @Test
    void unknownClickHouseCpuStaysUnknown() {
        Marginal remote = new Marginal(cost(Duration.ofSeconds(10), 5, Double.NaN), null);
        assertThat(remote.clickHouseCpuPerMillion(1_000_000)).isNaN();
        assertThat(Marginal.figure(remote.clickHouseCpuPerMillion(1_000_000), 2)).isEqualTo("—");
    }

    @Test
    void ratiosArePrintedWithTheirOwnPrecision() {
        assertThat(Marginal.times(23_500.0 / 192_000.0)).isEqualTo("0.122×");
        assertThat(Marginal.times(5.6)).isEqualTo("5.60×");
        assertThat(Marginal.times(1.0)).isEqualTo("1.00×");
        assertThat(Marginal.times(Double.NaN)).isEqualTo("—");
        assertThat(Marginal.ratio(3, 0)).isNaN();
        assertThat(Marginal.figure(25_000.4, 0)).isEqualTo("25,000");
    }
}
