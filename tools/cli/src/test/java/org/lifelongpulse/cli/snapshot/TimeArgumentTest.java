package org.lifelongpulse.cli.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@code --from} and {@code --to} of the snapshot. */
class TimeArgumentTest {

    private static final Instant NOW = Instant.parse("2021-10-25T12:00:00Z");

    @Test
    void relativeTimesCountBackFromNow() {
        assertThat(TimeArgument.parse("now", NOW)).isEqualTo(NOW);
        assertThat(TimeArgument.parse(" now ", NOW)).isEqualTo(NOW);
        assertThat(TimeArgument.parse("now-90m", NOW))
                .isEqualTo(Instant.parse("2021-10-25T10:30:00Z"));
        assertThat(TimeArgument.parse("now-6h", NOW))
                .isEqualTo(Instant.parse("2021-10-25T06:00:00Z"));
        assertThat(TimeArgument.parse("now-2d", NOW))
                .isEqualTo(Instant.parse("2021-10-23T12:00:00Z"));
        assertThat(TimeArgument.parse("now-1w", NOW))
                .isEqualTo(Instant.parse("2021-10-18T12:00:00Z"));
    }

    @Test
    void absoluteTimesWithAnOffsetOrInShanghai() {
        assertThat(TimeArgument.parse("2021-10-25T08:00+08:00", NOW))
                .isEqualTo(Instant.parse("2021-10-25T00:00:00Z"));
        assertThat(TimeArgument.parse("2021-10-25T08:00:00Z", NOW))
                .isEqualTo(Instant.parse("2021-10-25T08:00:00Z"));
        // without an offset: Shanghai, UTC+8
        assertThat(TimeArgument.parse("2021-10-25T08:00", NOW))
                .isEqualTo(Instant.parse("2021-10-25T00:00:00Z"));
    }

    @Test
    void anythingElseSaysWhatIsAccepted() {
        for (String bad : new String[] {"yesterday", "now-6y", "now+1h", "2021-10-25"}) {
            assertThatThrownBy(() -> TimeArgument.parse(bad, NOW))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(
                            "cannot read time '"
                                    + bad
                                    + "': use ISO-8601"
                                    + " (2021-10-25T08:00+08:00, or local Shanghai time"
                                    + " 2021-10-25T08:00) or now-6h");
        }
    }
}
