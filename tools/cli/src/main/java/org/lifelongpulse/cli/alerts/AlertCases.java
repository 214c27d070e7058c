package org.lifelongpulse.cli.alerts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads alerts and their cases from ClickHouse: the latest state from {@code pulse.risk_alerts},
 * every version from {@code pulse.alert_versions}, the supervisors' actions from {@code
 * pulse.alert_actions} (all read with FINAL). The SQL runs on ClickHouse 18.16 and current
 * releases: one join per SELECT, times as epoch seconds.
 */
public final class AlertCases {

    /** One version of an alert, as the job emitted it. */
    public record Version(
            long version,
            String status,
            String severity,
            Instant firstDetectedAt,
            Instant lastDetectedAt,
            double observed,
            double threshold,
            String evidence) {}

    /** One supervisor's action on an alert. */
    public record Action(
            Instant actedAt,
            String action,
            String actor,
            String assignee,
            String text,
            long alertVersion,
            String actionId) {}

    private static final String CASES =
            """
            SELECT a.alert_id, a.rule_id, a.institution_id, i.name, a.district, a.severity,
                   a.status, a.first_s, a.last_s, a.version, a.shadow, a.evidence,
                   a.acknowledged_by, a.assignee, a.last_note, a.closed_by, a.close_reason,
                   a.closed_s
            FROM
            (
                SELECT alert_id, rule_id, institution_id, district, severity, status, first_s,
                       last_s, version, shadow, evidence, acknowledged_by, assignee, last_note,
                       closed_by, close_reason, closed_s
                FROM
                (
                    SELECT alert_id, rule_id, institution_id, toString(district) AS district,
                           toString(severity) AS severity, toString(status) AS status,
                           toUInt32(first_detected_at) AS first_s,
                           toUInt32(last_detected_at) AS last_s, version, shadow, evidence
                    FROM pulse.risk_alerts FINAL
                    WHERE %s
                )
                ANY LEFT JOIN
                (
                    SELECT alert_id,
                           argMinIf(actor, acted_at, action = 'ACK') AS acknowledged_by,
                           argMaxIf(assignee, acted_at, action = 'ASSIGN') AS assignee,
                           argMaxIf(text, acted_at, action = 'NOTE') AS last_note,
                           argMinIf(actor, acted_at, action = 'CLOSE') AS closed_by,
                           argMinIf(text, acted_at, action = 'CLOSE') AS close_reason,
                           toUInt32(minIf(acted_at, action = 'CLOSE')) AS closed_s
                    FROM pulse.alert_actions FINAL
                    GROUP BY alert_id
                ) USING alert_id
            ) AS a
            ANY LEFT JOIN
            (
                SELECT institution_id, name
                FROM pulse.institutions FINAL
            ) AS i USING institution_id
            """;

    private final Function<String, List<List<String>>> rows;

    /**
     * @param rows runs a query and returns its rows as unescaped text fields (the reader account's
     *     {@code ClickHouseHttp::rows})
     */
    public AlertCases(Function<String, List<List<String>>> rows) {
        this.rows = rows;
    }

    /**
     * Every enforced alert with its case, narrowed by rule, district and institution (null: any).
     */
    public List<AlertCase> enforced(String rule, String district, String institution) {
        StringBuilder where = new StringBuilder("shadow = 0");
        if (rule != null) {
            where.append(" AND rule_id = ").append(sqlString(rule));
        }
        if (district != null) {
            where.append(" AND district = ").append(sqlString(district));
        }
        if (institution != null) {
            where.append(" AND institution_id = ").append(sqlString(institution));
        }
        return cases(where.toString());
    }

    /** One alert, enforced or shadow, with its case. */
    public Optional<AlertCase> find(String alertId) {
        return cases("alert_id = " + sqlString(alertId)).stream().findFirst();
    }

    /** Every version of an alert, the first first. */
    public List<Version> versions(String alertId) {
        List<Version> out = new ArrayList<>();
        for (List<String> r :
                rows.apply(
                        "SELECT version, toString(status), toString(severity),"
                                + " toUInt32(first_detected_at), toUInt32(last_detected_at),"
                                + " observed, threshold, evidence"
                                + " FROM pulse.alert_versions FINAL WHERE alert_id = "
                                + sqlString(alertId)
                                + " ORDER BY version")) {
            out.add(
                    new Version(
                            Long.parseLong(r.get(0)),
                            r.get(1),
                            r.get(2),
                            seconds(r.get(3)),
                            seconds(r.get(4)),
                            Double.parseDouble(r.get(5)),
                            Double.parseDouble(r.get(6)),
                            r.get(7)));
        }
        return out;
    }

    /** Every action on an alert, in the order they were recorded. */
    public List<Action> actions(String alertId) {
        List<Action> out = new ArrayList<>();
        for (List<String> r :
                rows.apply(
                        "SELECT toUInt32(acted_at), toString(action), actor, assignee, text,"
                                + " alert_version, action_id"
                                + " FROM pulse.alert_actions FINAL WHERE alert_id = "
                                + sqlString(alertId)
                                + " ORDER BY acted_at, action_id")) {
            out.add(
                    new Action(
                            seconds(r.get(0)),
                            r.get(1),
                            r.get(2),
                            r.get(3),
                            r.get(4),
                            Long.parseLong(r.get(5)),
                            r.get(6)));
        }
        return out;
    }

    /** The query for the cases of the alerts matching a condition on risk_alerts. */
    static String casesSql(String where) {
        return CASES.formatted(where);
    }

    private List<AlertCase> cases(String where) {
        List<AlertCase> out = new ArrayList<>();
        for (List<String> r : rows.apply(casesSql(where))) {
            long closed = Long.parseLong(r.get(17));
            out.add(
                    new AlertCase(
                            r.get(0),
                            r.get(1),
                            r.get(2),
                            r.get(3),
                            r.get(4),
                            r.get(5),
                            r.get(6),
                            seconds(r.get(7)),
                            seconds(r.get(8)),
                            Long.parseLong(r.get(9)),
                            !r.get(10).equals("0"),
                            r.get(11),
                            r.get(12),
                            r.get(13),
                            r.get(14),
                            r.get(15),
                            r.get(16),
                            r.get(15).isEmpty() ? null : Instant.ofEpochSecond(closed)));
        }
        return out;
    }

    private static Instant seconds(String field) {
        return Instant.ofEpochSecond(Long.parseLong(field));
    }

    /** A ClickHouse string literal: quotes and backslashes escaped, so any text stays text. */
    public static String sqlString(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
