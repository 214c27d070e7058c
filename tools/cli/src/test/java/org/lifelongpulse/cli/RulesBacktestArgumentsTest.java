package org.lifelongpulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code ./pulse rules backtest}: bad arguments exit 2 before any stack is needed. */
class RulesBacktestArgumentsTest {

    @Test
    void aPeriodThatCannotBeReadOrIsEmptyIsABadArgument() {
        CliRun unreadable = CliRun.of("rules", "backtest", "--from", "last tuesday", "--to", "now");
        assertThat(unreadable.exitCode()).isEqualTo(2);
        assertThat(unreadable.err()).contains("--from: cannot read time 'last tuesday'");

        CliRun backwards =
                CliRun.of("rules", "backtest", "--from", "2020-10-02", "--to", "2020-10-01");
        assertThat(backwards.exitCode()).isEqualTo(2);
        assertThat(backwards.err()).contains("--from 2020-10-02 must be before --to 2020-10-01");

        CliRun missing = CliRun.of("rules", "backtest", "--from", "2020-10-01");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("--to");
    }

    @Test
    void theHelpHasAWorkedExample() {
        CliRun help = CliRun.of("rules", "backtest", "--help");

        assertThat(help.exitCode()).isZero();
        assertThat(help.out())
                .contains("--set R2.max_amount_yuan=3000")
                .contains("Exit code 0 when the back-test ran, 2 for bad arguments.");
    }
}
