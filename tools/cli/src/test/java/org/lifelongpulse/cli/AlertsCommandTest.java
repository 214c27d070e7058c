package org.lifelongpulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@code ./pulse alerts}: usage errors exit 2 before any stack is looked for (the work directory
 * below does not exist, so reaching it would exit 3 instead).
 */
class AlertsCommandTest {

    private static CliRun run(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--work-dir";
        all[args.length + 1] = "target/no-stack-here";
        return CliRun.of(all);
    }

    @Test
    void closeWithoutAReasonIsAUsageError() {
        CliRun close = run("alerts", "close", "R5-INST-0052-1", "--by", "li.wei");
        assertThat(close.exitCode()).isEqualTo(2);
        assertThat(close.err()).contains("Missing required option: '--reason=TEXT'");
        assertThat(close.out()).isEmpty();
    }

    @Test
    void assignNeedsSomeoneAndNoteItsText() {
        assertThat(run("alerts", "assign", "A-1").exitCode()).isEqualTo(2);
        assertThat(run("alerts", "note", "A-1").err()).contains("--note");
        assertThat(run("alerts", "note", "A-1", "--note", "  ").exitCode()).isEqualTo(2);
        assertThat(run("alerts", "ack").err()).contains("ALERT_ID");
    }

    @Test
    void listOptionsThatDoNotGoTogetherAreUsageErrors() {
        CliRun since = run("alerts", "list", "--since", "now-7d");
        assertThat(since.exitCode()).isEqualTo(2);
        assertThat(since.err()).contains("--since goes with --closed");
        assertThat(run("alerts", "list", "--closed", "--mine", "--by", "li").exitCode())
                .isEqualTo(2);
        assertThat(run("alerts", "list", "--by", "li").err()).contains("--by goes with --mine");
        assertThat(run("alerts", "list", "--limit", "0").exitCode()).isEqualTo(2);
        assertThat(run("alerts", "list", "--format", "xml").err()).contains("table, csv, json");
        assertThat(run("alerts", "list", "--closed", "--since", "yesterday").err())
                .contains("cannot read time 'yesterday'");
        assertThat(run("alerts", "show", "A-1", "--format", "csv").exitCode()).isEqualTo(2);
    }

    @Test
    void validArgumentsGoOnToLookForTheStack() {
        CliRun list = run("alerts", "list", "--closed", "--since", "now-7d", "--format", "csv");
        assertThat(list.exitCode()).isEqualTo(3);
        assertThat(list.err()).contains("no stack is running under target/no-stack-here");
    }

    @Test
    void helpNamesEverySubcommandAndTheExitCodes() {
        CliRun help = CliRun.of("alerts", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out())
                .contains("list", "show", "ack", "assign", "note", "close")
                .contains("1 nothing recorded (unknown or closed alert), 2 usage error");
        assertThat(CliRun.of("--help").out()).contains("alerts");
    }
}
