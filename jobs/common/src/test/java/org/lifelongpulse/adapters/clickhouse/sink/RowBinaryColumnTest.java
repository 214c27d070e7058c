package org.lifelongpulse.adapters.clickhouse.sink;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RowBinary bytes of each column type, against encodings worked out by hand. */
class RowBinaryColumnTest {

    private static final String DISTRICT = "Enum8('UNKNOWN' = 0, 'XUHUI' = 2, 'it\\'s' = -3)";

    @Test
    void stringsAreTheirUtf8LengthAsVarUIntThenTheirBytes() throws IOException {
        assertThat(hex("String", "")).isEqualTo("00");
        assertThat(hex("String", "é")).isEqualTo("02c3a9");
        assertThat(hex("String", "🎓")).isEqualTo("04f09f8e93");
        assertThat(hex("LowCardinality(String)", "ab")).isEqualTo("026162");
        // 300 = 0b1_0010_1100: low seven bits 0x2c with the continuation bit, then 0x02
        assertThat(hex("String", "x".repeat(300))).startsWith("ac0278").hasSize(2 * 302);
        assertThat(hex("FixedString(4)", "ab")).isEqualTo("61620000");
    }

    @Test
    void integersAreLittleEndianOfTheirWidth() throws IOException {
        assertThat(hex("UInt8", 255)).isEqualTo("ff");
        assertThat(hex("UInt16", 65_535)).isEqualTo("ffff");
        assertThat(hex("UInt16", 300)).isEqualTo("2c01");
        assertThat(hex("UInt32", 4_294_967_295L)).isEqualTo("ffffffff");
        assertThat(hex("Int32", -2)).isEqualTo("feffffff");
        assertThat(hex("Int64", Long.MIN_VALUE)).isEqualTo("0000000000000080");
        assertThat(hex("UInt64", Long.MAX_VALUE)).isEqualTo("ffffffffffffff7f");
        assertThat(hex("UInt64", new java.math.BigInteger("18446744073709551615")))
                .isEqualTo("ffffffffffffffff");
        assertThat(hex("UInt8", true)).isEqualTo("01");
    }

    @Test
    void floatsAreIeee754LittleEndian() throws IOException {
        // -2.5 = -1.25 × 2^1: sign 1, exponent 1024 (0x400), mantissa 0x4000000000000
        assertThat(hex("Float64", -2.5)).isEqualTo("00000000000004c0");
        assertThat(hex("Float32", 1.0)).isEqualTo("0000803f");
    }

    @Test
    void nullableIsAFlagByteBeforeTheValue() throws IOException {
        assertThat(hex("Nullable(Int32)", null)).isEqualTo("01");
        assertThat(hex("Nullable(Int32)", 5)).isEqualTo("0005000000");
        assertThat(hex("Nullable(String)", "")).isEqualTo("0000");
    }

    @Test
    void enumsAreTheNumberOfTheirName() throws IOException {
        assertThat(hex(DISTRICT, "XUHUI")).isEqualTo("02");
        assertThat(hex(DISTRICT, "it's")).isEqualTo("fd");
        assertThat(hex(DISTRICT, 2)).isEqualTo("02");
        assertThat(hex("Nullable(" + DISTRICT + ")", "UNKNOWN")).isEqualTo("0000");
        assertThat(hex("Enum16('A' = 1000)", "A")).isEqualTo("e803");
    }

    @Test
    void timesAreSecondsOrTicksSinceTheEpoch() throws IOException {
        // 1,700,000,000 = 0x6553F100; the milliseconds are cut, as the text path's epoch seconds
        assertThat(hex("DateTime('Asia/Shanghai')", Instant.ofEpochMilli(1_700_000_000_999L)))
                .isEqualTo("00f15365");
        assertThat(hex("DateTime", 1)).isEqualTo("01000000");
        assertThat(hex("DateTime64(3, 'UTC')", Instant.ofEpochMilli(1_500)))
                .isEqualTo("dc05000000000000");
        assertThat(hex("Date", java.time.LocalDate.of(1970, 1, 2))).isEqualTo("0100");
    }

    @Test
    void arraysAreTheirSizeThenTheirElements() throws IOException {
        assertThat(hex("Array(String)", List.of("a", ""))).isEqualTo("02016100");
        assertThat(hex("Array(String)", List.of())).isEqualTo("00");
        assertThat(hex("Array(Nullable(UInt8))", java.util.Arrays.asList(null, 1)))
                .isEqualTo("02010001");
    }

