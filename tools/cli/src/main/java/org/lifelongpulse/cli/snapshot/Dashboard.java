package org.lifelongpulse.cli.snapshot;

import java.util.List;

/**
 * One Grafana dashboard with its panels' query results, as the snapshot shows it.
 *
 * @param panels in the dashboard's order, a row's nested panels right after the row
 */
public record Dashboard(String title, String description, List<Panel> panels) {

    public Dashboard {
        panels = List.copyOf(panels);
    }

    /**
     * One panel.
     *
     * @param type the Grafana panel type: {@code row}, {@code text}, {@code stat}, {@code table},
     *     {@code timeseries}, or another chart drawn as bars
     * @param content a text panel's text, else empty
     * @param needs the data source the panel needs when it is not ClickHouse (e.g. {@code
     *     Prometheus}): such a panel is shown, not run; null for a ClickHouse panel
     */
    public record Panel(
            String type, String title, String content, List<Target> targets, String needs) {

        public Panel {
            targets = List.copyOf(targets);
        }

        /** A ClickHouse panel, or one without queries. */
        public Panel(String type, String title, String content, List<Target> targets) {
            this(type, title, content, targets, null);
        }
    }

    /**
     * The outcome of one of a panel's queries.
     *
     * @param timeSeries whether Grafana reads it as a time series (time in the first column)
     * @param result the rows, null when the query failed
     * @param error why the query failed, null when it did not
     */
    public record Target(boolean timeSeries, QueryResult result, String error) {

        public static Target of(boolean timeSeries, QueryResult result) {
            return new Target(timeSeries, result, null);
        }

        public static Target failed(String error) {
            return new Target(false, null, error);
        }
    }
}
