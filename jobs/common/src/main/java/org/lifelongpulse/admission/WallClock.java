package org.lifelongpulse.admission;

import java.io.Serializable;
import java.util.function.LongSupplier;

/** Wall-clock milliseconds, replaceable in tests; serializable so that functions can carry it. */
@FunctionalInterface
public interface WallClock extends LongSupplier, Serializable {

    /** The system clock. */
    WallClock SYSTEM = System::currentTimeMillis;
}
