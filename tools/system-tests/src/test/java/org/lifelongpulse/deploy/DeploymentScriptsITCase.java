package org.lifelongpulse.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.flink.util.TimeUtils;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.lifelongpulse.contracts.Topic;
import org.lifelongpulse.ops.clickhouse.ClickHouseHttp;
import org.lifelongpulse.stack.ClickHouseAccounts;
import org.lifelongpulse.stack.Endpoints;
import org.lifelongpulse.stack.JavaOpens;
import org.lifelongpulse.stack.LocalFlinkCluster;
import org.lifelongpulse.stack.ProjectTree;
import org.lifelongpulse.stack.testing.LocalStackExtension;
import org.lifelongpulse.testutils.Await;

/**
 * Every command the deployment files run, run here as written, against the local Kafka, ClickHouse
 * and a real multi-process Flink cluster: Docker and Kubernetes are absent, so the job image of
 * deploy/Dockerfile is laid out under a directory of the test's (each COPY a link to what the build
 * made), compose's named volumes are directories, and the compose service names resolve to the
 * local servers. Each one-shot runs with the service's environment only (interpolated from a
 * generated deploy/.env, as the README's command sequence writes it), and a second time, which must
 * change nothing.
 *
 * <p>Where the emulation stands in for the images: the Flink image's entrypoint, which writes
 * FLINK_PROPERTIES and the slots into conf/config.yaml (here: the same keys applied to the copy of
 * deploy/flink/config.yaml), its {@code jobmanager} and {@code taskmanager} commands (here: {@link
 * LocalFlinkCluster}, which starts the entrypoint classes those scripts start, with the TaskManager
 * service's slots) and its {@code flink} command (a shim running Flink's CliFrontend on the
 * cluster's classpath). The images of Kafka, ClickHouse, Prometheus and Grafana run their own
 * commands ({@link #IMAGE_DEFAULT}).
 */
@ExtendWith(LocalStackExtension.class)
class DeploymentScriptsITCase {

    /**
     * The compose services whose command this test runs, and how; DeploymentFilesTest fails when a
     * service with a command or entrypoint is missing here.
     */
    static final Map<String, String> EXECUTED =
            Map.of(
                    "topics", "pulse-cli topics create, twice",
                    "schema", "pulse-cli schema apply, twice",
                    "flink-data-init", "init-flink-data.sh as root, twice",
                    "jobmanager", "the image's jobmanager: LocalFlinkCluster; its healthcheck runs",
                    "taskmanager", "the image's taskmanager: LocalFlinkCluster with its slots",
                    "submit-jobs", "submit-jobs.sh through the image's entrypoint, twice",
                    "generator", "pulse-cli generate, once");

    /** Services that run their image's own command, not one of ours. */
    static final Map<String, String> IMAGE_DEFAULT =
            Map.of(
                    "kafka", "apache/kafka's launcher (the local stack runs the same broker)",
                    "clickhouse", "clickhouse-server's entrypoint",
                    "prometheus", "prom/prometheus; its configuration is checked with promtool",
                    "grafana", "grafana/grafana");

