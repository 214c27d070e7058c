package org.lifelongpulse.fundrisk.rules;

/** How serious a finding is; RED outranks YELLOW. */
public enum Level {
    YELLOW,
    RED;

    public static Level max(Level a, Level b) {
        if (a == null) {
            return b;
        }
        return b == null || a.compareTo(b) >= 0 ? a : b;
    }
}
