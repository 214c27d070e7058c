package org.lifelongpulse.fundrisk.rules;

/** The event-time series the windowed rules sum (R4, R8, R9, R10). */
public enum Series {
    /** Amounts of sales and top-ups. */
    SALES,
    /** Amounts of sales and top-ups settled outside supervision (R4). */
    OUTSIDE,
    /** Amounts of classes delivered (consumption). */
    DELIVERED,
    /** One per refund request. */
    REQUESTS
}
