package org.lifelongpulse.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Reading a process's CPU time from /proc/<pid>/stat. */
class ProcessCpuTest {

    @Test
    void userAndSystemTimeAreCountedFromTheLastParenthesis() {
        // a command name with a space and a parenthesis in it; utime 1234 and stime 566 ticks
        // (fields 14 and 15) at 100 ticks per second: 18.00 s
        String line =
                "4242 (clickhouse (srv)) S 1 4242 4242 0 -1 4194560 9000 0 0 0 1234 566 0 0 20 0"
                        + " 57 0 4207631 3133440 361 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0"
                        + " 0 17 1 0 0 0 0 0";
        assertThat(ProcessCpu.secondsOf(line)).isCloseTo(18.0, within(1e-9));
    }

    @Test
    void thisProcessHasUsedCpuAndItOnlyGrows() {
        ProcessCpu self = ProcessCpu.of(ProcessHandle.current().pid());
        assertThat(self.known()).isTrue();
        double before = self.seconds();
        long spin = 0;
        for (int i = 0; i < 50_000_000; i++) {
            spin += i % 7;
        }
        assertThat(spin).isPositive();
        assertThat(before).isPositive();
        assertThat(self.seconds()).isGreaterThanOrEqualTo(before);
    }

    @Test
    void noProcessIsUnknown() {
        assertThat(ProcessCpu.NONE.known()).isFalse();
        assertThat(ProcessCpu.NONE.seconds()).isNaN();
        assertThat(ProcessCpu.of(Long.MAX_VALUE).seconds()).isNaN();
    }
}
