package org.lifelongpulse.cli.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading ClickHouse's TabSeparatedWithNamesAndTypes. */
class QueryResultTest {

    @Test
    void namesTypesAndUnescapedRows() {
        QueryResult result =
                QueryResult.fromTabSeparated(
                        "name\tn\nString\tUInt64\nA\\tB\\\\C\t3\n\nline\\nbreak\t\n");

        assertThat(result.names()).containsExactly("name", "n");
        assertThat(result.types()).containsExactly("String", "UInt64");
        assertThat(result.rows())
                .containsExactly(List.of("A\tB\\C", "3"), List.of("line\nbreak", ""));
        assertThat(result.isText(0)).isTrue();
        assertThat(result.isText(1)).isFalse();
    }

    @Test
    void aResultWithoutRows() {
        QueryResult result = QueryResult.fromTabSeparated("t\tn\nDateTime\tUInt64\n");

        assertThat(result.names()).containsExactly("t", "n");
        assertThat(result.rows()).isEmpty();
    }
}
