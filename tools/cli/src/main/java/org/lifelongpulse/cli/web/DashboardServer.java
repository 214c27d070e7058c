package org.lifelongpulse.cli.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.lifelongpulse.adapters.clickhouse.ClickHouseException;
import org.lifelongpulse.cli.snapshot.SnapshotRenderer;
import org.lifelongpulse.cli.web.LiveDashboards.Definition;
import org.lifelongpulse.cli.web.LiveDashboards.Rendered;

/**
 * The live dashboards over HTTP (the JDK's server), safe by default: it binds to loopback unless
 * told otherwise, and then answers only requests addressed to a loopback name (so that a web page
 * elsewhere cannot reach it through DNS rebinding); it serves GET only, reads through the account
 * {@link LiveDashboards} was given, and answers a bad parameter with 400 and a message, anything
 * else that goes wrong with a message too, never a stack trace.
 *
 * <table>
 *   <caption>Paths</caption>
 *   <tr><td>{@code /}</td><td>the dashboards</td></tr>
 *   <tr><td>{@code /d/<uid>?range=&from=&to=&var-<name>=}</td><td>a dashboard's page</td></tr>
 *   <tr><td>{@code /api/d/<uid>?...}</td><td>its panels as JSON (what the page refetches)</td></tr>
 *   <tr><td>{@code /static/...}</td><td>style sheets and the page's script, from the jar</td></tr>
 * </table>
 */
public final class DashboardServer implements AutoCloseable {

    private static final Map<String, String> STATIC =
            Map.of(
                    "/static/live.js", "text/javascript; charset=utf-8",
                    "/static/live.css", "text/css; charset=utf-8",
                    "/static/panels.css", "text/css; charset=utf-8");

    private final LiveDashboards dashboards;
    private final Consumer<String> log;
    private final DashboardPage page = new DashboardPage();
    private final Map<String, String> staticFiles;
    private final HttpServer server;
    private final ExecutorService workers;
    private final boolean loopbackOnly;

    private DashboardServer(
            LiveDashboards dashboards, InetSocketAddress address, Consumer<String> log)
            throws IOException {
        this.dashboards = dashboards;
        this.log = log;
        this.staticFiles =
                Map.of(
                        "/static/live.js", DashboardPage.resource("live.js"),
                        "/static/live.css", DashboardPage.resource("live.css"),
                        "/static/panels.css", SnapshotRenderer.stylesheet());
        this.loopbackOnly = address.getAddress().isLoopbackAddress();
        this.server = HttpServer.create(address, 16);
        this.workers =
                Executors.newFixedThreadPool(
                        4,
                        r -> {
                            Thread t = new Thread(r, "dashboards-http");
                            t.setDaemon(true);
                            return t;
                        });
        server.setExecutor(workers);
        server.createContext("/", this::handle);
        server.start();
    }

    /**
     * Starts serving.
     *
     * @param bind the address to listen on; loopback keeps the pages on this machine
     * @param port the port, 0 for any free one
     * @param log where to report requests that failed on the server's side
     * @throws IOException when the port is taken
     */
    public static DashboardServer start(
            LiveDashboards dashboards, InetAddress bind, int port, Consumer<String> log)
            throws IOException {
        try {
            return new DashboardServer(dashboards, new InetSocketAddress(bind, port), log);
        } catch (java.net.BindException e) {
            throw new IOException(
                    "cannot listen on "
                            + bind.getHostAddress()
                            + ":"
                            + port
                            + " ("
                            + e.getMessage()
                            + "): choose another --port",
                    e);
        }
    }

    /** The address of the list of dashboards. */
    public URI url() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().getHostAddress();
        if (a.getAddress().isAnyLocalAddress()) {
            host = "127.0.0.1";
        } else if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + a.getPort() + "/");
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        boolean api = exchange.getRequestURI().getPath().startsWith("/api/");
        try {
            if (loopbackOnly && !loopbackHost(exchange.getRequestHeaders().getFirst("Host"))) {
                send(exchange, 403, api, "this server answers only requests to localhost");
                return;
            }
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                send(exchange, 405, api, "only GET is served here");
                return;
            }
            route(exchange, api);
        } catch (BadRequest e) {
            sendQuietly(exchange, 400, api, e.getMessage());
        } catch (ClickHouseException e) {
            sendQuietly(exchange, 502, api, "ClickHouse did not answer: " + e.getMessage());
        } catch (RuntimeException e) {
            log.accept("dashboards: " + exchange.getRequestURI().getPath() + " failed: " + e);
            sendQuietly(exchange, 500, api, "the server failed on this request: " + e.getMessage());
        } finally {
            exchange.close();
        }
    }

    private void route(HttpExchange exchange, boolean api) throws IOException {
        String path = exchange.getRequestURI().getPath();
        Map<String, List<String>> params =
                LiveDashboards.parameters(exchange.getRequestURI().getRawQuery());
        Instant now = Instant.now();
        if (path.equals("/")) {
            reply(
                    exchange,
                    200,
                    "text/html; charset=utf-8",
                    page.index(dashboards.dashboards(), DashboardPage.query(params)));
        } else if (STATIC.containsKey(path)) {
            reply(exchange, 200, STATIC.get(path), staticFiles.get(path));
        } else if (path.startsWith("/d/") || path.startsWith("/api/d/")) {
            String uid = path.substring(path.indexOf("/d/") + 3);
            Optional<Definition> dashboard = dashboards.dashboard(uid);
            if (dashboard.isEmpty()) {
                send(exchange, 404, api, "no dashboard '" + uid + "' here");
                return;
            }
            Rendered rendered = dashboards.render(dashboards.select(dashboard.get(), params, now));
            if (api) {
                reply(exchange, 200, "application/json", page.refresh(rendered, now));
            } else {
                reply(
                        exchange,
                        200,
                        "text/html; charset=utf-8",
                        page.page(rendered, dashboards.dashboards(), now));
            }
        } else {
            send(exchange, 404, api, "nothing at " + path);
        }
    }

    private void sendQuietly(HttpExchange exchange, int status, boolean api, String message) {
        try {
            send(exchange, status, api, message);
        } catch (IOException | RuntimeException e) {
            // the response was started already, or the browser went away
        }
    }

    private void send(HttpExchange exchange, int status, boolean api, String message)
            throws IOException {
        if (api) {
            reply(exchange, status, "application/json", DashboardPage.error(message));
        } else {
            reply(
                    exchange,
                    status,
                    "text/html; charset=utf-8",
                    page.error(status, message, dashboards.dashboards()));
        }
    }

    private static void reply(HttpExchange exchange, int status, String type, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", type);
        headers.set("Cache-Control", "no-store");
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Referrer-Policy", "no-referrer");
        // scripts only from here; the charts' inline colours need inline styles
        headers.set(
                "Content-Security-Policy",
                "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:;"
                        + " frame-ancestors 'none'");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** Whether a Host header names this machine's loopback: localhost, 127.x.x.x or [::1]. */
    static boolean loopbackHost(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            return h.startsWith("[::1]");
        }
        int colon = h.indexOf(':');
        String name = colon < 0 ? h : h.substring(0, colon);
        return name.equals("localhost") || name.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }
}
