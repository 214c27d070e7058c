package org.lifelongpulse.adapters.clickhouse.sink;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter: attempt n waits a random time in [0, min(max, initial ×
 * 2^(n−1))], so that writers retrying after the same outage do not hammer the server in step.
 */
record Backoff(Duration initial, Duration max) {

    Duration before(int attempt) {
        long ceiling = initial.toMillis() << Math.min(attempt - 1, 20);
        long bound = Math.max(1, Math.min(max.toMillis(), ceiling));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(bound / 2, bound + 1));
    }
}
