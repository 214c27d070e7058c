package org.lifelongpulse.contracts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The ClickHouse DDL of {@code schemas/clickhouse/} as data: the migrations packaged on the
 * classpath, in version order, and the tables (names and columns) they leave behind when applied in
 * that order. The migrator applies the files; the jobs' tests compare their table catalogues with
 * {@link #tables()}, so that a column list in Java cannot drift from the SQL.
 *
 * <p>Understood: {@code CREATE TABLE}, {@code DROP TABLE}, and {@code ALTER TABLE} with {@code ADD
 * COLUMN} (also {@code FIRST} / {@code AFTER c}), {@code DROP COLUMN} and {@code RENAME COLUMN}.
 * Other statements leave the tables as they are.
 */
public final class ClickHouseDdl {

    /** One versioned file {@code V<n>__<what>.sql}. */
    public record Script(int version, String name, String sql) {}

    /** A column; an {@code ALIAS} or {@code MATERIALIZED} one is computed, never inserted. */
    public record Column(String name, boolean insertable) {}

    /** A table as the migrations leave it, columns in their order. */
    public record Table(String name, List<Column> columns) {

        /** The columns an {@code INSERT} may name, in table order. */
        public List<String> insertableColumns() {
            return columns.stream().filter(Column::insertable).map(Column::name).toList();
        }
    }

    private static final Pattern FILE_NAME = Pattern.compile("V(\\d+)__(.+)\\.sql");
    private static final Pattern STATEMENT_END = Pattern.compile(";[ \\t]*(\\r?\\n|$)");
    private static final Pattern CREATE_TABLE =
            Pattern.compile(
                    "(?is)CREATE\\s+TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?([\\w.`]+)\\s*\\((.*)");
    private static final Pattern DROP_TABLE =
            Pattern.compile("(?is)DROP\\s+TABLE\\s+(?:IF\\s+EXISTS\\s+)?([\\w.`]+).*");
    private static final Pattern ALTER_TABLE =
            Pattern.compile("(?is)ALTER\\s+TABLE\\s+([\\w.`]+)\\s+(.*)");
    private static final Pattern ADD_COLUMN =
            Pattern.compile(
                    "(?is)ADD\\s+COLUMN\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?(.*?)"
                            + "(?:\\s+(FIRST)|\\s+AFTER\\s+([\\w`]+))?");
    private static final Pattern DROP_COLUMN =
            Pattern.compile("(?is)DROP\\s+COLUMN\\s+(?:IF\\s+EXISTS\\s+)?([\\w`]+)");
    private static final Pattern RENAME_COLUMN =
            Pattern.compile(
                    "(?is)RENAME\\s+COLUMN\\s+(?:IF\\s+EXISTS\\s+)?([\\w`]+)\\s+TO\\s+([\\w`]+)");
    private static final Pattern COMPUTED = Pattern.compile("(?i)\\b(ALIAS|MATERIALIZED)\\b");

    private ClickHouseDdl() {}

    /** The migrations packaged under {@code clickhouse/} on the classpath, in version order. */
    public static List<Script> migrations() {
        List<Script> scripts = new ArrayList<>();
        for (Path file : listResources("clickhouse")) {
            Matcher m = FILE_NAME.matcher(file.getFileName().toString());
            if (m.matches()) {
                try {
                    scripts.add(
                            new Script(
                                    Integer.parseInt(m.group(1)),
                                    m.group(2).replace('_', ' '),
                                    Files.readString(file)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        scripts.sort((a, b) -> Integer.compare(a.version(), b.version()));
        for (int i = 1; i < scripts.size(); i++) {
            if (scripts.get(i).version() == scripts.get(i - 1).version()) {
                throw new IllegalStateException(
                        "two migrations have version " + scripts.get(i).version());
            }
        }
        return scripts;
    }

    /** The tables the packaged migrations leave, by fully qualified name. */
    public static Map<String, Table> tables() {
        return tables(migrations().stream().map(Script::sql).toList());
    }

    /** The table of that name the packaged migrations leave, if any. */
    public static Optional<Table> table(String qualifiedName) {
        return Optional.ofNullable(tables().get(qualifiedName));
    }

    /** The tables these scripts leave when applied in order. */
    public static Map<String, Table> tables(List<String> scripts) {
        Map<String, List<Column>> tables = new LinkedHashMap<>();
        for (String script : scripts) {
            for (String statement : statements(script)) {
                apply(tables, withoutComments(statement));
            }
        }
        Map<String, Table> out = new LinkedHashMap<>();
        tables.forEach((name, columns) -> out.put(name, new Table(name, List.copyOf(columns))));
        return out;
    }

    /** Splits a script at line-ending semicolons, dropping parts that hold only comments. */
    public static List<String> statements(String script) {
        List<String> statements = new ArrayList<>();
        for (String part : STATEMENT_END.split(script)) {
            if (!withoutComments(part).isEmpty()) {
                statements.add(part.strip());
            }
        }
        return statements;
    }

    private static void apply(Map<String, List<Column>> tables, String statement) {
        Matcher create = CREATE_TABLE.matcher(statement);
        if (create.matches()) {
            String body = create.group(2);
            List<Column> columns = new ArrayList<>();
            for (String definition : splitTopLevel(body.substring(0, closingParen(body)))) {
                column(definition).ifPresent(columns::add);
            }
            tables.putIfAbsent(unquote(create.group(1)), columns);
            return;
        }
        Matcher drop = DROP_TABLE.matcher(statement);
        if (drop.matches()) {
            tables.remove(unquote(drop.group(1)));
            return;
        }
        Matcher alter = ALTER_TABLE.matcher(statement);
        if (alter.matches() && tables.containsKey(unquote(alter.group(1)))) {
            List<Column> columns = tables.get(unquote(alter.group(1)));
            for (String action : splitTopLevel(alter.group(2))) {
                alterColumn(columns, action.strip());
            }
        }
    }

    private static void alterColumn(List<Column> columns, String action) {
        Matcher add = ADD_COLUMN.matcher(action);
        Matcher drop = DROP_COLUMN.matcher(action);
        Matcher rename = RENAME_COLUMN.matcher(action);
        if (add.matches()) {
            Column column = column(add.group(1)).orElseThrow();
            if (indexOf(columns, column.name()) >= 0) {
                return; // IF NOT EXISTS
            }
            if (add.group(2) != null) {
                columns.add(0, column);
            } else if (add.group(3) != null) {
                int after = indexOf(columns, unquote(add.group(3)));
                if (after < 0) {
                    throw new IllegalArgumentException(
                            "ADD COLUMN " + column.name() + " AFTER an unknown column: " + action);
                }
                columns.add(after + 1, column);
            } else {
                columns.add(column);
            }
        } else if (drop.matches()) {
            int at = indexOf(columns, unquote(drop.group(1)));
            if (at >= 0) {
                columns.remove(at);
            }
        } else if (rename.matches()) {
            int at = indexOf(columns, unquote(rename.group(1)));
            if (at >= 0) {
                columns.set(at, new Column(unquote(rename.group(2)), columns.get(at).insertable()));
            }
        }
    }

    /** A column definition, or empty for an index, constraint or projection. */
    private static Optional<Column> column(String definition) {
        String[] words = definition.strip().split("\\s+", 2);
        String first = words[0].toUpperCase(Locale.ROOT);
        if (words.length < 2
                || first.equals("INDEX")
                || first.equals("CONSTRAINT")
                || first.equals("PROJECTION")) {
            return Optional.empty();
        }
        boolean computed = COMPUTED.matcher(withoutQuotedText(words[1])).find();
        return Optional.of(new Column(unquote(words[0]), !computed));
    }

    private static int indexOf(List<Column> columns, String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** The index of the parenthesis closing an already opened one. */
    private static int closingParen(String text) {
        int depth = 1;
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            } else if (!quoted && c == '(') {
                depth++;
            } else if (!quoted && c == ')' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("unbalanced parentheses: " + text);
    }

    /** Splits at commas outside parentheses and quotes. */
    private static List<String> splitTopLevel(String text) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            } else if (!quoted && c == '(') {
                depth++;
            } else if (!quoted && c == ')') {
                depth--;
            } else if (!quoted && depth == 0 && c == ',') {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts.stream().map(String::strip).filter(p -> !p.isEmpty()).toList();
    }

    private static String withoutComments(String statement) {
        return Arrays.stream(statement.split("\n"))
                .map(line -> line.strip().startsWith("--") ? "" : line)
                .reduce("", (a, b) -> a + b + "\n")
                .strip();
    }

    private static String withoutQuotedText(String text) {
        return text.replaceAll("'[^']*'", "''");
    }

    private static String unquote(String name) {
        return name.replace("`", "");
    }

    private static List<Path> listResources(String dir) {
        URL url = ClickHouseDdl.class.getClassLoader().getResource(dir);
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
