package org.lifelongpulse.cli.drill;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Row sets compared by hand: what the verdict table prints must count what differs. */
class ReconciliationTest {

    @Test
    void countsMissingAndExtraRows() {
        Reconciliation.Verdict v =
                Reconciliation.compare(
                        "t", Set.of("a|1", "b|2", "c|3"), Set.of("a|1", "b|9", "d|4"));
        assertThat(v.expected()).isEqualTo(3);
        assertThat(v.found()).isEqualTo(3);
        assertThat(v.missing()).isEqualTo(2); // b|2, c|3
        assertThat(v.extra()).isEqualTo(2); // b|9, d|4
        assertThat(v.exact()).isFalse();
        assertThat(v.examples()).contains("missing b|2", "missing c|3", "extra b|9", "extra d|4");
    }

    @Test
    void equalSetsAreExact() {
        Reconciliation.Verdict v = Reconciliation.compare("t", Set.of("x"), Set.of("x"));
        assertThat(v.exact()).isTrue();
        assertThat(Reconciliation.allExact(List.of(v))).isTrue();
        assertThat(
                        Reconciliation.allExact(
                                List.of(v, Reconciliation.compare("u", Set.of("x"), Set.of()))))
                .isFalse();
    }
}
