package org.lifelongpulse.ops.clickhouse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One versioned DDL file of {@code schemas/clickhouse/}, named {@code V<n>__<what>.sql}.
 * Statements end with a {@code ;} at the end of a line.
 */
public record Migration(int version, String name, String sql) {

    private static final Pattern FILE_NAME = Pattern.compile("V(\\d+)__(.+)\\.sql");
    private static final Pattern STATEMENT_END = Pattern.compile(";[ \\t]*(\\r?\\n|$)");

    /** SHA-256 of the file, so that an edited, already applied migration is noticed. */
    public String checksum() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
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
        List<String> statements = new ArrayList<>();
        for (String part : STATEMENT_END.split(script)) {
            String withoutComments = Arrays.stream(part.split("\n"))
                    .filter(line -> !line.strip().startsWith("--"))
                    .reduce("", (a, b) -> a + b + "\n").strip();
            if (!withoutComments.isEmpty()) {
                statements.add(part.strip());
            }
        }
        return statements;
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
            m.appendReplacement(out, Matcher.quoteReplacement(
                    value.replace("\\", "\\\\").replace("'", "\\'")));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The migrations packaged under {@code clickhouse/} on the classpath, in version order. */
    public static List<Migration> packaged() {
        List<Migration> migrations = new ArrayList<>();
        for (Path file : listResources("clickhouse")) {
            Matcher m = FILE_NAME.matcher(file.getFileName().toString());
            if (m.matches()) {
                try {
                    migrations.add(new Migration(Integer.parseInt(m.group(1)),
                            m.group(2).replace('_', ' '), Files.readString(file)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        migrations.sort((a, b) -> Integer.compare(a.version, b.version));
        for (int i = 1; i < migrations.size(); i++) {
            if (migrations.get(i).version == migrations.get(i - 1).version) {
                throw new IllegalStateException("two migrations have version "
                        + migrations.get(i).version);
            }
        }
        return migrations;
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

    private static List<Path> listResources(String dir) {
        URL url = Migration.class.getClassLoader().getResource(dir);
        if (url == null) {
            throw new IllegalStateException(dir + "/ is not on the classpath; is pulse-schemas?");
        }
        try {
            URI uri = url.toURI();
            if (uri.getScheme().equals("jar")) {
                FileSystem fs;
                try {
                    fs = FileSystems.getFileSystem(uri);
                } catch (FileSystemNotFoundException e) {
                    fs = FileSystems.newFileSystem(uri, Map.of());
                }
                return list(fs.provider().getPath(uri));
            }
            return list(Path.of(uri));
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("cannot list " + url, e);
        }
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }
}
