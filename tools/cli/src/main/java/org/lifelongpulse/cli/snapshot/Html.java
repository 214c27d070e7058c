package org.lifelongpulse.cli.snapshot;

import java.util.Locale;

/** Text made safe for HTML, and numbers as the panels print them. */
public final class Html {

    private Html() {}

    /** Escapes text for element content and quoted attribute values. */
    public static String escape(String s) {
        return s.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;")
                .replace("'", "&#39;");
    }

    /** Whole numbers without a decimal point, others with two decimals. */
    static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15
                ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%.2f", value);
    }

    /** A cell as a number; text that is not one counts as 0. */
    static double parseNumber(String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