    /** Where the deployment files reach the servers; the local stack stands in for each. */
    private static final Pattern HOST_PORT =
            Pattern.compile("(?<![\\w.-])([a-z][a-z0-9.-]*):(\\d{2,5})\\b");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void everyCommandOfComposeAndTheKubernetesSetupRunsAndASecondRunChangesNothing(
            Endpoints endpoints, @TempDir Path tmp) throws Exception {
        Path root = ProjectTree.root();
        Path deploy = root.resolve("deploy");
        String prefix = "deploy-it-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        Map<String, String> dotEnv = dotEnv(endpoints.accounts(), prefix);
        ComposeFile compose = ComposeFile.read(deploy.resolve("docker-compose.yml"), dotEnv);
        JobImage image = JobImage.read(deploy.resolve("Dockerfile"), root);
        Layout layout = new Layout(tmp.resolve("image"), image, deploy);
        Map<String, String> hosts = new LinkedHashMap<>();
        hosts.put("kafka:9092", endpoints.kafkaBootstrap());
        hosts.put("clickhouse:8123", URI.create(endpoints.clickHouseUrl()).getAuthority());

        // --- the command line of the image: -V, and ./pulse runs the same artifact
        Run version = layout.run("version", List.of("pulse-cli", "-V"), Map.of(), hosts);
        assertThat(version.exit()).as(version.output()).isZero();
        Properties pom = rootPomProperties(root);
        assertThat(version.output())
                .contains("Lifelong Pulse " + pom.getProperty("project.version"))
                .contains("commit " + git(root, "rev-parse", "HEAD"))
                .contains("Flink " + pom.getProperty("flink.version"))
                .contains("Kafka client " + pom.getProperty("kafka.version"));
        Run launcher =
                Run.of(
                        "./pulse -V",
                        List.of(root.resolve("pulse").toString(), "-V"),
                        Map.of("PATH", System.getenv("PATH"), "PULSE_SKIP_BUILD", "1"),
                        root);
        assertThat(launcher.exit()).as(launcher.output()).isZero();
        assertThat(launcher.output()).isEqualTo(version.output());

        // --- topics: every contract topic under the prefix, compacted as the contract says
        int partitions =
                Integer.parseInt(compose.environment("topics").get("PULSE_TOPIC_PARTITIONS"));
        Run topics = layout.service(compose, "topics", hosts);
        assertThat(topics.exit()).as(topics.output()).isZero();
        assertTopics(endpoints, prefix, partitions);
        Run topicsAgain = layout.service(compose, "topics", hosts);
        assertThat(topicsAgain.exit()).as(topicsAgain.output()).isZero();
        assertThat(topicsAgain.output()).contains("nothing changed").doesNotContain("created\n");

        // --- schema: every migration applied (on this 18.16 the accounts are users.xml's)
        ClickHouseAccounts.Account admin = endpoints.accounts().admin();
        ClickHouseHttp clickHouse =
                new ClickHouseHttp(endpoints.clickHouseUrl(), admin.user(), admin.password());
        Run schema = layout.service(compose, "schema", hosts);
        assertThat(schema.exit()).as(schema.output()).isZero();
        assertThat(clickHouse.scalar("SELECT count() FROM pulse.schema_migrations"))
                .isEqualTo(Long.toString(migrationFiles(root)));
        Run schemaAgain = layout.service(compose, "schema", hosts);
        assertThat(schemaAgain.exit()).as(schemaAgain.output()).isZero();
        assertThat(schemaAgain.output()).contains("nothing changed");

        // --- the checkpoint volume, given to flink (uid 9999) by the root one-shot
        Path flinkData = layout.volume("/flink-data");
        Files.createDirectories(flinkData.resolve("checkpoints"));
        Files.writeString(flinkData.resolve("checkpoints/left-by-root"), "");
        Run init = layout.service(compose, "flink-data-init", hosts);
        assertThat(init.exit()).as(init.output()).isZero();
        if (isRoot()) {
            try (Stream<Path> all = Files.walk(flinkData)) {
                for (Path p : all.toList()) {
                    assertThat(Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS))
                            .as(p + " owned by flink")
                            .isEqualTo(9999);
                }
            }
            assertThat(flinkData.resolve("savepoints")).isDirectory();
            Run initAgain = layout.service(compose, "flink-data-init", hosts);
            assertThat(initAgain.exit()).as(initAgain.output()).isZero();
            assertThat(initAgain.output()).contains("nothing changed");
        } else {
            System.out.println("[deploy] not root: chown of flink-data-init not checked");
        }

