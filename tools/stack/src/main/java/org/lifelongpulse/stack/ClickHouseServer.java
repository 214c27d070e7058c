package org.lifelongpulse.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.lifelongpulse.contracts.ClickHouseDialect;

/**
 * A real ClickHouse server as a local process with a private configuration: loopback only, free
 * ports, data under the work directory, and the accounts in a generated users.xml: all three on a
 * server without SQL user management (18.16), only the administrator on a current release, where
 * the migrator creates the others as in production (see {@link ClickHouseDialect}).
 */
final class ClickHouseServer {

    /** Environment variable naming the server binary, overriding the search. */
    static final String BINARY_ENV = "PULSE_CLICKHOUSE_BIN";

    /** Where the local server takes connections from. */
    static final List<String> LOOPBACK = List.of("127.0.0.1", "::1");

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Path dir;
    private final Path log;
    private final ClickHouseAccounts accounts;
    private ClickHouseDialect dialect;

    ClickHouseServer(StackLayout layout, ClickHouseAccounts accounts) {
        this.dir = layout.clickHouseDir();
        this.log = layout.logDir().resolve("clickhouse.log");
        this.accounts = accounts;
    }

    Path log() {
        return log;
    }

    Process start(int httpPort, int tcpPort) {
        List<String> command = new ArrayList<>(serverCommand());
        dialect = installedDialect(command);
        try {
            for (String sub : List.of("data", "tmp", "user_files", "format_schemas", "access")) {
                Files.createDirectories(dir.resolve(sub));
            }
            Files.createDirectories(log.getParent());
            Files.writeString(dir.resolve("config.xml"), configXml(dialect, httpPort, tcpPort));
            Files.writeString(dir.resolve("users.xml"), usersXml(accounts, dialect, LOOPBACK));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        command.add("--config-file=" + dir.resolve("config.xml"));
        return Processes.startDetached(command, dir, log);
    }

    /** Whether the HTTP interface answers {@code /ping}. */
    static boolean answers(String baseUrl) {
        try {
            HttpResponse<String> response =
                    HTTP.send(
                            HttpRequest.newBuilder(URI.create(baseUrl + "/ping"))
                                    .timeout(Duration.ofSeconds(2))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().startsWith("Ok");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * The version a running server reports to the administrator, checked against the dialect its
     * users.xml was written for: a mismatch would leave the pipeline without accounts.
     */
    String checkedVersion(String baseUrl) {
        String version = version(baseUrl, accounts.admin());
        ClickHouseDialect expected = dialect != null ? dialect : installedDialect(serverCommand());
        if (ClickHouseDialect.forServerVersion(version) != expected) {
            throw new StackException(
                    "ClickHouse at "
                            + baseUrl
                            + " reports version "
                            + version
                            + ", but `--version` of "
                            + serverCommand()
                            + " suggested dialect "
                            + expected
                            + "; its users.xml does not fit. Set "
                            + BINARY_ENV
                            + " to the binary you mean to run.");
        }
        return version;
    }

    /** {@code SELECT version()} over HTTP as the given account. */
    static String version(String baseUrl, ClickHouseAccounts.Account account) {
        String basic =
                Base64.getEncoder()
                        .encodeToString(
                                (account.user() + ":" + account.password())
                                        .getBytes(StandardCharsets.UTF_8));
        try {
            HttpResponse<String> response =
                    HTTP.send(
                            HttpRequest.newBuilder(URI.create(baseUrl + "/"))
                                    .timeout(Duration.ofSeconds(10))
                                    .header("Authorization", "Basic " + basic)
                                    .POST(HttpRequest.BodyPublishers.ofString("SELECT version()"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new StackException(
                        "ClickHouse at "
                                + baseUrl
                                + " refused SELECT version()"
                                + " for "
                                + account.user()
                                + ": "
                                + response.body().strip());
            }
            return response.body().strip();
        } catch (IOException e) {
            throw new StackException("ClickHouse at " + baseUrl + " is not reachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while asking ClickHouse for its version", e);
        }
    }

    /**
     * The dialect of the installed server, from its {@code --version}. 18.16's server binary does
     * not know that option (it arrived with later releases), so a binary that prints no version is
     * taken for one without SQL user management; {@link #checkedVersion} confirms the guess once
     * the server runs.
     */
    static ClickHouseDialect installedDialect(List<String> command) {
        List<String> withVersion = new ArrayList<>(command);
        withVersion.add("--version");
        try {
            Process process = new ProcessBuilder(withVersion).redirectErrorStream(true).start();
            process.getOutputStream().close();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new StackException(String.join(" ", withVersion) + " did not end in 20 s");
            }
            String output =
                    new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return ClickHouseDialect.forServerVersion(output);
        } catch (IllegalArgumentException noVersion) {
            return ClickHouseDialect.USERS_XML;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while asking ClickHouse for its version", e);
        }
    }

    /** The command that starts a server, for whichever ClickHouse is installed. */
    static List<String> serverCommand() {
        Optional<List<String>> found = findServer();
        return found.orElseThrow(
                () ->
                        new StackException(
                                String.join(
                                        "\n",
                                        "No ClickHouse server was found (looked for $"
                                                + BINARY_ENV
                                                + ", clickhouse-server and clickhouse on PATH,"
                                                + " /usr/sbin, /usr/bin).",
                                        "Install one of:",
                                        "  - Debian/Ubuntu: sudo apt-get update && sudo apt-get"
                                                + " install -y clickhouse-server clickhouse-client",
                                        "    (`./pulse test` and `./pulse stack up` do this for you"
                                                + " when run as root on a machine with apt)",
                                        "  - any Linux/macOS: the single `clickhouse` binary from"
                                                + " clickhouse.com; then export "
                                                + BINARY_ENV
                                                + "=/path/to/clickhouse")));
    }

    static Optional<List<String>> findServer() {
        String override = System.getenv(BINARY_ENV);
        if (override != null && !override.isBlank()) {
            Path bin = Path.of(override);
            if (!Files.isExecutable(bin)) {
                throw new StackException(
                        BINARY_ENV + "=" + override + " is not an executable file");
            }
            return Optional.of(commandFor(bin));
        }
        List<Path> dirs = new ArrayList<>();
        String path = System.getenv().getOrDefault("PATH", "");
        for (String entry : path.split(":")) {
            if (!entry.isBlank()) {
                dirs.add(Path.of(entry));
            }
        }
        dirs.addAll(List.of(Path.of("/usr/sbin"), Path.of("/usr/bin"), Path.of("/usr/local/bin")));
        for (String name : List.of("clickhouse-server", "clickhouse")) {
            Optional<Path> bin =
                    dirs.stream().map(d -> d.resolve(name)).filter(Files::isExecutable).findFirst();
            if (bin.isPresent()) {
                return Optional.of(commandFor(bin.get()));
            }
        }
        return Optional.empty();
    }

    private static List<String> commandFor(Path bin) {
        // The single binary of current releases takes the tool as its first argument.
        return bin.getFileName().toString().equals("clickhouse")
                ? List.of(bin.toString(), "server")
                : List.of(bin.toString());
    }

    private String configXml(ClickHouseDialect dialect, int httpPort, int tcpPort) {
        // SQL-managed accounts need a writable access storage beside users.xml.
        String access =
                dialect.sqlManagedAccounts()
                        ? "    <access_control_path>"
                                + dir.resolve("access")
                                + "/</access_control_path>\n"
                        : "";
        return """
        <?xml version="1.0"?>
        <!-- Written by the Lifelong Pulse local stack; rewritten at every start. -->
        <%5$s>
            <logger>
                <level>information</level>
                <log>%1$s/clickhouse-server.log</log>
                <errorlog>%1$s/clickhouse-server.err.log</errorlog>
                <size>50M</size>
                <count>3</count>
            </logger>
            <http_port>%2$d</http_port>
            <tcp_port>%3$d</tcp_port>
            <listen_host>127.0.0.1</listen_host>
            <path>%4$s/data/</path>
            <tmp_path>%4$s/tmp/</tmp_path>
            <user_files_path>%4$s/user_files/</user_files_path>
            <format_schema_path>%4$s/format_schemas/</format_schema_path>
            <users_config>%4$s/users.xml</users_config>
            <default_profile>default</default_profile>
            <default_database>default</default_database>
            <timezone>UTC</timezone>
            <mark_cache_size>268435456</mark_cache_size>
            <max_concurrent_queries>100</max_concurrent_queries>
            <uncompressed_cache_size>268435456</uncompressed_cache_size>
        %6$s</%5$s>
        """
                .formatted(
                        log.getParent(),
                        httpPort,
                        tcpPort,
                        dir,
                        dialect.configRootElement(),
                        access);
    }

    /**
     * The users file of a server of the dialect that takes connections from {@code networks}: the
     * local process's users.xml, and the containers' users.d file.
     */
    /**
     * The writer's databases in users.xml: {@code pulse}, and {@code pulse_restricted} for the dead
     * letters' original bytes (allow_databases cannot grant INSERT without SELECT; on current
     * releases the writer only inserts there).
     */
    static final List<String> WRITER_DATABASES = List.of("pulse", "pulse_restricted");

    /** The reader's databases in users.xml: {@code pulse} only, never {@code pulse_restricted}. */
    static final List<String> READER_DATABASES = List.of("pulse");

    static String usersXml(
            ClickHouseAccounts accounts, ClickHouseDialect dialect, List<String> networks) {
        String users =
                dialect.sqlManagedAccounts()
                        ? user(accounts.admin(), "default", List.of(), networks, true)
                        : user(accounts.admin(), "default", List.of(), networks, false)
                                + user(
                                        accounts.writer(),
                                        "default",
                                        WRITER_DATABASES,
                                        networks,
                                        false)
                                + user(
                                        accounts.reader(),
                                        "readonly",
                                        READER_DATABASES,
                                        networks,
                                        false);
        return """
        <?xml version="1.0"?>
        <!-- Written by the Lifelong Pulse local stack from PULSE_CH_* (or development
             defaults); rewritten at every start. Passwords are stored as SHA-256. -->
        <%2$s>
            <profiles>
                <default>
                    <max_memory_usage>4000000000</max_memory_usage>
                </default>
                <readonly>
                    <max_memory_usage>2000000000</max_memory_usage>
                    <!-- 2: no writes or DDL, but clients may still change settings -->
                    <readonly>2</readonly>
                </readonly>
            </profiles>
            <users>
        %1$s    </users>
            <quotas>
                <default>
                    <interval>
                        <duration>3600</duration>
                        <queries>0</queries>
                        <errors>0</errors>
                        <result_rows>0</result_rows>
                        <read_rows>0</read_rows>
                        <execution_time>0</execution_time>
                    </interval>
                </default>
            </quotas>
        </%2$s>
        """
                .formatted(users, dialect.configRootElement());
    }

    private static String user(
            ClickHouseAccounts.Account account,
            String profile,
            List<String> onlyDatabases,
            List<String> networks,
            boolean accessManagement) {
        StringBuilder allowed = new StringBuilder();
        onlyDatabases.forEach(db -> allowed.append("<database>").append(db).append("</database>"));
        String databases =
                onlyDatabases.isEmpty()
                        ? ""
                        : "            <allow_databases>" + allowed + "</allow_databases>\n";
        StringBuilder ips = new StringBuilder();
        networks.forEach(ip -> ips.append("<ip>").append(ip).append("</ip>"));
        return "        <"
                + account.user()
                + ">\n"
                + "            <password_sha256_hex>"
                + account.passwordSha256Hex()
                + "</password_sha256_hex>\n"
                + "            <networks>"
                + ips
                + "</networks>\n"
                + "            <profile>"
                + profile
                + "</profile>\n"
                + "            <quota>default</quota>\n"
                + databases
                + (accessManagement ? "            <access_management>1</access_management>\n" : "")
                + "        </"
                + account.user()
                + ">\n";
    }
}
