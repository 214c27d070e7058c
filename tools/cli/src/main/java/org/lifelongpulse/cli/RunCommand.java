package org.lifelongpulse.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.core.execution.JobClient;
import org.lifelongpulse.ops.kafka.KafkaTopics;
import org.lifelongpulse.stack.Endpoints;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./pulse run JOB [--bounded]}. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Run a job on a local Flink MiniCluster against the stack.",
            "",
            "JOB is `participation` or `fund-risk`. Unbounded by default: runs until Ctrl-C. With"
                    + " --bounded it",
            "processes what is in Kafka when it starts, writes everything and exits. On a",
            "cluster, submit the shaded jar instead: flink run -c <JobClass> "
                    + "jobs/pipeline/target/pulse-pipeline-*-job.jar --kafka.bootstrap ..."
        })
final class RunCommand implements Callable<Integer> {

    @Mixin StackEndpoints where;

    @Parameters(paramLabel = "JOB", description = "The job to run: participation or fund-risk.")
    String job;

    @Option(names = "--bounded", description = "Stop at the end of what is in Kafka now.")
    boolean bounded;

    @Option(
            names = "--parallelism",
            defaultValue = "2",
            description = "Parallelism (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(
            names = "--checkpoint-interval",
            defaultValue = "PT5S",
            description =
                    "Checkpoint interval, ISO-8601 (default: 5 s). The ClickHouse sink"
                            + " flushes at every checkpoint.")
    Duration checkpointInterval;

    @Override
    public Integer call() throws Exception {
        JobLauncher.PipelineJob pipelineJob = JobLauncher.PipelineJob.byName(job);
        Endpoints endpoints = where.resolve();
        KafkaTopics.ensure(endpoints.kafkaBootstrap(), KafkaTopics.DEFAULT_PARTITIONS, (short) 1);
        SchemaCommand.migrator(endpoints).apply();
        Instant started = Instant.now();
        JobClient client =
                JobLauncher.start(
                        pipelineJob,
                        JobLauncher.configuration(
                                endpoints,
                                bounded,
                                parallelism,
                                checkpointInterval,
                                where.workDir().resolve("checkpoints")));
        Console.progress(
                "started "
                        + pipelineJob.jobName
                        + " (job "
                        + client.getJobID()
                        + ")"
                        + (bounded ? ", bounded" : "; Ctrl-C stops it"));
        Thread hook =
                new Thread(
                        () -> {
                            try {
                                client.cancel().get(30, TimeUnit.SECONDS);
                                Console.progress("cancelled " + pipelineJob.jobName);
                            } catch (Exception e) {
                                Console.error(
                                        "could not cancel the job cleanly: " + Console.describe(e));
                            }
                        });
        Runtime.getRuntime().addShutdownHook(hook);
        while (true) {
            try {
                client.getJobExecutionResult().get(10, TimeUnit.SECONDS);
                break;
            } catch (TimeoutException stillRunning) {
                Console.progress(
                        pipelineJob.jobName
                                + " running for "
                                + Duration.between(started, Instant.now()).toSeconds()
                                + " s");
            }
        }
        Runtime.getRuntime().removeShutdownHook(hook);
        Console.progress(
                pipelineJob.jobName
                        + " finished in "
                        + Duration.between(started, Instant.now()).toSeconds()
                        + " s");
        return 0;
    }
}