        // --- Flink: the JobManager and TaskManager services, both jobs submitted by submit-jobs
        int slots =
                Integer.parseInt(
                        compose.environment("taskmanager")
                                .get("TASK_MANAGER_NUMBER_OF_TASK_SLOTS"));
        int parallelism =
                Integer.parseInt(compose.environment("submit-jobs").get("PULSE_PARALLELISM"));
        LocalFlinkCluster cluster =
                new LocalFlinkCluster(
                        tmp.resolve("flink"), line -> System.out.println("[flink] " + line));
        try {
            String rest = cluster.up(slots).restUrl();
            hosts.put("jobmanager:8081", URI.create(rest).getAuthority());
            layout.flinkShim();
            Run health = layout.healthcheck(compose, "jobmanager", hosts);
            assertThat(health.exit()).as(health.output()).isZero();

            // Without a secret the one-shot stops before it submits anything.
            ComposeFile noSecret =
                    ComposeFile.read(
                            deploy.resolve("docker-compose.yml"),
                            Map.of(
                                    "PULSE_ID_HASH_SECRET",
                                    "x",
                                    "PULSE_CH_WRITER_PASSWORD",
                                    "x",
                                    "PULSE_CH_ADMIN_PASSWORD",
                                    "x",
                                    "PULSE_CH_READER_PASSWORD",
                                    "x",
                                    "GF_SECURITY_ADMIN_PASSWORD",
                                    "x"));
            Map<String, String> withoutSecret = noSecret.environment("submit-jobs");
            withoutSecret.remove("PULSE_ID_HASH_SECRET");
            Run refused =
                    layout.run(
                            "submit-jobs without PULSE_ID_HASH_SECRET",
                            compose.list("submit-jobs", "command"),
                            withoutSecret,
                            hosts);
            assertThat(refused.exit()).isNotZero();
            assertThat(refused.output()).contains("PULSE_ID_HASH_SECRET must be set");
            assertThat(liveJobs(rest)).isEmpty();

            Run submit = layout.service(compose, "submit-jobs", hosts);
            assertThat(submit.exit()).as(submit.output()).isZero();
            Map<String, String> jobs = liveJobs(rest);
            assertThat(jobs.keySet()).containsExactlyInAnyOrder("participation", "fund-risk");
            long interval =
                    TimeUtils.parseDuration(
                                    flinkConfig(deploy).get("execution.checkpointing.interval"))
                            .toMillis();
            for (String id : jobs.values()) {
                Await.until(
                        "every task of job " + id + " runs",
                        Duration.ofMinutes(3),
                        () -> allTasksRunning(rest, id));
                JsonNode job = get(rest + "/jobs/" + id);
                int max = 0;
                for (JsonNode vertex : job.path("vertices")) {
                    max = Math.max(max, vertex.path("parallelism").asInt());
                }
                assertThat(max).as("parallelism of " + job.path("name")).isEqualTo(parallelism);
                JsonNode checkpoints = get(rest + "/jobs/" + id + "/checkpoints/config");
                assertThat(checkpoints.path("interval").asLong())
                        .as("checkpoint interval of deploy/flink/config.yaml")
                        .isEqualTo(interval);
                assertThat(checkpoints.path("state_backend").asText())
                        .containsIgnoringCase("RocksDB");
            }
            Run submitAgain = layout.service(compose, "submit-jobs", hosts);
            assertThat(submitAgain.exit()).as(submitAgain.output()).isZero();
            assertThat(submitAgain.output())
                    .contains("participation is already running; nothing submitted")
                    .contains("fund-risk is already running; nothing submitted");
            assertThat(liveJobs(rest)).isEqualTo(jobs);

            // --- the generator one-shot: the simulated world into the prefixed topics, which
            // the running jobs read (the prefix reached them) and write to ClickHouse as the
            // writer, committing checkpoints into the volume flink-data-init prepared
            long eventsBefore = count(clickHouse, "learning_events");
            long transactionsBefore = count(clickHouse, "fund_transactions");
            Run generator = layout.service(compose, "generator", hosts);
            assertThat(generator.exit()).as(generator.output()).isZero();
            Map<String, Long> sent = endOffsets(endpoints, prefix);
            assertThat(sent.get(Topic.LEARNING_ACTIVITY.topicName(prefix))).isPositive();
            assertThat(sent.get(Topic.FUND_TRANSACTIONS.topicName(prefix))).isPositive();
            Await.until(
                    "both jobs write what the generator sent",
                    Duration.ofMinutes(4),
                    () ->
                            count(clickHouse, "learning_events") > eventsBefore
                                    && count(clickHouse, "fund_transactions") > transactionsBefore
                                    && jobs.values().stream()
                                            .allMatch(id -> completedCheckpoints(rest, id) > 0));
            for (String id : jobs.values()) {
                assertThat(flinkData.resolve("checkpoints").resolve(id))
                        .as("checkpoints of " + id + " in the volume")
                        .isDirectory();
            }
        } finally {
            cluster.down();
        }

