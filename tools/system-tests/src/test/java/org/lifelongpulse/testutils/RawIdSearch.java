package org.lifelongpulse.testutils;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.lifelongpulse.adapters.clickhouse.ClickHouseException;
import org.lifelongpulse.avro.LearningActivity;
import org.lifelongpulse.avro.PrepaidTransaction;
import org.lifelongpulse.generator.Message;
import org.lifelongpulse.generator.World;
import org.lifelongpulse.ops.clickhouse.ClickHouseHttp;

/**
 * Looks for the generator's raw learner, payer and card ids in every column of every table an
 * account can read: the tables {@code system.tables} shows it outside the server's own {@code
 * system} database, each read with {@code SELECT *} as that account (a table it may not read is
 * reported as such). Every value is searched as text and, where it is base64 (the dead letters' raw
 * bytes), as the bytes it encodes.
 */
public final class RawIdSearch {

    private static final Pattern BASE64 =
            Pattern.compile("(?:[A-Za-z0-9+/]{4})+(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?");

    /**
     * @param readable the tables the account read, {@code db.table}
     * @param refused the tables {@code system.tables} listed that the account may not read
     * @param hits per table, the ids found in it
     */
    public record Result(
            Set<String> readable, Set<String> refused, Map<String, Set<String>> hits) {}

    private final Set<String> ids;
    private final int[] lengths;
    private final Set<Character> firstChars = new HashSet<>();

    private RawIdSearch(Set<String> ids) {
        this.ids = Set.copyOf(ids);
        this.lengths = ids.stream().mapToInt(String::length).distinct().sorted().toArray();
        ids.forEach(id -> firstChars.add(id.charAt(0)));
    }

    /** Every learner, payer and card id of the world's messages, invalid ones included. */
    public static Set<String> rawIds(World world) {
        Set<String> ids = new HashSet<>();
        for (Message m : world.messages()) {
            if (m.record() instanceof LearningActivity a) {
                add(ids, a.getLearnerId());
            } else if (m.record() instanceof PrepaidTransaction t) {
                add(ids, t.getPayerId());
                add(ids, t.getCardId());
            }
        }
        return ids;
    }

    /** Searches what {@code account} can read. */
    public static Result search(ClickHouseHttp account, Set<String> ids) {
        RawIdSearch search = new RawIdSearch(ids);
        Set<String> readable = new TreeSet<>();
        Set<String> refused = new TreeSet<>();
        Map<String, Set<String>> hits = new TreeMap<>();
        for (List<String> table :
                account.rows(
                        "SELECT database, name FROM system.tables WHERE database != 'system'"
                                + " ORDER BY database, name")) {
            String name = table.get(0) + ".`" + table.get(1) + "`";
            String body;
            try {
                body = account.query("SELECT * FROM " + name, "TabSeparated");
            } catch (ClickHouseException e) {
                refused.add(table.get(0) + "." + table.get(1));
                continue;
            }
            readable.add(table.get(0) + "." + table.get(1));
            Set<String> found = search.in(body);
            if (!found.isEmpty()) {
                hits.put(table.get(0) + "." + table.get(1), found);
            }
        }
        return new Result(readable, refused, hits);
    }

    /** The ids in one table, read as {@code account}. */
    public static Set<String> searchTable(ClickHouseHttp account, String table, Set<String> ids) {
        return new RawIdSearch(ids).in(account.query("SELECT * FROM " + table, "TabSeparated"));
    }

    /** The ids in a TabSeparated body, in its fields as text and as decoded base64. */
    private Set<String> in(String body) {
        Set<String> found = new TreeSet<>();
        for (String line : body.split("\n")) {
            for (String field : line.split("\t", -1)) {
                String value = ClickHouseHttp.unescape(field);
                scan(value, found);
                if (value.length() >= 8 && BASE64.matcher(value).matches()) {
                    scan(
                            new String(
                                    Base64.getDecoder().decode(value), StandardCharsets.ISO_8859_1),
                            found);
                }
            }
        }
        return found;
    }

    /** Every id that occurs anywhere in {@code text}. */
    private void scan(String text, Set<String> found) {
        for (int i = 0; i < text.length(); i++) {
            if (!firstChars.contains(text.charAt(i))) {
                continue;
            }
            for (int length : lengths) {
                if (i + length > text.length()) {
                    break;
                }
                String candidate = text.substring(i, i + length);
                if (ids.contains(candidate)) {
                    found.add(candidate);
                }
            }
        }
    }

    private static void add(Set<String> ids, String id) {
        if (id != null && !id.isBlank()) {
            ids.add(id);
        }
    }

    /** A few of a set, for a readable failure message. */
    public static List<String> sample(Set<String> values) {
        return new ArrayList<>(values).subList(0, Math.min(8, values.size()));
    }
}
