package org.lifelongpulse.ops.clickhouse;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.lifelongpulse.adapters.clickhouse.ClickHouseException;

/**
 * ClickHouse's HTTP interface, for DDL and reads. (The JDBC driver cannot read results from
 * ClickHouse 18.16, and migrations need reads.) Credentials travel in a Basic header, never in the
 * URL; an {@code https://} base URL works unchanged.
 */
public final class ClickHouseHttp {

    private final HttpClient client;
    private final String baseUrl;
    private final String authorization;

    public ClickHouseHttp(String baseUrl, String user, String password) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.authorization =
                "Basic "
                        + Base64.getEncoder()
                                .encodeToString(
                                        (user + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Runs a statement that returns nothing (DDL, INSERT ... VALUES). */
    public void execute(String sql) {
        send(sql, null);
    }

    /** Runs a query and returns the body in the given format, e.g. TabSeparatedWithNames. */
    public String query(String sql, String format) {
        return send(sql, format);
    }

    /** Runs a query and returns its rows as tab-separated fields, without the header. */
    public List<List<String>> rows(String sql) {
        List<List<String>> rows = new ArrayList<>();
        String body = send(sql, "TabSeparated");
        for (String line : body.split("\n")) {
            if (!line.isEmpty()) {
                List<String> fields = new ArrayList<>();
                for (String field : line.split("\t", -1)) {
                    fields.add(unescape(field));
                }
                rows.add(fields);
            }
        }
        return rows;
    }

    /** The single value a query returns. */
    public String scalar(String sql) {
        return send(sql, "TabSeparated").strip();
    }

    /** The server's version, e.g. {@code 18.16.1} or {@code 25.3.2.39}. */
    public String serverVersion() {
        return scalar("SELECT version()");
    }

    /** The major version number, e.g. 18 or 25. */
    public int serverMajorVersion() {
        return Integer.parseInt(serverVersion().split("\\.")[0]);
    }

    public String baseUrl() {
        return baseUrl;
    }

    private String send(String sql, String format) {
        String url =
                baseUrl
                        + "/"
                        + (format == null
                                ? ""
                                : "?default_format="
                                        + URLEncoder.encode(format, StandardCharsets.UTF_8));
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofMinutes(2))
                        .header("Authorization", authorization)
                        .POST(HttpRequest.BodyPublishers.ofString(sql, StandardCharsets.UTF_8))
                        .build();
        HttpResponse<String> response;
        try {
            try {
                response =
                        client.send(
                                request,
                                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException firstAttempt) {
                // ClickHouse closes idle keep-alive connections after a few seconds, and the
                // JDK client may pick one just closed: one retry on a new connection.
                response =
                        client.send(
                                request,
                                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new ClickHouseException(
                    "ClickHouse at " + baseUrl + " is not reachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClickHouseException("interrupted while talking to ClickHouse", e);
        }
        if (response.statusCode() != 200) {
            throw new ClickHouseException(response.body().strip(), response.statusCode());
        }
        return response.body();
    }

    /** Undoes TabSeparated escaping. */
    public static String unescape(String field) {
        if (field.indexOf('\\') < 0) {
            return field;
        }
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 1 < field.length()) {
                char next = field.charAt(++i);
                out.append(
                        switch (next) {
                            case 't' -> '\t';
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case '0' -> '\0';
                            case 'b' -> '\b';
                            case 'f' -> '\f';
                            default -> next;
                        });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
