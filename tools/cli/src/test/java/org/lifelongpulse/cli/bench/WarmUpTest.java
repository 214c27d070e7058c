package org.lifelongpulse.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class WarmUpTest {

    /** A run that spent {@code jitShare} of its 10 CPU s compiling. */
    private static MeasuredRun.Cost run(double jitShare) {
        return new MeasuredRun.Cost(Duration.ofSeconds(5), 10, 0, 0, 0, 0, 0, 0, 0, 10 * jitShare);
    }

    private static int warmUps(double... shares) throws Exception {
        List<MeasuredRun.Cost> costs = new ArrayList<>();
        for (double share : shares) {
            costs.add(run(share));
        }
        Iterator<MeasuredRun.Cost> next = costs.iterator();
        List<String> said = new ArrayList<>();
        int runs = MeasuredRun.warmUp("x", next::next, said::add, Duration.ofMillis(50));
        assertThat(said).hasSize(2 * runs); // each run is announced and reported
        return runs;
    }

    @Test
    void runsAgainWhileTheCompilersTakeFivePercentOrMore() throws Exception {
        assertThat(warmUps(0.01)).isEqualTo(1);
        assertThat(warmUps(0.30, 0.049)).isEqualTo(2);
        assertThat(warmUps(0.30, 0.05, 0.02)).isEqualTo(3);
    }

    @Test
    void stopsAfterThreeRunsWhateverTheCompilersDo() throws Exception {
        assertThat(warmUps(0.5, 0.5, 0.5, 0.5)).isEqualTo(3);
    }
}
