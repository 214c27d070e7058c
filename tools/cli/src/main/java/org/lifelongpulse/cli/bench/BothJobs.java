package org.lifelongpulse.cli.bench;

import java.time.Duration;

/**
 * Both jobs at once, each on its own local MiniCluster in this JVM, on the topics their own
 * benchmarks pre-filled: what the machine sustains when it runs the whole pipeline.
 */
public final class BothJobs {

    private BothJobs() {}

    /** The combined cost in {@code setup}; its events are activity messages plus transactions. */
    public static MeasuredRun.Cost run(
            ParticipationBenchmark participation,
            FundRiskBenchmark fundRisk,
            int parallelism,
            FlinkSetup setup)
            throws Exception {
        participation.emptyTables();
        MeasuredRun activity = participation.environment(parallelism, Duration.ofSeconds(5), setup);
        participation.define(
                activity.env(), participation.prefilled(), "bench-both-" + System.nanoTime(), true);
        MeasuredRun fund = fundRisk.environment(parallelism, Duration.ofSeconds(5), setup);
        // Another deployment on the same topics: its own transactional ids, or the alerts
        // sink of the first run would be fenced.
        fundRisk.define(
                fund.env(),
                fundRisk.prefilled().asDeployment("bench-both-" + System.nanoTime()),
                "bench-both-" + System.nanoTime(),
                true);
        MeasuredRun.Running first = activity.start("bench both: participation");
        MeasuredRun.Running second = fund.start("bench both: fund-risk");
        MeasuredRun.Cost a = first.await(Duration.ofMinutes(30));
        MeasuredRun.Cost b = second.await(Duration.ofMinutes(30));
        // Both started together; each CPU figure is the whole process's over its own run (the
        // ClickHouse server's too), so the longer run's covers both.
        MeasuredRun.Cost longer = a.wall().compareTo(b.wall()) >= 0 ? a : b;
        return new MeasuredRun.Cost(
                longer.wall(),
                longer.cpuSeconds(),
                Math.min(a.heapBeforeBytes(), b.heapBeforeBytes()),
                Math.max(a.peakHeapBytes(), b.peakHeapBytes()),
                a.checkpoints() + b.checkpoints(),
                Math.max(a.checkpointMaxMillis(), b.checkpointMaxMillis()),
                -1,
                a.checkpointedBytes() + b.checkpointedBytes(),
                longer.clickHouseCpuSeconds(),
                longer.jitCpuSeconds());
    }

    public static long events(ParticipationBenchmark participation, FundRiskBenchmark fundRisk) {
        return participation.prefilled().messages() + fundRisk.prefilled().messages();
    }
}
