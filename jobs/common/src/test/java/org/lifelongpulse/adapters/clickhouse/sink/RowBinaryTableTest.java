package org.lifelongpulse.adapters.clickhouse.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.client.api.ServerException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A table's RowBinary form from the server's DESCRIBE, and what a failed insert means. */
class RowBinaryTableTest {

    /** As 18.16 answers DESCRIBE TABLE … FORMAT TabSeparated (quotes escaped, 3 more fields). */
    private static final String DESCRIBE =
            "id\tUInt64\t\t\t\n"
                    + "district\tEnum8(\\'UNKNOWN\\' = 0, \\'XUHUI\\' = 2)\t\t\t\n"
                    + "is_online\tUInt8\tALIAS\tdistrict IN (\\'XUHUI\\')\t\n"
                    + "note\tNullable(String)\t\t\t\n";

    @Test
    void columnTypesComeFromDescribeWithTheirEscapesUndone() {
        assertThat(RowBinaryTable.typesOf(DESCRIBE))
                .containsEntry("district", "Enum8('UNKNOWN' = 0, 'XUHUI' = 2)")
                .containsEntry("note", "Nullable(String)")
                .hasSize(4);
    }

    @Test
    void rowsAreTheirColumnsInInsertOrder() throws IOException {
        RowBinaryTable table =
                RowBinaryTable.of(List.of("note", "id", "district"), DESCRIBE).orElseThrow();
        Object[] row = {null, 1L, "XUHUI"};
        assertThat(table.problem(row)).isNull();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        RowBinaryOutput out = new RowBinaryOutput();
        out.start(body);
        table.write(List.of(row, row), out);
        out.finish();
        String one = "01" + "0100000000000000" + "02";
        assertThat(HexFormat.of().formatHex(body.toByteArray())).isEqualTo(one + one);
        assertThat(table.problem(new Object[] {null, 1L, "ATLANTIS"}))
                .startsWith("column district: Unknown element 'ATLANTIS'");
    }

    @Test
    void aTableWithAnUncoveredOrMissingColumnHasNoRowBinaryForm() {
        String withUuid = DESCRIBE + "ref\tUUID\t\t\t\n";
        assertThat(RowBinaryTable.of(List.of("id", "ref"), withUuid)).isEmpty();
        assertThat(RowBinaryTable.uncovered(List.of("id", "ref"), withUuid)).isEqualTo("ref UUID");
        assertThat(RowBinaryTable.of(List.of("id", "nope"), DESCRIBE)).isEmpty();
    }

    @Test
    void errorCodesAreReadFromTheMessageWhenTheServerSendsNoCodeHeader() {
        // 18.16's answers, as its HTTP interface sends them (no X-ClickHouse-Exception-Code)
        ServerException unknownFormat =
                new ServerException(
                        0,
                        "Code: 73, e.displayText() = DB::Exception: Unknown format RowBinaryX,"
                                + " e.what() = DB::Exception",
                        500,
                        "q");
        ServerException tooManyParts =
                new ServerException(
                        0,
                        "Code: 252, e.displayText() = DB::Exception: Too many parts (300).",
                        500,
                        "q");
        ServerException badRow =
                new ServerException(
                        0,
                        "Code: 36, e.displayText() = DB::Exception: Unknown element 'ATLANTIS'",
                        500,
                        "q");
        assertThat(InsertError.isUnsupportedFormat(unknownFormat)).isTrue();
        assertThat(InsertError.isUnsupportedFormat(new RuntimeException("wrapped", badRow)))
                .isFalse();
        assertThat(InsertError.classify(tooManyParts)).isEqualTo(InsertError.TRANSIENT);
        assertThat(InsertError.classify(badRow)).isEqualTo(InsertError.REJECTED_DATA);
        assertThat(
                        InsertError.classify(
                                new ServerException(
                                        0,
                                        "Code: 60, DB::Exception: Table x doesn't exist",
                                        404,
                                        "q")))
                .isEqualTo(InsertError.FATAL);
        assertThat(InsertError.classify(new java.net.ConnectException("refused")))
                .isEqualTo(InsertError.TRANSIENT);
    }
}
