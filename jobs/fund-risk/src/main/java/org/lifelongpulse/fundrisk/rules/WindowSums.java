package org.lifelongpulse.fundrisk.rules;

/** Values at event times, summed over windows {@code (from, to]} (the start excluded). */
public interface WindowSums {

    /** Sum of the values with {@code from < time <= to}. */
    long sum(long from, long to);
}