    @Test
    void decimalsAreTheirUnscaledValue() throws IOException {
        // -1.50 at scale 2 is -150 = 0xFF..FF6A
        assertThat(hex("Decimal(18, 2)", new BigDecimal("-1.5"))).isEqualTo("6affffffffffffff");
        assertThat(hex("Decimal32(1)", 3L)).isEqualTo("1e000000");
        assertThat(hex("Decimal(38, 0)", BigDecimal.ONE))
                .isEqualTo("01000000000000000000000000000000");
    }

    @Test
    void valuesThatCannotBeWrittenAreNamedBeforeAnythingIsSent() {
        assertThat(problem(DISTRICT, "ATLANTIS"))
                .isEqualTo("Unknown element 'ATLANTIS' for type " + DISTRICT);
        assertThat(problem(DISTRICT, 7)).startsWith("Unexpected value 7");
        assertThat(problem("UInt8", 256)).isEqualTo("Value 256 is out of range of UInt8");
        assertThat(problem("UInt64", -1L)).isEqualTo("Value -1 is out of range of UInt64");
        assertThat(problem("Int32", 1L << 31)).contains("out of range");
        assertThat(problem("Int8", -129)).isEqualTo("Value -129 is out of range of Int8");
        assertThat(problem("Int16", (short) -32768)).isNull();
        assertThat(problem("UInt8", true)).isNull();
        assertThat(problem("UInt8", (byte) -1)).isEqualTo("Value -1 is out of range of UInt8");
        assertThat(problem("Int64", Long.MIN_VALUE)).isNull();
        assertThat(problem("UInt64", Long.MAX_VALUE)).isNull();
        assertThat(problem("UInt64", BigInteger.ONE.shiftLeft(64)))
                .isEqualTo("Value 18446744073709551616 is out of range of UInt64");
        assertThat(problem("Int64", BigInteger.ONE.shiftLeft(63))).contains("out of range");
        assertThat(problem("String", null)).contains("NULL");
        assertThat(problem("Nullable(String)", null)).isNull();
        assertThat(problem("DateTime", Instant.ofEpochSecond(-1))).contains("out of range");
        assertThat(problem("DateTime", "2024-01-01 00:00:00")).startsWith("cannot write a String");
        assertThat(problem("Array(String)", java.util.Arrays.asList("a", null))).contains("NULL");
        assertThat(problem("FixedString(2)", "abc")).contains("Too large");
        assertThat(problem("Decimal(18, 2)", new BigDecimal("0.001"))).contains("decimals");
        assertThat(problem("Decimal(4, 2)", new BigDecimal("100"))).contains("out of range");
    }

    @Test
    void typesWithoutAWriterAreNotCovered() {
        assertThat(RowBinaryColumn.of("UUID")).isEmpty();
        assertThat(RowBinaryColumn.of("Map(String, UInt64)")).isEmpty();
        assertThat(RowBinaryColumn.of("Nullable(IPv4)")).isEmpty();
        assertThat(RowBinaryColumn.of("AggregateFunction(uniq, String)")).isEmpty();
    }

    @Test
    void longStringsCrossTheBufferAndStayWhole() throws IOException {
        String big = "学".repeat(RowBinaryOutput.CAPACITY) + "end";
        byte[] expected = big.getBytes(UTF_8);
        String out = hex("String", big);
        assertThat(out).endsWith(HexFormat.of().formatHex(expected));
        assertThat(RowBinaryOutput.utf8Length(big)).isEqualTo(expected.length);
        String lone = "a\uD800b";
        assertThat(RowBinaryOutput.utf8Length(lone)).isEqualTo(lone.getBytes(UTF_8).length);
        assertThat(hex("String", lone))
                .isEqualTo("03" + HexFormat.of().formatHex(lone.getBytes(UTF_8)));
    }

    private static String problem(String type, Object value) {
        return RowBinaryColumn.of(type).orElseThrow().problem(value);
    }

    private static String hex(String type, Object value) throws IOException {
        RowBinaryColumn column = RowBinaryColumn.of(type).orElseThrow();
        assertThat(column.problem(value)).as("problem of %s", value).isNull();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        RowBinaryOutput out = new RowBinaryOutput();
        out.start(body);
        column.write(value, out);
        out.finish();
        return HexFormat.of().formatHex(body.toByteArray());
    }
}
