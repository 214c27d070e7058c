package org.lifelongpulse.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class JitCpuTest {

    /**
     * On Linux: a JVM that has run a test framework has compiled code, so its compiler threads have
     * spent CPU (a name or field read wrongly gives 0 or fails), and the figure never falls while
     * it works.
     */
    @Test
    void countsTheCompilerThreadsTime() {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "no /proc here");
        double before = JitCpu.seconds();
        long sum = 0;
        for (int i = 0; i < 5_000_000; i++) {
            sum += Long.toString(i).hashCode(); // hot code to compile
        }
        double after = JitCpu.seconds();
        assertThat(sum).isNotZero();
        assertThat(before).isPositive();
        assertThat(after).isGreaterThanOrEqualTo(before);
    }

    /** Waiting for quiet compilers reports what they spent meanwhile: a figure, never negative. */
    @Test
    void waitsForQuietCompilers() throws InterruptedException {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "no /proc here");
        double spent =
                JitCpu.awaitQuiet(
                        java.time.Duration.ofMillis(300), java.time.Duration.ofSeconds(20));
        assertThat(spent).isNotNaN().isGreaterThanOrEqualTo(0);
    }
}
