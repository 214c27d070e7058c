package org.lifelongpulse.cli.bench;

import java.time.Duration;
import java.util.Locale;

/**
 * A measured run beside the fixed cost of the same kind of run: the same job, the same
 * configuration, on empty topics (MiniCluster start, submission, the end of input, the sinks' last
 * flush). What the events themselves cost is the difference: marginal rates are events ÷ (wall −
 * fixed wall), net CPU is (CPU − fixed CPU) per million events. The fixed cost is two thirds of a
 * short baseline run, so ratios of whole runs move with the machine more than with the job; the
 * marginal figures do not carry it.
 *
 * @param whole the run on the events
 * @param fixed the same run on empty topics; null when not measured (marginal figures are NaN)
 */
public record Marginal(MeasuredRun.Cost whole, MeasuredRun.Cost fixed) {

    /** Events per second of the whole run. */
    public double perSecond(long events) {
        return whole.perSecond(events);
    }

    /** Events per second beyond the fixed cost. */
    public double marginalPerSecond(long events) {
        return fixed == null ? Double.NaN : rate(events, whole.wall(), fixed.wall());
    }

    /** JVM CPU seconds per million events, the whole run's. */
    public double cpuPerMillion(long events) {
        return perMillion(whole.cpuSeconds(), events);
    }

    /** JVM CPU seconds per million events beyond the fixed cost. */
    public double netCpuPerMillion(long events) {
        return fixed == null
                ? Double.NaN
                : netPerMillion(whole.cpuSeconds(), fixed.cpuSeconds(), events);
    }

    /** ClickHouse server CPU seconds per million events (NaN when its process is unknown). */
    public double clickHouseCpuPerMillion(long events) {
        return perMillion(whole.clickHouseCpuSeconds(), events);
    }

    /** {@code events} ÷ ({@code wall} − {@code fixed}); NaN when the run is not longer. */
    public static double rate(long events, Duration wall, Duration fixed) {
        long net = wall.toNanos() - fixed.toNanos();
        return net <= 0 ? Double.NaN : events / (net / 1e9);
    }

    /** {@code seconds} per million {@code events}; NaN for no events. */
    public static double perMillion(double seconds, long events) {
        return events <= 0 ? Double.NaN : seconds / (events / 1e6);
    }

    /** ({@code seconds} − {@code fixedSeconds}) per million {@code events}. */
    public static double netPerMillion(double seconds, double fixedSeconds, long events) {
        return perMillion(seconds - fixedSeconds, events);
    }

    /** {@code a} ÷ {@code b}; NaN when either is unknown or {@code b} is not positive. */
    public static double ratio(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) || b <= 0 ? Double.NaN : a / b;
    }

    /**
     * A ratio as printed: three decimals below 1 ({@code 0.122×}), two below 10 ({@code 5.60×}),
     * one above ({@code 16.4×}); a dash when unknown.
     */
    public static String times(double ratio) {
        if (Double.isNaN(ratio) || Double.isInfinite(ratio)) {
            return "—";
        }
        String pattern = ratio < 1 ? "%.3f×" : ratio < 10 ? "%.2f×" : "%.1f×";
        return String.format(Locale.ROOT, pattern, ratio);
    }

    /** A figure with grouped thousands and {@code decimals} decimals; a dash when unknown. */
    public static String figure(double value, int decimals) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "—";
        }
        return String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }
}
