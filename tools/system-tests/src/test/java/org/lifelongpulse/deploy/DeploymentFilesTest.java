package org.lifelongpulse.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.flink.configuration.ConfigOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lifelongpulse.stack.JavaOpens;
import org.lifelongpulse.stack.ProjectTree;

/**
 * What can be checked of the deployment files without Docker or Kubernetes: they parse, what docker
 * compose mounts exists, services and ports referenced agree, every Flink key is one of Flink's own
 * (with a value of the right type), and compose and Kubernetes run the same jobs.
 */
class DeploymentFilesTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> JOB_CLASSES =
            Set.of(
                    "org.lifelongpulse.participation.ParticipationJob",
                    "org.lifelongpulse.fundrisk.FundRiskJob");
    private static final Pattern HOST_PORT =
            Pattern.compile("(?<![\\w.-])([a-z][a-z0-9-]*):(\\d{2,5})\\b");
    private static final Pattern PROVISIONING_VARIABLE = Pattern.compile("\\$\\{(\\w+)}");

    private static Path root;
    private static Path deploy;
    private static JsonNode compose;
    private static JsonNode services;
    private static FlinkConfigKeys flinkKeys;

    @BeforeAll
    static void read() {
        root = ProjectTree.root();
        deploy = root.resolve("deploy");
        compose = yaml(deploy.resolve("docker-compose.yml"));
        services = compose.path("services");
        flinkKeys = FlinkConfigKeys.fromClasspath();
    }

    @Test
    void everyYamlFileParses() throws IOException {
        List<Path> files;
        try (Stream<Path> all =
                Stream.concat(
                        Files.walk(deploy), Files.walk(root.resolve("dashboards/provisioning")))) {
            files = all.filter(f -> f.toString().matches(".*\\.ya?ml")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(9);
        for (Path file : files) {
            assertThat(yaml(file).isObject())
                    .as(root.relativize(file) + " is a YAML mapping")
                    .isTrue();
        }
    }

    @Test
    void theComposeStackHasEveryPartAndPinsEveryImage() throws IOException {
        assertThat(fieldNames(services))
                .contains(
                        "kafka",
                        "topics",
                        "clickhouse",
                        "schema",
                        "flink-data-init",
                        "jobmanager",
                        "taskmanager",
                        "submit-jobs",
                        "generator",
                        "prometheus",
                        "grafana");
        services.fields()
                .forEachRemaining(
                        s -> {
                            String image = s.getValue().path("image").asText();
                            assertThat(image)
                                    .as(s.getKey() + ": image pinned to a version")
                                    .matches("[\\w./-]+:v?\\d[\\w.-]*");
                        });
        assertThat(services.path("kafka").path("image").asText()).startsWith("apache/kafka:");
        assertThat(services.path("prometheus").path("image").asText())
                .startsWith("prom/prometheus:v");
        // Every Flink and command-line service runs the job image, tagged with the project version.
        String jobImage = "lifelong-pulse/pulse-flink:" + projectVersion();
        for (String service :
                List.of(
                        "topics",
                        "schema",
                        "flink-data-init",
                        "jobmanager",
                        "taskmanager",
                        "submit-jobs",
                        "generator")) {
            assertThat(services.path(service).path("image").asText())
                    .as(service + " runs the job image")
                    .isEqualTo(jobImage);
            assertThat(services.path(service).path("build").path("dockerfile").asText())
                    .as(service + " builds it from deploy/Dockerfile")
                    .isEqualTo("deploy/Dockerfile");
        }
        String grafanaPlugin = env(services.path("grafana")).get("GF_INSTALL_PLUGINS");
        Matcher plugin =
                Pattern.compile("grafana-clickhouse-datasource (\\d+)\\.(\\d+)\\.\\d+")
                        .matcher(grafanaPlugin);
        assertThat(plugin.matches()).as(grafanaPlugin).isTrue();
        assertThat(Integer.parseInt(plugin.group(1)) * 100 + Integer.parseInt(plugin.group(2)))
                .as("plugin 4.14 or later (earlier ones panic on numeric timeouts)")
                .isGreaterThanOrEqualTo(414);
        assertThat(services.path("grafana").path("image").asText())
                .startsWith("grafana/grafana:11.6.");
        assertThat(env(services.path("kafka")).get("KAFKA_PROCESS_ROLES"))
                .isEqualTo("broker,controller");
    }

    /** The image every Flink service runs: FROM the pom's Flink, each COPY source in the repo. */
    @Test
    void theJobImageCarriesTheJarsTheConfigurationAndTheCommandLine() {
        JobImage image = JobImage.read(deploy.resolve("Dockerfile"), root);
        assertThat(image.from())
                .isEqualTo("flink:" + rootPom("flink.version") + "-scala_2.12-java17");
        for (JobImage.Copy copy : image.copies()) {
            if (copy.source().contains("/target/")) {
                continue; // built by Maven; DeploymentScriptsITCase lays out the built image
            }
            assertThat(copy.resolved()).as("COPY " + copy.source()).isNotNull();
        }
        assertThat(image.copyTo("/opt/flink/conf/config.yaml").source())
                .isEqualTo("deploy/flink/config.yaml");
        assertThat(image.copyTo("/opt/pulse-cli").source()).isEqualTo("tools/cli/target/pulse-cli");
        for (String job : List.of("participation", "fund-risk")) {
            assertThat(image.copyTo("/opt/flink/usrlib/pulse-" + job + "-job.jar").source())
                    .isEqualTo("jobs/" + job + "/target/pulse-" + job + "-*-job.jar");
        }
        assertThat(image.environment().get("PATH")).startsWith("/opt/pulse-cli/bin:");
        assertThat(image.environment()).containsEntry("PULSE_JOBS_DIR", "/opt/flink/usrlib");
    }

    /**
     * Every compose service that runs a command of ours is run by DeploymentScriptsITCase; the
     * others run their image's own command.
     */
    @Test
    void everyCommandOfComposeIsRunByTheExecutionTest() {
        for (Map.Entry<String, JsonNode> service : iterable(services)) {
            String name = service.getKey();
            boolean hasCommand =
                    service.getValue().has("command") || service.getValue().has("entrypoint");
            if (hasCommand) {
                assertThat(DeploymentScriptsITCase.EXECUTED)
                        .as(name + " has a command: DeploymentScriptsITCase must run it")
                        .containsKey(name);
            } else {
                assertThat(DeploymentScriptsITCase.IMAGE_DEFAULT)
                        .as(name + " runs its image's command: say so in IMAGE_DEFAULT")
                        .containsKey(name);
            }
        }
        assertThat(fieldNames(services))
                .containsAll(DeploymentScriptsITCase.EXECUTED.keySet())
                .containsAll(DeploymentScriptsITCase.IMAGE_DEFAULT.keySet());
    }

    /**
     * The jobs refuse to start without the id-hash key and the writer password: every container
     * that runs job code gets both, from variables compose requires, and deploy/ has no development
     * default for any secret.
     */
    @Test
    void everyJobContainerGetsBothSecretsAndComposeRequiresThem() throws IOException {
        for (String service : List.of("jobmanager", "taskmanager", "submit-jobs")) {
            Map<String, String> environment = env(services.path(service));
            for (String secret : List.of("PULSE_ID_HASH_SECRET", "PULSE_CH_WRITER_PASSWORD")) {
                assertThat(environment.get(secret))
                        .as(service + " gets " + secret + " from a required variable")
                        .startsWith("${" + secret + ":?");
            }
        }
        Map<String, String> complete = new HashMap<>();
        for (String v :
                List.of(
                        "PULSE_ID_HASH_SECRET",
                        "PULSE_CH_ADMIN_PASSWORD",
                        "PULSE_CH_WRITER_PASSWORD",
                        "PULSE_CH_READER_PASSWORD",
                        "GF_SECURITY_ADMIN_PASSWORD")) {
            complete.put(v, "x");
        }
        Path file = deploy.resolve("docker-compose.yml");
        assertThat(ComposeFile.read(file, complete).environment("submit-jobs"))
                .containsEntry("PULSE_ID_HASH_SECRET", "x");
        for (String missing : complete.keySet()) {
            Map<String, String> without = new HashMap<>(complete);
            without.remove(missing);
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> ComposeFile.read(file, without))
                    .as("compose refuses to start without " + missing)
                    .isInstanceOf(ComposeFile.MissingVariable.class)
                    .hasMessageStartingWith(missing + ": ");
        }
        try (Stream<Path> files = Files.walk(deploy)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(f))
                        .as(root.relativize(f) + " has no development secret")
                        .doesNotContain("dev-only-");
            }
        }
    }

    /** Two jobs at PULSE_PARALLELISM need that many slots twice, and as many partitions. */
    @Test
    void theClusterHasSlotsForBothJobsAndTheTopicsPartitionsForTheirParallelism()
            throws IOException {
        int parallelism =
                Integer.parseInt(env(services.path("submit-jobs")).get("PULSE_PARALLELISM"));
        int slots =
                Integer.parseInt(
                        env(services.path("taskmanager")).get("TASK_MANAGER_NUMBER_OF_TASK_SLOTS"));
        assertThat(slots).as("TaskManager slots").isGreaterThanOrEqualTo(2 * parallelism);
        assertThat(Integer.parseInt(env(services.path("topics")).get("PULSE_TOPIC_PARTITIONS")))
                .as("partitions of the event topics")
                .isGreaterThanOrEqualTo(parallelism);
        int largest = 0;
        for (String file : List.of("k8s/participation-job.yaml", "k8s/fund-risk-job.yaml")) {
            largest =
                    Math.max(
                            largest,
                            yaml(deploy.resolve(file))
                                    .path("spec")
                                    .path("job")
                                    .path("parallelism")
                                    .asInt());
        }
        JsonNode setup = yaml(deploy.resolve("k8s/pulse-setup-job.yaml"));
        Map<String, String> topicsEnv = new HashMap<>();
        for (JsonNode e :
                setup.path("spec")
                        .path("template")
                        .path("spec")
                        .path("initContainers")
                        .get(0)
                        .path("env")) {
            topicsEnv.put(e.path("name").asText(), e.path("value").asText());
        }
        assertThat(Integer.parseInt(topicsEnv.get("PULSE_TOPIC_PARTITIONS")))
                .as("Kubernetes topics' partitions vs the largest job parallelism")
                .isGreaterThanOrEqualTo(largest);
    }

    /** Grafana's ClickHouse plugin takes its timeouts as strings (numbers panic before 4.14). */
    @Test
    void theClickHouseDataSourceGivesItsTimeoutsAsStrings() throws IOException {
        Object document =
                new org.yaml.snakeyaml.Yaml()
                        .load(
                                Files.readString(
                                        root.resolve(
                                                "dashboards/provisioning/datasources/clickhouse.yaml")));
        JsonNode jsonData = YAML.valueToTree(document).path("datasources").get(0).path("jsonData");
        for (String field : List.of("dialTimeout", "queryTimeout")) {
            assertThat(jsonData.path(field).isTextual()).as(field + " is a string").isTrue();
            assertThat(Integer.parseInt(jsonData.path(field).asText())).isPositive();
        }
    }

    /** Prometheus scrapes the reporter port of services that expose it. */
    @Test
    void prometheusScrapesTheFlinkReporterOfEveryFlinkService() {
        JsonNode config = yaml(deploy.resolve("prometheus/prometheus.yml"));
        Set<String> targets = new TreeSet<>();
        for (JsonNode job : config.path("scrape_configs")) {
            for (JsonNode sc : job.path("static_configs")) {
                sc.path("targets").forEach(t -> targets.add(t.asText()));
            }
        }
        assertThat(targets).containsExactlyInAnyOrder("jobmanager:9249", "taskmanager:9249");
        for (String target : targets) {
            String[] hp = target.split(":");
            assertThat(ports(services.path(hp[0]))).as(target).contains(Integer.parseInt(hp[1]));
        }
        assertThat(bindMounts("prometheus", services.path("prometheus")))
                .containsEntry(
                        "/etc/prometheus/prometheus.yml",
                        deploy.resolve("prometheus/prometheus.yml"));
    }

    /** The compatibility table of the README names every image compose pins. */
    @Test
    void theReadmeCompatibilityTableNamesEveryPinnedImage() throws IOException {
        String readme = Files.readString(root.resolve("README.md"));
        for (Map.Entry<String, JsonNode> service : iterable(services)) {
            String image = service.getValue().path("image").asText();
            if (!image.startsWith("lifelong-pulse/")) {
                assertThat(readme).as("README names " + image).contains("`" + image + "`");
            }
        }
        assertThat(readme)
                .contains(env(services.path("grafana")).get("GF_INSTALL_PLUGINS").split(" ")[1]);
    }

    @Test
    void everyMountedFileExistsAndEveryScriptACommandRunsIsInTheImageOrMounted() {
        JobImage image = JobImage.read(deploy.resolve("Dockerfile"), root);
        int checked = 0;
        for (Map.Entry<String, JsonNode> service : iterable(services)) {
            Map<String, Path> mounts = bindMounts(service.getKey(), service.getValue());
            checked += mounts.size();
            for (String text : commandsOf(service.getValue())) {
                Matcher path = Pattern.compile("/(pulse|opt/pulse)/[\\w./-]+").matcher(text);
                while (path.find()) {
                    Path file = hostPath(mounts, path.group());
                    if (file == null) {
                        file = image.copyTo(path.group()).resolved();
                    }
                    assertThat(file).as(service.getKey() + " runs " + path.group()).isNotNull();
                    assertThat(file).as(service.getKey() + " runs " + path.group()).exists();
                    checked++;
                }
            }
        }
        assertThat(checked).as("bind mounts and scripts checked").isGreaterThanOrEqualTo(7);
    }

    @Test
    void servicesAndPortsReferencedExist() {
        Map<String, Set<Integer>> ports = new HashMap<>();
        services.fields().forEachRemaining(s -> ports.put(s.getKey(), ports(s.getValue())));
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, JsonNode> service : iterable(services)) {
            String name = service.getKey();
            service.getValue()
                    .path("depends_on")
                    .fieldNames()
                    .forEachRemaining(
                            d -> {
                                if (!ports.containsKey(d)) {
                                    problems.add(name + " depends on unknown service " + d);
                                }
                            });
            List<String> texts = new ArrayList<>(env(service.getValue()).values());
            texts.addAll(commandsOf(service.getValue()));
            for (String text : texts) {
                Matcher m = HOST_PORT.matcher(text);
                while (m.find()) {
                    String host = m.group(1);
                    int port = Integer.parseInt(m.group(2));
                    if (host.equals("localhost")) {
                        continue;
                    }
                    if (!ports.containsKey(host)) {
                        problems.add(name + " refers to unknown host " + m.group());
                    } else if (!ports.get(host).contains(port)) {
                        problems.add(
                                name
                                        + " refers to "
                                        + m.group()
                                        + " but "
                                        + host
                                        + " exposes "
                                        + ports.get(host));
                    }
                }
            }
        }
        Map<String, String> grafana = env(services.path("grafana"));
        assertThat(ports).containsKey(grafana.get("PULSE_CH_HOST"));
        assertThat(ports.get(grafana.get("PULSE_CH_HOST")))
                .contains(Integer.parseInt(grafana.get("PULSE_CH_HTTP_PORT")));
        Map<String, String> flinkProperties = flinkProperties(services.path("jobmanager"));
        assertThat(ports).containsKey(flinkProperties.get("jobmanager.rpc.address"));
        Map<String, String> config = flinkConfigYaml();
        assertThat(ports.get("jobmanager"))
                .contains(
                        Integer.parseInt(config.get("rest.port")),
                        Integer.parseInt(config.get("jobmanager.rpc.port")));
        assertThat(problems).isEmpty();
    }

    @Test
    void grafanaGetsTheProvisioningAndEveryVariableItUses() throws IOException {
        JsonNode grafana = services.path("grafana");
        Map<String, String> mounts = new HashMap<>();
        bindMounts("grafana", grafana)
                .forEach(
                        (target, source) -> mounts.put(target, root.relativize(source).toString()));
        assertThat(mounts)
                .containsEntry(
                        "/etc/grafana/provisioning/datasources",
                        "dashboards/provisioning/datasources")
                .containsEntry(
                        "/etc/grafana/provisioning/dashboards",
                        "dashboards/provisioning/dashboards")
                .containsEntry(
                        "/etc/grafana/provisioning/alerting", "dashboards/provisioning/alerting");
        String dashboardsPath =
                yaml(root.resolve("dashboards/provisioning/dashboards/pulse.yaml"))
                        .path("providers")
                        .get(0)
                        .path("options")
                        .path("path")
                        .asText();
        assertThat(mounts)
                .as("the dashboards provider reads the mounted dashboards/")
                .containsEntry(dashboardsPath, "dashboards");
        Map<String, String> environment = env(grafana);
        try (Stream<Path> files = Files.walk(root.resolve("dashboards/provisioning"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                Matcher m = PROVISIONING_VARIABLE.matcher(Files.readString(file));
                while (m.find()) {
                    assertThat(environment)
                            .as(file.getFileName() + " uses ${" + m.group(1) + "}")
                            .containsKey(m.group(1));
                }
            }
        }
    }

    @Test
    void theFlinkConfigurationUsesOnlyFlinkKeysWithValidValues() {
        assertThat(flinkKeys.optionClasses())
                .as("option classes found by reflection")
                .isGreaterThan(30);
        assertThat(flinkKeys.size()).isGreaterThan(500);
        Map<String, String> config = flinkConfigYaml();
        assertValidFlinkKeys("deploy/flink/config.yaml", config);
        assertValidFlinkKeys(
                "FLINK_PROPERTIES of jobmanager", flinkProperties(services.path("jobmanager")));
        assertValidFlinkKeys(
                "FLINK_PROPERTIES of taskmanager", flinkProperties(services.path("taskmanager")));

        assertThat(config)
                .containsEntry("pipeline.auto-generate-uids", "false")
                .containsEntry("pipeline.generic-types", "false")
                .containsEntry("execution.checkpointing.incremental", "true")
                .containsKeys(
                        "execution.checkpointing.interval",
                        "execution.checkpointing.num-retained",
                        "restart-strategy.type",
                        "execution.checkpointing.dir",
                        "execution.checkpointing.savepoint-dir");
        assertThat(config.get("state.backend.type")).isIn("rocksdb", "forst");
        assertThat(config.get("env.java.default-opts.all"))
                .contains("--add-opens=java.base/java.util=ALL-UNNAMED")
                .contains("--add-opens=java.base/java.lang=ALL-UNNAMED");
    }

    /**
     * YAML cannot include a file, so config.yaml holds a copy of the one list of Java 17 opens; it
     * must equal the list, flag for flag. Everything else reads the list itself.
     */
    @Test
    void theFlinkConfigurationCarriesTheOneListOfJavaOpens() throws IOException {
        Path list = deploy.resolve("flink").resolve("java17-opens.args");
        List<String> flags = JavaOpens.parse(Files.readString(list));
        assertThat(flags)
                .as("flags in " + list)
                .hasSizeGreaterThan(10)
                .allMatch(f -> f.startsWith("--add-opens=") || f.startsWith("--add-exports="))
                .doesNotHaveDuplicates();
        assertThat(List.of(flinkConfigYaml().get("env.java.default-opts.all").split("\\s+")))
                .as("env.java.default-opts.all of deploy/flink/config.yaml vs " + list)
                .containsExactlyElementsOf(flags);
        assertThat(JavaOpens.flags())
                .as("the list packaged for the local cluster")
                .containsExactlyElementsOf(flags);
        // The command line's artifact carries the list (conf/) and hands it to java as is;
        // ./pulse runs that artifact, with no flags of its own.
        assertThat(Files.readString(root.resolve("tools/cli/src/assembly/pulse-cli.xml")))
                .contains("<source>${pulse.root}/deploy/flink/java17-opens.args</source>");
        assertThat(Files.readString(root.resolve("tools/cli/src/main/dist/bin/pulse-cli")))
                .contains("\"@$app_home/conf/java17-opens.args\"")
                .doesNotContain("--add-opens");
        assertThat(Files.readString(root.resolve("pulse")))
                .contains("CLI_APP=\"$PULSE_HOME/tools/cli/target/pulse-cli\"")
                .contains("exec \"$CLI_APP/bin/pulse-cli\" \"$@\"")
                .doesNotContain("--add-opens")
                .doesNotContain("cli.classpath");
    }

    @Test
    void theFlinkKeyCheckRejectsWhatFlinkDoesNotKnow() {
        // The check itself must be able to fail: an invented key, a Flink 1.x key, a bad value.
        assertThat(flinkKeys.option("execution.checkpointing.intervall")).isEmpty();
        assertThat(flinkKeys.option("state.checkpoints.dir")).as("1.x name").isEmpty();
        ConfigOption<?> interval =
                flinkKeys.option("execution.checkpointing.interval").orElseThrow();
        assertThat(FlinkConfigKeys.parse(interval, "30 s")).hasToString("PT30S");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> FlinkConfigKeys.parse(interval, "thirty seconds"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void eachJobHasAFlinkDeploymentWithSavepointUpgradesHaAndSecrets() throws IOException {
        JsonNode secret = yaml(deploy.resolve("k8s/pulse-secrets.example.yaml"));
        Set<String> entryClasses = new TreeSet<>();
        for (String file : List.of("k8s/participation-job.yaml", "k8s/fund-risk-job.yaml")) {
            JsonNode d = yaml(deploy.resolve(file));
            assertThat(d.path("kind").asText()).isEqualTo("FlinkDeployment");
            assertThat(d.path("apiVersion").asText()).startsWith("flink.apache.org/");
            JsonNode spec = d.path("spec");
            assertThat(spec.path("flinkVersion").asText()).isEqualTo("v2_2");
            JsonNode job = spec.path("job");
            assertThat(job.path("upgradeMode").asText()).isEqualTo("savepoint");
            assertThat(job.path("parallelism").asInt()).isPositive();
            assertThat(job.path("jarURI").asText()).startsWith("local:///opt/flink/usrlib/");
            String jar = job.path("jarURI").asText().substring("local://".length());
            assertThat(JobImage.read(deploy.resolve("Dockerfile"), root).copyTo(jar).source())
                    .as(file + " runs a jar the image carries")
                    .startsWith("jobs/");
            assertThat(spec.path("image").asText())
                    .as(file + ": the image of deploy/Dockerfile")
                    .endsWith("/lifelong-pulse/pulse-flink:" + projectVersion());
            entryClasses.add(job.path("entryClass").asText());
            Map<String, String> flinkConfiguration = strings(spec.path("flinkConfiguration"));
            assertValidFlinkKeys(file, flinkConfiguration);
            assertThat(flinkConfiguration)
                    .containsEntry("high-availability.type", "kubernetes")
                    .containsKeys(
                            "high-availability.storageDir",
                            "execution.checkpointing.dir",
                            "execution.checkpointing.savepoint-dir")
                    .containsEntry("pipeline.auto-generate-uids", "false");
            Map<String, JsonNode> environment = new LinkedHashMap<>();
            for (JsonNode container : spec.path("podTemplate").path("spec").path("containers")) {
                container.path("env").forEach(e -> environment.put(e.path("name").asText(), e));
            }
            for (String name :
                    List.of(
                            "PULSE_ID_HASH_SECRET",
                            "PULSE_CH_WRITER_USER",
                            "PULSE_CH_WRITER_PASSWORD")) {
                JsonNode ref = environment.get(name);
                assertThat(ref).as(file + " sets " + name).isNotNull();
                JsonNode key = ref.path("valueFrom").path("secretKeyRef");
                assertThat(key.path("name").asText())
                        .as(name + " from the Secret")
                        .isEqualTo(secret.path("metadata").path("name").asText());
                assertThat(secret.path("stringData").has(key.path("key").asText()))
                        .as(name + " key " + key.path("key"))
                        .isTrue();
            }
            assertThat(environment).containsKeys("PULSE_KAFKA_BOOTSTRAP", "PULSE_CLICKHOUSE_URL");
        }
        assertThat(entryClasses).isEqualTo(JOB_CLASSES);

        String submit = Files.readString(deploy.resolve("flink/submit-jobs.sh"));
        Set<String> submitted = new TreeSet<>();
        Matcher m = Pattern.compile("org\\.lifelongpulse\\.[\\w.]+Job").matcher(submit);
        while (m.find()) {
            submitted.add(m.group());
        }
        assertThat(submitted).as("docker compose submits the same jobs").isEqualTo(JOB_CLASSES);
        assertThat(submit).contains("\"$flink\" run -d -m \"$rest\" -p \"$parallelism\"");
        // each job from its shaded jar, where the image puts it (PULSE_JOBS_DIR)
        assertThat(submit).contains("local jar=\"$jobs/pulse-$1-job.jar\"");
    }

    // ---------------------------------------------------------------- helpers

    private static String projectVersion() {
        return rootPom("project.version");
    }

    private static String rootPom(String property) {
        try {
            return DeploymentScriptsITCase.rootPomProperties(root).getProperty(property);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void assertValidFlinkKeys(String where, Map<String, String> config) {
        assertThat(config).as(where).isNotEmpty();
        List<String> problems = new ArrayList<>();
        config.forEach(
                (key, value) -> {
                    var option = flinkKeys.option(key);
                    if (option.isEmpty()) {
                        problems.add(key + " is not a Flink 2.x configuration key");
                        return;
                    }
                    try {
                        FlinkConfigKeys.parse(option.get(), value);
                    } catch (RuntimeException e) {
                        problems.add(
                                key
                                        + ": "
                                        + value
                                        + " is not a valid value ("
                                        + e.getMessage()
                                        + ")");
                    }
                });
        assertThat(problems).as(where).isEmpty();
    }

    private static Map<String, String> flinkConfigYaml() {
        return strings(yaml(deploy.resolve("flink/config.yaml")));
    }

    /** The {@code key: value} lines of a service's FLINK_PROPERTIES. */
    private static Map<String, String> flinkProperties(JsonNode service) {
        Map<String, String> out = new LinkedHashMap<>();
        String properties = env(service).getOrDefault("FLINK_PROPERTIES", "");
        for (String line : properties.split("\n")) {
            int colon = line.indexOf(": ");
            if (colon > 0) {
                out.put(line.substring(0, colon).strip(), line.substring(colon + 2).strip());
            }
        }
        return out;
    }

    /** Container path → host path of a service's bind mounts, each checked to exist. */
    private static Map<String, Path> bindMounts(String service, JsonNode spec) {
        Map<String, Path> mounts = new LinkedHashMap<>();
        Set<String> namedVolumes = fieldNames(compose.path("volumes"));
        for (JsonNode volume : spec.path("volumes")) {
            String[] parts = volume.asText().split(":");
            String source = parts[0];
            if (source.contains("${")) {
                continue; // a host path from the environment (e.g. the Maven repository)
            }
            if (!source.startsWith(".") && !source.startsWith("/")) {
                assertThat(namedVolumes).as(service + ": named volume " + source).contains(source);
                continue;
            }
            Path host = deploy.resolve(source).normalize();
            assertThat(host).as(service + " mounts " + source).exists();
            assertThat(host.startsWith(root)).as(service + " mounts from the repository").isTrue();
            mounts.put(parts[1], host);
        }
        return mounts;
    }

    private static Path hostPath(Map<String, Path> mounts, String containerPath) {
        String best = null;
        for (String target : mounts.keySet()) {
            if ((containerPath.equals(target) || containerPath.startsWith(target + "/"))
                    && (best == null || target.length() > best.length())) {
                best = target;
            }
        }
        if (best == null) {
            return null;
        }
        String rest = containerPath.substring(best.length());
        return rest.isEmpty()
                ? mounts.get(best)
                : mounts.get(best).resolve(rest.substring(1)).normalize();
    }

    /** The ports a service listens on inside the compose network: expose + container ports. */
    private static Set<Integer> ports(JsonNode service) {
        Set<Integer> out = new TreeSet<>();
        service.path("expose").forEach(p -> out.add(Integer.parseInt(p.asText())));
        service.path("ports")
                .forEach(
                        p -> {
                            String[] parts = p.asText().split(":");
                            out.add(Integer.parseInt(parts[parts.length - 1].split("/")[0]));
                        });
        return out;
    }

    private static List<String> commandsOf(JsonNode service) {
        List<String> out = new ArrayList<>();
        for (String field : List.of("command", "entrypoint")) {
            JsonNode node = service.path(field);
            if (node.isArray()) {
                node.forEach(n -> out.add(n.asText()));
            } else if (node.isTextual()) {
                out.add(node.asText());
            }
        }
        service.path("healthcheck").path("test").forEach(n -> out.add(n.asText()));
        return out;
    }

    private static Map<String, String> env(JsonNode service) {
        return strings(service.path("environment"));
    }

    private static Map<String, String> strings(JsonNode mapping) {
        Map<String, String> out = new LinkedHashMap<>();
        mapping.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> out = new TreeSet<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode node) {
        return node::fields;
    }

    /**
     * A YAML file as a tree. SnakeYAML loads it (Jackson's YAML parser leaves aliases and merge
     * keys unresolved, and docker compose files use both); Jackson makes the tree.
     */
    private static JsonNode yaml(Path file) {
        try {
            Object document = new org.yaml.snakeyaml.Yaml().load(Files.readString(file));
            return YAML.valueToTree(document);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
