package org.lifelongpulse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@code rules put --at}: when settings take effect, as an instant or a Shanghai local time. */
class RulesPutAtTest {

    @Test
    void anInstantOrAShanghaiLocalTime() {
        assertThat(RulesCommand.effectiveAt("2021-10-25T08:00:00Z"))
                .isEqualTo(Instant.parse("2021-10-25T08:00:00Z"));
        // Shanghai is UTC+8 all year
        assertThat(RulesCommand.effectiveAt("2021-10-25T16:00"))
                .isEqualTo(Instant.parse("2021-10-25T08:00:00Z"));
        assertThatThrownBy(() -> RulesCommand.effectiveAt("next week"))
                .hasMessageContaining("--at next week: not a time");
    }

    @Test
    void theHelpSaysSettingsTakeEffectInEventTime() {
        CliRun help = CliRun.of("rules", "put", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("--at=TIME").contains("in event").contains("time:");
    }
}
