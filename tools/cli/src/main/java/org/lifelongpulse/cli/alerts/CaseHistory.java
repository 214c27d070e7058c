package org.lifelongpulse.cli.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ./pulse alerts show}: an alert's latest state, the timeline of its versions and the
 * supervisors' actions on it.
 */
public final class CaseHistory {

    private static final DateTimeFormatter ISO =
            DateTimeFormatter.ISO_OFFSET_DATE_TIME.withZone(ZoneId.of("Asia/Shanghai"));
    private static final ObjectMapper JSON = new ObjectMapper();

    private CaseHistory() {}

    /** The report for people; times Asia/Shanghai. */
    public static List<String> lines(
            AlertCase alert, List<AlertCases.Version> versions, List<AlertCases.Action> actions) {
        List<String> out = new ArrayList<>();
        out.add("alert        " + alert.alertId() + (alert.shadow() ? " (shadow)" : ""));
        out.add("rule         " + alert.ruleId());
        out.add(
                "institution  "
                        + alert.institutionId()
                        + (alert.institutionName().isEmpty()
                                ? ""
                                : " (" + alert.institutionName() + ")")
                        + ", "
                        + alert.district());
        out.add("severity     " + alert.severity());
        out.add("status       " + alert.status() + ", version " + alert.version());
        out.add(
                "detected     "
                        + CaseListing.TIME.format(alert.firstDetectedAt())
                        + " first, "
                        + CaseListing.TIME.format(alert.lastDetectedAt())
                        + " last (Asia/Shanghai)");
        out.add("evidence     " + alert.evidence());
        out.add(
                "case         "
                        + (alert.acknowledged()
                                ? "acknowledged by " + alert.acknowledgedBy()
                                : "not acknowledged")
                        + ", "
                        + (alert.assignee().isEmpty()
                                ? "unassigned"
                                : "assigned to " + alert.assignee())
                        + (alert.open()
                                ? ", open"
                                : ", closed by " + alert.endedBy() + ": " + alert.endReason()));
        out.add("");
        out.add("versions (pulse.alert_versions)");
        if (versions.isEmpty()) {
            out.add("  none recorded");
        } else {
            List<List<String>> cells = new ArrayList<>();
            cells.add(
                    List.of(
                            "version",
                            "status",
                            "severity",
                            "last_detected",
                            "observed",
                            "threshold",
                            "evidence"));
            for (AlertCases.Version v : versions) {
                cells.add(
                        List.of(
                                Long.toString(v.version()),
                                v.status(),
                                v.severity(),
                                CaseListing.TIME.format(v.lastDetectedAt()),
                                number(v.observed()),
                                number(v.threshold()),
                                v.evidence()));
            }
            CaseListing.aligned(cells).forEach(l -> out.add("  " + l));
        }
        out.add("");
        out.add("actions (pulse.alert_actions)");
        if (actions.isEmpty()) {
            out.add("  none");
        } else {
            List<List<String>> cells = new ArrayList<>();
            cells.add(List.of("acted_at", "action", "actor", "version", "assignee", "text"));
            for (AlertCases.Action a : actions) {
                cells.add(
                        List.of(
                                CaseListing.TIME.format(a.actedAt()),
                                a.action(),
                                a.actor(),
                                Long.toString(a.alertVersion()),
                                CaseListing.cell(a.assignee()),
                                a.text().isEmpty() ? "-" : a.text()));
            }
            CaseListing.aligned(cells).forEach(l -> out.add("  " + l));
        }
        return out;
    }

    /** The same as one JSON object. */
    public static String json(
            AlertCase alert, List<AlertCases.Version> versions, List<AlertCases.Action> actions) {
        ObjectNode root = JSON.createObjectNode();
        root.put("alert_id", alert.alertId());
        root.put("rule", alert.ruleId());
        root.put("institution", alert.institutionId());
        root.put("institution_name", alert.institutionName());
        root.put("district", alert.district());
        root.put("severity", alert.severity());
        root.put("status", alert.status());
        root.put("version", alert.version());
        root.put("shadow", alert.shadow());
        root.put("first_detected", time(alert.firstDetectedAt()));
        root.put("last_detected", time(alert.lastDetectedAt()));
        root.put("evidence", alert.evidence());
        root.put("acknowledged_by", alert.acknowledgedBy());
        root.put("assignee", alert.assignee());
        root.put("open", alert.open());
        root.put("closed_by", alert.endedBy());
        root.put("reason", alert.endReason());
        root.put("closed_at", time(alert.closedAt()));
        ArrayNode vs = root.putArray("versions");
        for (AlertCases.Version v : versions) {
            vs.addObject()
                    .put("version", v.version())
                    .put("status", v.status())
                    .put("severity", v.severity())
                    .put("first_detected", time(v.firstDetectedAt()))
                    .put("last_detected", time(v.lastDetectedAt()))
                    .put("observed", v.observed())
                    .put("threshold", v.threshold())
                    .put("evidence", v.evidence());
        }
        ArrayNode as = root.putArray("actions");
        for (AlertCases.Action a : actions) {
            as.addObject()
                    .put("action_id", a.actionId())
                    .put("acted_at", time(a.actedAt()))
                    .put("action", a.action())
                    .put("actor", a.actor())
                    .put("assignee", a.assignee())
                    .put("text", a.text())
                    .put("alert_version", a.alertVersion());
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String time(Instant t) {
        return t == null ? null : ISO.format(t);
    }

    private static String number(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15
                ? Long.toString((long) d)
                : Double.toString(d);
    }
}
