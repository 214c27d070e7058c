package org.lifelongpulse.cli;

import java.time.Duration;
import java.util.Arrays;
import java.util.function.BiConsumer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.lifelongpulse.adapters.clickhouse.sink.ClickHouseSinkOptions;
import org.lifelongpulse.fundrisk.FundRiskJob;
import org.lifelongpulse.jobs.JobEnvironment;
import org.lifelongpulse.jobs.JobSecrets;
import org.lifelongpulse.jobs.KafkaOptions;
import org.lifelongpulse.participation.ParticipationJob;
import org.lifelongpulse.stack.Endpoints;
import org.lifelongpulse.stack.LocalSecrets;

/** Runs the pipeline's jobs on a local MiniCluster against a stack, as `flink run` would. */
final class JobLauncher {

    /** The jobs the command line can run, by name. */
    enum PipelineJob {
        PARTICIPATION(
                "participation",
                ParticipationJob.class.getName(),
                ParticipationJob::defineProduction),
        FUND_RISK("fund-risk", FundRiskJob.class.getName(), FundRiskJob::defineProduction);

        final String jobName;
        final String mainClass;
        final BiConsumer<StreamExecutionEnvironment, Configuration> topology;

        PipelineJob(
                String jobName,
                String mainClass,
                BiConsumer<StreamExecutionEnvironment, Configuration> topology) {
            this.jobName = jobName;
            this.mainClass = mainClass;
            this.topology = topology;
        }

        static PipelineJob byName(String name) {
            return Arrays.stream(values())
                    .filter(j -> j.jobName.equals(name))
                    .findFirst()
                    .orElseThrow(
                            () ->
                                    new IllegalArgumentException(
                                            "unknown job '"
                                                    + name
                                                    + "'; the jobs are "
                                                    + Arrays.stream(values())
                                                            .map(j -> j.jobName)
                                                            .toList()));
        }
    }

    private JobLauncher() {}

    /**
     * The job's configuration for a stack: endpoints, writer account, parallelism, checkpoints (the
     * guards come with {@link JobEnvironment}).
     */
    static Configuration configuration(
            Endpoints endpoints,
            boolean bounded,
            int parallelism,
            Duration checkpointInterval,
            java.nio.file.Path checkpoints) {
        Configuration config = new Configuration();
        config.set(KafkaOptions.BOOTSTRAP, endpoints.kafkaBootstrap());
        config.set(KafkaOptions.BOUNDED, bounded);
        config.set(ClickHouseSinkOptions.URL, endpoints.clickHouseUrl());
        config.set(ClickHouseSinkOptions.USER, endpoints.accounts().writer().user());
        config.set(ClickHouseSinkOptions.PASSWORD, endpoints.accounts().writer().password());
        withHashKey(config);
        JobEnvironment.parallelism(config, parallelism, checkpointInterval);
        // the in-memory default refuses a task's state above 5 MB (fund-risk on a replay)
        return JobEnvironment.checkpointsIn(config, checkpoints);
    }

    /**
     * Gives the jobs the command line runs in its own JVM their hash key: the jobs have no
     * fallback, so on the local stack the command line passes its own explicitly ({@link
     * LocalSecrets}); against an external stack ({@code PULSE_KAFKA_BOOTSTRAP} set) only
     * $PULSE_ID_HASH_SECRET will do, and a job without it refuses to start.
     */
    static Configuration withHashKey(Configuration config) {
        if (Endpoints.fromEnvironment() == null) {
            config.set(JobSecrets.ID_HASH_SECRET, LocalSecrets.idHashSecret());
        }
        return config;
    }

    /** Submits the job to its own local MiniCluster and returns at once. */
    static JobClient start(PipelineJob job, Configuration config) throws Exception {
        StreamExecutionEnvironment env = JobEnvironment.local(config);
        job.topology.accept(env, config);
        return env.executeAsync(job.jobName);
    }
}
