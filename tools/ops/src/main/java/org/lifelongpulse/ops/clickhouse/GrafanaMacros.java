package org.lifelongpulse.ops.clickhouse;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns the SQL of a Grafana panel written for the ClickHouse data source plugin (v4, {@code
 * grafana-clickhouse-datasource}) into the SQL ClickHouse finally receives, for a fixed time range,
 * interval and variable selection. The dashboards' test runs every panel through it, and {@code
 * ./pulse snapshot} renders panels with it, so both see what Grafana would send.
 *
 * <p>Expansion happens in Grafana's order:
 *
 * <ol>
 *   <li>the plugin's front end: {@code $__conditionalAll(condition, $var)} becomes {@code 1=1} when
 *       {@code $var} is "All" (or empty), else the condition;
 *   <li>Grafana's template service: {@code ${var}}, {@code ${var:format}}, {@code $var}, {@code
 *       [[var]]} and the built-ins {@code $__from}, {@code $__to} (epoch millis), {@code
 *       $__interval}, {@code $__interval_ms}, {@code $__range_s};
 *   <li>the plugin's back end (Go, {@code pkg/macros/macros.go}):
 *       <ul>
 *         <li>{@code $__timeFilter(c)} → {@code c >= toDateTime(FROM_S) AND c <= toDateTime(TO_S)}:
 *             for DateTime columns (also {@code DateTime('Asia/Shanghai')}: the comparison is on
 *             the instant, so the column's time zone does not matter);
 *         <li>{@code $__timeFilter_ms(c)}: the same with {@code fromUnixTimestamp64Milli(ms)}, for
 *             DateTime64 (absent on ClickHouse 18.16, so unused here);
 *         <li>{@code $__dateFilter(c)} → {@code c >= toDate('yyyy-MM-dd') AND c <= toDate(...)}
 *             with UTC dates, for Date columns; {@code $__dateTimeFilter(d, t)} (alias {@code
 *             $__dt}) → both;
 *         <li>{@code $__fromTime} / {@code $__toTime} → {@code toDateTime(seconds)}; {@code
 *             $__fromTime_ms} / {@code $__toTime_ms} → {@code fromUnixTimestamp64Milli};
 *         <li>{@code $__timeInterval(c)} → {@code toStartOfInterval(toDateTime(c), INTERVAL n
 *             second)} and {@code $__timeInterval_ms(c)}: both need {@code toStartOfInterval},
 *             which ClickHouse 18.16 lacks, so the dashboards bucket with {@code $__interval_s}
 *             instead;
 *         <li>{@code $__interval_s} → the interval in whole seconds, at least 1.
 *       </ul>
 * </ol>
 *
 * An unknown {@code $__macro} or an undefined variable is an error, so that a dashboard cannot use
 * something this class does not mirror.
 */
public final class GrafanaMacros {

    /**
     * One dashboard variable's selection.
     *
     * @param name the variable's name, as written after {@code $}
     * @param values the selected values; with "All", every option (Grafana without a custom all
     *     value substitutes the whole option list)
     * @param all whether "All" is selected
     */
    public record Variable(String name, List<String> values, boolean all) {

        public Variable {
            values = List.copyOf(values);
        }

        /** "All" selected, standing for these options. */
        public static Variable all(String name, List<String> options) {
            return new Variable(name, options, true);
        }

        /** These values selected. */
        public static Variable of(String name, String... values) {
            return new Variable(name, List.of(values), false);
        }
    }

    private static final Pattern CONDITIONAL_ALL = Pattern.compile("\\$__conditionalAll\\(");
    private static final Pattern TEMPLATE_VARIABLE =
            Pattern.compile("\\$\\{(\\w+)(?::(\\w+))?}|\\[\\[(\\w+)(?::(\\w+))?]]|\\$(\\w+)");
    private static final Pattern PLUGIN_MACRO = Pattern.compile("\\$__(\\w+)");
    private static final Pattern VARIABLE_REFERENCE = Pattern.compile("\\$\\{?(\\w+)");
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);
    private static final List<Duration> NICE_INTERVALS =
            List.of(
                    Duration.ofMinutes(1),
                    Duration.ofMinutes(2),
                    Duration.ofMinutes(5),
                    Duration.ofMinutes(10),
                    Duration.ofMinutes(15),
                    Duration.ofMinutes(30),
                    Duration.ofHours(1),
                    Duration.ofHours(2),
                    Duration.ofHours(3),
                    Duration.ofHours(6),
                    Duration.ofHours(12),
                    Duration.ofDays(1),
                    Duration.ofDays(7));

    private final Instant from;
    private final Instant to;
    private final Duration interval;
    private final Map<String, Variable> variables = new LinkedHashMap<>();

    /**
     * @param from start of the time range (Grafana's time picker)
     * @param to end of the time range
     * @param interval the panel's interval ({@code $__interval}), e.g. from {@link
     *     #intervalFor(Instant, Instant, int)}
     * @param variables the dashboard variables' selections
     */
    public GrafanaMacros(
            Instant from, Instant to, Duration interval, Collection<Variable> variables) {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("time range " + from + " .. " + to + " is empty");
        }
        this.from = from;
        this.to = to;
        this.interval = interval;
        variables.forEach(v -> this.variables.put(v.name(), v));
    }

    /**
     * An interval like Grafana's automatic one: the range divided into at most {@code
     * maxDataPoints} buckets, rounded up to a round duration; never below one minute, because the
     * result tables hold minutes.
     */
    public static Duration intervalFor(Instant from, Instant to, int maxDataPoints) {
        Duration raw = Duration.between(from, to).dividedBy(Math.max(1, maxDataPoints));
        for (Duration nice : NICE_INTERVALS) {
            if (nice.compareTo(raw) >= 0) {
                return nice;
            }
        }
        return NICE_INTERVALS.get(NICE_INTERVALS.size() - 1);
    }

    public Instant from() {
        return from;
    }

    public Instant to() {
        return to;
    }

    public Duration interval() {
        return interval;
    }

    /** The SQL ClickHouse would receive from Grafana for {@code sql}. */
    public String expand(String sql) {
        return pluginMacros(templateVariables(conditionalAll(sql)));
    }

    /** The plugin front end's {@code $__conditionalAll}, innermost (last) first, as it does. */
    private String conditionalAll(String sql) {
        String out = sql;
        while (true) {
            int start = -1;
            Matcher m = CONDITIONAL_ALL.matcher(out);
            while (m.find()) {
                start = m.start();
            }
            if (start < 0) {
                return out;
            }
            int open = out.indexOf('(', start);
            int close = matchingParenthesis(out, open);
            List<String> args = splitArguments(out.substring(open + 1, close));
            if (args.size() != 2) {
                throw new IllegalArgumentException(
                        "$__conditionalAll takes (condition, $variable),"
                                + " got: "
                                + out.substring(start, close + 1));
            }
            Matcher ref = VARIABLE_REFERENCE.matcher(args.get(1).strip());
            if (!ref.lookingAt()) {
                throw new IllegalArgumentException(
                        "second argument of $__conditionalAll must be"
                                + " a variable: "
                                + args.get(1));
            }
            Variable variable = variable(ref.group(1));
            boolean unrestricted =
                    variable.all()
                            || variable.values().isEmpty()
                            || variable.values().equals(List.of(""));
            String phrase = unrestricted ? "1=1" : args.get(0).strip();
            out = out.substring(0, start) + phrase + out.substring(close + 1);
        }
    }

    /** Grafana's template service: dashboard variables and the built-in time variables. */
    private String templateVariables(String sql) {
        Matcher m = TEMPLATE_VARIABLE.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name =
                    m.group(1) != null ? m.group(1) : m.group(3) != null ? m.group(3) : m.group(5);
            String format = m.group(2) != null ? m.group(2) : m.group(4);
            String value = builtIn(name);
            if (value == null && name.startsWith("__")) {
                value = m.group(); // a plugin macro: the back end expands it
            } else if (value == null) {
                value = format(variable(name), format);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private String builtIn(String name) {
        return switch (name) {
            case "__from" -> Long.toString(from.toEpochMilli());
            case "__to" -> Long.toString(to.toEpochMilli());
            case "__interval_ms" -> Long.toString(interval.toMillis());
            case "__interval" -> grafanaDuration(interval);
            case "__range_s" -> Long.toString(Duration.between(from, to).toSeconds());
            default -> null;
        };
    }

    /** A variable's values in one of Grafana's formats; none = the plugin's own format. */
    private static String format(Variable variable, String format) {
        List<String> values = variable.values();
        if (format == null) {
            // The plugin formats multi-value selections as a quoted list, single values raw.
            return values.size() == 1 ? values.get(0) : quoted(values, "'", "\\'");
        }
        return switch (format) {
            case "singlequote" -> quoted(values, "'", "\\'");
            case "doublequote" -> quoted(values, "\"", "\\\"");
            case "sqlstring" -> quoted(values, "'", "''");
            case "csv" -> String.join(",", values);
            case "raw" -> String.join(",", values);
            default ->
                    throw new IllegalArgumentException(
                            "variable format :"
                                    + format
                                    + " is not mirrored (use singlequote, doublequote, sqlstring,"
                                    + " csv or raw)");
        };
    }

    private static String quoted(List<String> values, String quote, String escapedQuote) {
        return values.stream()
                .map(v -> quote + v.replace(quote, escapedQuote) + quote)
                .collect(Collectors.joining(","));
    }

    /** The plugin back end's macros, as in its {@code pkg/macros/macros.go}. */
    private String pluginMacros(String sql) {
        StringBuilder out = new StringBuilder();
        int done = 0;
        Matcher m = PLUGIN_MACRO.matcher(sql);
        while (m.find(done)) {
            out.append(sql, done, m.start());
            String name = m.group(1);
            List<String> args = List.of();
            int end = m.end();
            if (end < sql.length() && sql.charAt(end) == '(') {
                int close = matchingParenthesis(sql, end);
                args =
                        splitArguments(sql.substring(end + 1, close)).stream()
                                .map(String::strip)
                                .toList();
                end = close + 1;
            }
            out.append(pluginMacro(name, args));
            done = end;
        }
        out.append(sql.substring(done));
        return out.toString();
    }

    private String pluginMacro(String name, List<String> args) {
        long fromS = from.getEpochSecond();
        long toS = to.getEpochSecond();
        long seconds = Math.max(interval.toSeconds(), 1);
        return switch (name) {
            case "timeFilter" ->
                    between(
                            one(name, args),
                            "toDateTime(" + fromS + ")",
                            "toDateTime(" + toS + ")");
            case "timeFilter_ms" -> between(one(name, args), millis(from), millis(to));
            case "dateFilter" -> between(one(name, args), date(from), date(to));
            case "dateTimeFilter", "dt" -> {
                if (args.size() != 2) {
                    throw new IllegalArgumentException("$__" + name + " takes 2 arguments");
                }
                yield "("
                        + between(args.get(0), date(from), date(to))
                        + ") AND ("
                        + between(
                                args.get(1), "toDateTime(" + fromS + ")", "toDateTime(" + toS + ")")
                        + ")";
            }
            case "fromTime" -> "toDateTime(" + fromS + ")";
            case "toTime" -> "toDateTime(" + toS + ")";
            case "fromTime_ms" -> millis(from);
            case "toTime_ms" -> millis(to);
            case "timeInterval" ->
                    "toStartOfInterval(toDateTime("
                            + one(name, args)
                            + "), INTERVAL "
                            + seconds
                            + " second)";
            case "timeInterval_ms" ->
                    "toStartOfInterval(toDateTime64("
                            + one(name, args)
                            + ", 3), INTERVAL "
                            + Math.max(interval.toMillis(), 1)
                            + " millisecond)";
            case "interval_s" -> Long.toString(seconds);
            default ->
                    throw new IllegalArgumentException(
                            "$__"
                                    + name
                                    + " is not a macro of the ClickHouse plugin v4 that this"
                                    + " expander mirrors");
        };
    }

    private static String one(String name, List<String> args) {
        if (args.size() != 1) {
            throw new IllegalArgumentException(
                    "$__" + name + " takes 1 argument, got " + args.size());
        }
        return args.get(0);
    }

    private static String between(String column, String low, String high) {
        return column + " >= " + low + " AND " + column + " <= " + high;
    }

    private static String millis(Instant t) {
        return "fromUnixTimestamp64Milli(" + t.toEpochMilli() + ")";
    }

    private static String date(Instant t) {
        return "toDate('" + DATE.format(t) + "')";
    }

    private Variable variable(String name) {
        Variable variable = variables.get(name);
        if (variable == null) {
            throw new IllegalArgumentException("no value for dashboard variable $" + name);
        }
        return variable;
    }

    /** Grafana's short form of an interval: 30s, 5m, 2h, 1d. */
    static String grafanaDuration(Duration d) {
        long s = d.toSeconds();
        if (s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        if (s % 3_600 == 0) {
            return s / 3_600 + "h";
        }
        if (s % 60 == 0) {
            return s / 60 + "m";
        }
        return s > 0 ? s + "s" : d.toMillis() + "ms";
    }

    private static int matchingParenthesis(String s, int open) {
        int depth = 0;
        boolean quoted = false;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'' && (i == 0 || s.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            } else if (!quoted && c == '(') {
                depth++;
            } else if (!quoted && c == ')' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException(
                "unbalanced parentheses after: " + s.substring(Math.max(0, open - 20)));
    }

    /** Splits at commas outside parentheses and quotes. */
    private static List<String> splitArguments(String args) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < args.length(); i++) {
            char c = args.charAt(i);
            if (c == '\'' && (i == 0 || args.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            } else if (!quoted && c == '(') {
                depth++;
            } else if (!quoted && c == ')') {
                depth--;
            } else if (!quoted && depth == 0 && c == ',') {
                out.add(args.substring(start, i));
                start = i + 1;
            }
        }
        out.add(args.substring(start));
        return out;
    }
}