        // --- Prometheus's configuration, as the prometheus service reads it
        Path promtool = Path.of("/usr/bin/promtool");
        if (Files.isExecutable(promtool)) {
            Run check =
                    Run.of(
                            "promtool",
                            List.of(
                                    promtool.toString(),
                                    "check",
                                    "config",
                                    deploy.resolve("prometheus/prometheus.yml").toString()),
                            Map.of("PATH", System.getenv("PATH")),
                            tmp);
            assertThat(check.exit()).as(check.output()).isZero();
        } else {
            System.out.println("[deploy] no promtool here: prometheus.yml not checked");
        }

        // --- Kubernetes: the setup Job's containers, in order, with their environment
        String k8sPrefix = "deploy-it-k8s-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        Map<String, String> k8sHosts = new LinkedHashMap<>();
        k8sHosts.put("kafka.lifelong-pulse.svc:9092", endpoints.kafkaBootstrap());
        k8sHosts.put(
                "clickhouse.lifelong-pulse.svc:8123",
                URI.create(endpoints.clickHouseUrl()).getAuthority());
        KubernetesJob setup =
                KubernetesJob.read(deploy.resolve("k8s/pulse-setup-job.yaml"), secrets(dotEnv));
        int k8sPartitions = 0;
        for (KubernetesJob.Container container : setup.containers()) {
            assertThat(container.image())
                    .endsWith("/lifelong-pulse/pulse-flink:" + pom.getProperty("project.version"));
            Map<String, String> env = new LinkedHashMap<>(container.environment());
            // Two deviations: one local broker (no replication 3), and topics of this test's own
            // (the shared test Kafka must keep its unprefixed topics as the other tests made them).
            if (env.containsKey("PULSE_TOPIC_REPLICATION")) {
                env.put("PULSE_TOPIC_REPLICATION", "1");
                k8sPartitions = Integer.parseInt(env.get("PULSE_TOPIC_PARTITIONS"));
            }
            if (env.containsKey("PULSE_TOPIC_PREFIX")) {
                env.put("PULSE_TOPIC_PREFIX", k8sPrefix);
            }
            Run run = layout.run("k8s " + container.name(), container.argv(), env, k8sHosts);
            assertThat(run.exit()).as(run.output()).isZero();
        }
        assertThat(k8sPartitions).isPositive();
        assertTopics(endpoints, k8sPrefix, k8sPartitions);
    }

    // ---------------------------------------------------------------- the environment

    /** deploy/.env as the README writes it: generated secrets, the stack's account passwords. */
    private static Map<String, String> dotEnv(ClickHouseAccounts accounts, String prefix) {
        Map<String, String> env = new TreeMap<>();
        env.put("PULSE_ID_HASH_SECRET", randomHex(32));
        env.put("PULSE_CH_ADMIN_USER", accounts.admin().user());
        env.put("PULSE_CH_ADMIN_PASSWORD", accounts.admin().password());
        env.put("PULSE_CH_WRITER_USER", accounts.writer().user());
        env.put("PULSE_CH_WRITER_PASSWORD", accounts.writer().password());
        env.put("PULSE_CH_READER_USER", accounts.reader().user());
        env.put("PULSE_CH_READER_PASSWORD", accounts.reader().password());
        env.put("GF_SECURITY_ADMIN_PASSWORD", randomHex(16));
        env.put("PULSE_TOPIC_PREFIX", prefix);
        return env;
    }

    /** The Kubernetes Secrets, from the same values as deploy/.env. */
    private static Map<String, String> secrets(Map<String, String> env) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("pulse-setup-secrets/clickhouse-admin-user", env.get("PULSE_CH_ADMIN_USER"));
        s.put("pulse-setup-secrets/clickhouse-admin-password", env.get("PULSE_CH_ADMIN_PASSWORD"));
        s.put("pulse-setup-secrets/clickhouse-writer-user", env.get("PULSE_CH_WRITER_USER"));
        s.put(
                "pulse-setup-secrets/clickhouse-writer-password",
                env.get("PULSE_CH_WRITER_PASSWORD"));
        s.put("pulse-setup-secrets/clickhouse-reader-user", env.get("PULSE_CH_READER_USER"));
        s.put(
                "pulse-setup-secrets/clickhouse-reader-password",
                env.get("PULSE_CH_READER_PASSWORD"));
        return s;
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        new java.security.SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    // ---------------------------------------------------------------- checks

    private static void assertTopics(Endpoints endpoints, String prefix, int partitions)
            throws Exception {
        try (Admin admin = admin(endpoints)) {
            List<String> names = new ArrayList<>();
            for (Topic t : Topic.values()) {
                names.add(t.topicName(prefix));
            }
            Map<String, TopicDescription> described =
                    admin.describeTopics(names).allTopicNames().get();
            var configs =
                    admin.describeConfigs(
                                    names.stream()
                                            .map(
                                                    n ->
                                                            new ConfigResource(
                                                                    ConfigResource.Type.TOPIC, n))
                                            .toList())
                            .all()
                            .get();
            for (Topic t : Topic.values()) {
                String name = t.topicName(prefix);
                String policy =
                        configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name))
                                .get("cleanup.policy")
                                .value();
                assertThat(policy).as(name).isEqualTo(t.compacted() ? "compact" : "delete");
                assertThat(described.get(name).partitions())
                        .as(name + " partitions")
                        .hasSize(t.compacted() ? 1 : partitions);
            }
        }
    }

    private static Map<String, Long> endOffsets(Endpoints endpoints, String prefix)
            throws Exception {
        try (Admin admin = admin(endpoints)) {
            Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
            for (Topic t : Topic.values()) {
                String name = t.topicName(prefix);
                for (var p :
                        admin.describeTopics(List.of(name))
                                .allTopicNames()
                                .get()
                                .get(name)
                                .partitions()) {
                    latest.put(new TopicPartition(name, p.partition()), OffsetSpec.latest());
                }
            }
            Map<String, Long> out = new TreeMap<>();
            admin.listOffsets(latest)
                    .all()
                    .get()
                    .forEach((tp, info) -> out.merge(tp.topic(), info.offset(), Long::sum));
            return out;
        }
    }

    private static Admin admin(Endpoints endpoints) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.kafkaBootstrap());
        return Admin.create(props);
    }

    private static long count(ClickHouseHttp clickHouse, String table) {
        return Long.parseLong(clickHouse.scalar("SELECT count() FROM pulse." + table));
    }

    private static long migrationFiles(Path root) throws IOException {
        try (Stream<Path> files = Files.list(root.resolve("schemas/clickhouse"))) {
            return files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql")).count();
        }
    }

    /** Name → id of the jobs that are not finished. */
    private static Map<String, String> liveJobs(String rest) {
        Map<String, String> out = new TreeMap<>();
        for (JsonNode job : get(rest + "/jobs/overview").path("jobs")) {
            String state = job.path("state").asText();
            if (!List.of("FINISHED", "CANCELED", "FAILED").contains(state)) {
                String previous = out.put(job.path("name").asText(), job.path("jid").asText());
                assertThat(previous).as("two live jobs named " + job.path("name")).isNull();
            }
        }
        return out;
    }

    private static int completedCheckpoints(String rest, String id) {
        return get(rest + "/jobs/" + id + "/checkpoints").path("counts").path("completed").asInt();
    }

    private static boolean allTasksRunning(String rest, String id) {
        JsonNode job = get(rest + "/jobs/" + id);
        if (!"RUNNING".equals(job.path("state").asText())) {
            return false;
        }
        for (JsonNode vertex : job.path("vertices")) {
            if (!"RUNNING".equals(vertex.path("status").asText())) {
                return false;
            }
        }
        return true;
    }

    private static JsonNode get(String url) {
        try {
            HttpResponse<String> response =
                    HTTP.send(
                            HttpRequest.newBuilder(URI.create(url))
                                    .timeout(Duration.ofSeconds(10))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> flinkConfig(Path deploy) throws IOException {
        Map<String, Object> yaml =
                new org.yaml.snakeyaml.Yaml()
                        .load(Files.readString(deploy.resolve("flink/config.yaml")));
        Map<String, String> out = new LinkedHashMap<>();
        yaml.forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }

    /** The root POM's version and version properties, read from the file. */
    static Properties rootPomProperties(Path root) throws IOException {
        String pom = Files.readString(root.resolve("pom.xml"));
        Properties out = new Properties();
        Matcher version =
                Pattern.compile(
                                "<artifactId>pulse-parent</artifactId>\\s*<version>([^<]+)</version>")
                        .matcher(pom);
        assertThat(version.find()).as("version of the root pom").isTrue();
        out.setProperty("project.version", version.group(1));
        for (String p : List.of("flink.version", "kafka.version")) {
            Matcher m = Pattern.compile("<" + Pattern.quote(p) + ">([^<]+)</").matcher(pom);
            assertThat(m.find()).as(p).isTrue();
            out.setProperty(p, m.group(1));
        }
        return out;
    }

    private static String git(Path root, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-C", root.toString()));
        command.addAll(List.of(args));
        Run run = Run.of("git", command, Map.of("PATH", System.getenv("PATH")), root);
        assertThat(run.exit()).as(run.output()).isZero();
        return run.output().strip();
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    // ---------------------------------------------------------------- running commands

    /** A finished command: its exit code and what it printed (stdout and stderr). */
    record Run(int exit, String output) {

        static Run of(String label, List<String> command, Map<String, String> env, Path dir) {
            System.out.println("[deploy] " + label + ": " + String.join(" ", command));
            try {
                ProcessBuilder builder =
                        new ProcessBuilder(command)
                                .directory(dir.toFile())
                                .redirectErrorStream(true);
                builder.environment().clear();
                builder.environment().putAll(env);
                Process p = builder.start();
                p.getOutputStream().close();
                String output =
                        new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(10, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                    throw new AssertionError(label + " did not end");
                }
                output.lines().forEach(l -> System.out.println("[" + label + "] " + l));
                return new Run(p.exitValue(), output);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * The job image laid out under a directory: each COPY of deploy/Dockerfile a link to what the
     * build made, each compose volume a directory or a link, and the image's paths in commands and
     * environments translated to this layout.
     */
    static final class Layout {

        private final Path root;
        private final JobImage image;
        private final Path deploy;

        Layout(Path root, JobImage image, Path deploy) throws IOException {
            this.root = root;
            this.image = image;
            this.deploy = deploy;
            for (JobImage.Copy copy : image.copies()) {
                assertThat(copy.resolved())
                        .as("deploy/Dockerfile copies " + copy.source() + ": built?")
                        .isNotNull();
                Path at = at(copy.target());
                Files.createDirectories(at.getParent());
                Files.createSymbolicLink(at, copy.resolved());
            }
        }

        Path at(String imagePath) {
            return root.resolve(imagePath.substring(1));
        }

        Path volume(String imagePath) throws IOException {
            return Files.createDirectories(at(imagePath));
        }

        /** The image's flink command: Flink's CliFrontend on the local cluster's classpath. */
        void flinkShim() throws IOException {
            Path shim = at("/opt/flink/bin/flink");
            Files.createDirectories(shim.getParent());
            String java =
                    ProcessHandle.current()
                            .info()
                            .command()
                            .orElse(
                                    Path.of(System.getProperty("java.home"), "bin", "java")
                                            .toString());
            Files.writeString(
                    shim,
                    String.join(
                            "\n",
                            "#!/bin/bash",
                            "# The Flink image's bin/flink, for DeploymentScriptsITCase.",
                            "exec '"
                                    + java
                                    + "' "
                                    + String.join(" ", JavaOpens.flags())
                                    + " -Dlog4j.configurationFile=\"$FLINK_CONF_DIR/log4j-cli.properties\""
                                    + " -cp '"
                                    + flinkClasspath()
                                    + "' org.apache.flink.client.cli.CliFrontend \"$@\"",
                            ""));
            Files.setPosixFilePermissions(shim, PosixFilePermissions.fromString("rwxr-xr-x"));
        }

        /** A compose service: its entrypoint (or the image's) and command, its environment. */
        Run service(ComposeFile compose, String name, Map<String, String> hosts)
                throws IOException {
            for (Map.Entry<String, String> volume : compose.volumes(name).entrySet()) {
                Path at = at(volume.getKey());
                if (volume.getValue().startsWith(".") || volume.getValue().startsWith("/")) {
                    if (!Files.exists(at, LinkOption.NOFOLLOW_LINKS)) {
                        Files.createDirectories(at.getParent());
                        Files.createSymbolicLink(at, deploy.resolve(volume.getValue()).normalize());
                    }
                } else {
                    Files.createDirectories(at);
                }
            }
            Map<String, String> env = compose.environment(name);
            List<String> argv = new ArrayList<>(compose.list(name, "entrypoint"));
            if (argv.isEmpty()) {
                // the Flink image's /docker-entrypoint.sh: configuration first, then the command
                entrypointConfiguration(env, hosts);
            }
            argv.addAll(compose.list(name, "command"));
            assertThat(argv).as(name + " runs something").isNotEmpty();
            assertThat(argv.get(0)).as(name).isNotIn("jobmanager", "taskmanager");
            return run(name, argv, env, hosts);
        }

        Run healthcheck(ComposeFile compose, String name, Map<String, String> hosts) {
            @SuppressWarnings("unchecked")
            Map<String, Object> check =
                    (Map<String, Object>) compose.service(name).get("healthcheck");
            @SuppressWarnings("unchecked")
            List<String> test = (List<String>) check.get("test");
            assertThat(test.get(0)).isEqualTo("CMD-SHELL");
            return run(
                    name + " healthcheck",
                    List.of("sh", "-c", test.get(1)),
                    compose.environment(name),
                    hosts);
        }

        /**
         * What the Flink image's entrypoint does before a command: FLINK_PROPERTIES (whitespace
         * removed, as the entrypoint does) and TASK_MANAGER_NUMBER_OF_TASK_SLOTS written into
         * conf/config.yaml, which the image has from deploy/flink/config.yaml.
         */
        void entrypointConfiguration(Map<String, String> env, Map<String, String> hosts)
                throws IOException {
            Path source = image.copyTo("/opt/flink/conf/config.yaml").resolved();
            @SuppressWarnings("unchecked")
            Map<String, Object> base = new org.yaml.snakeyaml.Yaml().load(Files.readString(source));
            Map<String, String> config = new LinkedHashMap<>();
            base.forEach((k, v) -> config.put(k, String.valueOf(v)));
            if (env.containsKey("TASK_MANAGER_NUMBER_OF_TASK_SLOTS")) {
                config.put(
                        "taskmanager.numberOfTaskSlots",
                        env.get("TASK_MANAGER_NUMBER_OF_TASK_SLOTS"));
            }
            for (String line : env.getOrDefault("FLINK_PROPERTIES", "").split("\n")) {
                String prop = line.replaceAll("\\s", "");
                int colon = prop.indexOf(':');
                if (colon > 0) {
                    String value = prop.substring(colon + 1);
                    config.put(
                            prop.substring(0, colon),
                            value.matches("[a-z][a-z0-9-]*") && isHost(value, hosts)
                                    ? "127.0.0.1"
                                    : value);
                }
            }
            Path conf = at("/opt/flink/conf");
            Files.deleteIfExists(conf.resolve("config.yaml"));
            Files.createDirectories(conf);
            StringBuilder yaml = new StringBuilder();
            config.forEach(
                    (k, v) ->
                            yaml.append(k)
                                    .append(": '")
                                    .append(translate(v, hosts).replace("'", "''"))
                                    .append("'\n"));
            Files.writeString(conf.resolve("config.yaml"), yaml.toString());
            Files.writeString(
                    conf.resolve("log4j-cli.properties"),
                    String.join(
                            "\n",
                            "rootLogger.level = WARN",
                            "rootLogger.appenderRef.console.ref = console",
                            "appender.console.type = Console",
                            "appender.console.name = console",
                            "appender.console.layout.type = PatternLayout",
                            "appender.console.layout.pattern = %m%n",
                            ""));
        }

        private static boolean isHost(String value, Map<String, String> hosts) {
            return hosts.keySet().stream().anyMatch(h -> h.startsWith(value + ":"));
        }

        /** A command in the image, with only the image's and the given environment. */
        Run run(
                String label,
                List<String> argv,
                Map<String, String> env,
                Map<String, String> hosts) {
            Map<String, String> environment = new LinkedHashMap<>();
            String hostPath = System.getenv("PATH");
            environment.put("HOME", root.toString());
            environment.put("LANG", "C.UTF-8");
            // the base image's FLINK_HOME and the flink paths its scripts default to
            environment.put("FLINK_HOME", at("/opt/flink").toString());
            environment.put("FLINK_BIN", at("/opt/flink/bin/flink").toString());
            environment.put("FLINK_CONF_DIR", at("/opt/flink/conf").toString());
            image.environment()
                    .forEach(
                            (k, v) ->
                                    environment.put(
                                            k, translate(v.replace("$PATH", hostPath), hosts)));
            env.forEach((k, v) -> environment.put(k, translate(v, hosts)));
            List<String> command = new ArrayList<>();
            for (String arg : argv) {
                command.add(translate(arg, hosts));
            }
            command.set(0, which(command.get(0), environment.get("PATH")));
            return Run.of(label, command, environment, at("/opt/flink"));
        }

        private static String which(String program, String path) {
            if (program.contains("/")) {
                return program;
            }
            for (String dir : path.split(":")) {
                Path candidate = Path.of(dir, program);
                if (Files.isExecutable(candidate)) {
                    return candidate.toString();
                }
            }
            throw new AssertionError(program + " is not on the image's PATH " + path);
        }

        /** Image paths into this layout, service endpoints to the local servers. */
        String translate(String text, Map<String, String> hosts) {
            String out = text;
            for (String top : List.of("opt", "flink-data")) {
                out =
                        out.replaceAll(
                                "(?<![\\w.-])/" + top + "(?=/|$|[^\\w.-])",
                                Matcher.quoteReplacement(root + "/" + top));
            }
            Matcher m = HOST_PORT.matcher(out);
            StringBuilder b = new StringBuilder();
            while (m.find()) {
                String hostPort = m.group();
                String local = hosts.get(hostPort);
                if (local == null
                        && m.group(1).matches("kafka|clickhouse|jobmanager|taskmanager|.*\\.svc")) {
                    throw new AssertionError("no local stand-in for " + hostPort + " in " + text);
                }
                m.appendReplacement(b, Matcher.quoteReplacement(local == null ? hostPort : local));
            }
            m.appendTail(b);
            return b.toString();
        }

        private static String flinkClasspath() throws IOException {
            StringBuilder cp = new StringBuilder(resource("flink-cluster.classpath"));
            for (String entry : resource("kafka-broker.classpath").split(":")) {
                String name = Path.of(entry).getFileName().toString();
                if (name.startsWith("log4j-") || name.startsWith("slf4j-api")) {
                    cp.append(':').append(entry);
                }
            }
            return cp.toString();
        }

        private static String resource(String name) throws IOException {
            try (var in = LocalFlinkCluster.class.getResourceAsStream(name)) {
                assertThat(in).as(name).isNotNull();
                return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            }
        }
    }
}
