package org.lifelongpulse.ops.clickhouse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.lifelongpulse.contracts.ClickHouseDdl;

/**
 * One versioned DDL file of {@code schemas/clickhouse/}, named {@code V<n>__<what>.sql}. Statements
 * end with a {@code ;} at the end of a line.
 */
public record Migration(int version, String name, String sql) {

    /** SHA-256 of the file, so that an edited, already applied migration is noticed. */
    public String checksum() {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(sql.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public List<String> statements() {
        return split(sql);
    }

    /** Splits a script at line-ending semicolons, dropping parts that hold only comments. */
    public static List<String> split(String script) {
        return ClickHouseDdl.statements(script);
    }

    /** Replaces {@code ${NAME}} placeholders; an unknown name is an error. */
    public static String substitute(String sql, Map<String, String> values) {
        Matcher m = Pattern.compile("\\$\\{([A-Z0-9_]+)}").matcher(sql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("no value for ${" + m.group(1) + "}");
            }
            m.appendReplacement(
                    out, Matcher.quoteReplacement(value.replace("\\", "\\\\").replace("'", "\\'")));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The migrations packaged under {@code clickhouse/} on the classpath, in version order. */
    public static List<Migration> packaged() {
        return ClickHouseDdl.migrations().stream()
                .map(m -> new Migration(m.version(), m.name(), m.sql()))
                .toList();
    }

    /** A packaged resource's text, e.g. {@code clickhouse/users/current-releases.sql}. */
    public static String resource(String path) {
        try (InputStream in = Migration.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
