package org.lifelongpulse.adapters.clickhouse.sink;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A server that lacks the RowBinary format (answering as ClickHouse answers an unknown format) gets
 * text VALUES from the writer, by itself, from the first insert on.
 */
class RowInserterFallbackTest {

    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::answer);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getRawQuery();
        String sql =
                (query == null ? "" : URLDecoder.decode(query, UTF_8))
                        + " "
                        + new String(exchange.getRequestBody().readAllBytes(), UTF_8);
        requests.add(sql);
        int status = 200;
        String body = "";
        if (sql.contains("DESCRIBE TABLE db.t")) {
            body = "id\tUInt64\t\t\t\nname\tString\t\t\t\n";
        } else if (sql.contains("FORMAT RowBinary")) {
            status = 500;
            body =
                    "Code: 73, e.displayText() = DB::Exception: Unknown format RowBinary,"
                            + " e.what() = DB::Exception\n";
        }
        byte[] bytes = body.getBytes(UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    @Test
    void aServerWithoutRowBinaryGetsTextValuesFromTheFirstInsertOn() throws Exception {
        ClickHouseSinkOptions.Settings settings =
                new ClickHouseSinkOptions.Settings(
                        "http://127.0.0.1:" + server.getAddress().getPort(),
                        "writer",
                        "secret",
                        100,
                        Duration.ofSeconds(1),
                        1,
                        Duration.ofMillis(1),
                        Duration.ofMillis(1),
                        "db.dead_letters",
                        "test");
        ClickHouseTable<Object[]> table =
                new ClickHouseTable<>("db.t", List.of("id", "name"), row -> row);
        try (RowInserter inserter = new RowInserter(settings, table, () -> {})) {
            RowInserter.Outcome first =
                    inserter.insert(List.of(new Object[] {1L, "a"}, new Object[] {2L, "b"}));
            assertThat(first.written()).isEqualTo(2);
            assertThat(first.deadLettered()).isZero();
            assertThat(inserter.writesRowBinary()).isFalse();
            assertThat(inserter.undecided()).isFalse();
            int before = requests.size();
            inserter.insert(List.<Object[]>of(new Object[] {3L, "c"}));
            assertThat(requests.subList(before, requests.size()))
                    .as("the second batch goes straight to text")
                    .noneMatch(r -> r.contains("RowBinary"))
                    .anyMatch(r -> r.contains("INSERT INTO db.t") && r.contains("VALUES"));
        }
        assertThat(requests).filteredOn(r -> r.contains("FORMAT RowBinary")).hasSize(1);
        assertThat(requests)
                .filteredOn(r -> r.contains("INSERT INTO db.t") && r.contains("VALUES"))
                .hasSize(2);
    }
}
