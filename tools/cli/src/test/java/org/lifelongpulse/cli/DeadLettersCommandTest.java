package org.lifelongpulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code ./pulse deadletters}: help, usage errors and exit codes without a stack. */
class DeadLettersCommandTest {

    @Test
    void helpNamesTheSubcommandsAndWhoReadsWhat() {
        CliRun run = CliRun.of("deadletters", "--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains("list", "replay", "purge", "pulse_restricted.dead_letters", "Exit codes");
        CliRun replay = CliRun.of("deadletters", "replay", "--help");
        assertThat(replay.exitCode()).isZero();
        assertThat(replay.out()).contains("--topic", "--reason", "--from", "--to", "--dry-run");
    }

    @Test
    void purgeNeedsAnAgeItCanRead() {
        CliRun missing = CliRun.of("deadletters", "purge");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("--older-than");

        CliRun unreadable = CliRun.of("deadletters", "purge", "--older-than", "a month");
        assertThat(unreadable.exitCode()).isEqualTo(2);
        assertThat(unreadable.err()).contains("cannot read 'a month'", "30d");
    }

    @Test
    void anEmptyTimeRangeIsAUsageError() {
        CliRun run =
                CliRun.of(
                        "deadletters",
                        "replay",
                        "--from",
                        "2020-11-01T10:00",
                        "--to",
                        "2020-11-01T09:00");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("is not before --to");
    }

    @Test
    void agesAreMinutesHoursDaysWeeksOrIso() {
        assertThat(DeadLettersCommand.Purge.age(null, "90m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(DeadLettersCommand.Purge.age(null, "12h")).isEqualTo(Duration.ofHours(12));
        assertThat(DeadLettersCommand.Purge.age(null, "30d")).isEqualTo(Duration.ofDays(30));
        assertThat(DeadLettersCommand.Purge.age(null, "2w")).isEqualTo(Duration.ofDays(14));
        assertThat(DeadLettersCommand.Purge.age(null, "P3D")).isEqualTo(Duration.ofDays(3));
    }
}
