package org.lifelongpulse.stack.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Docker probe against stand-ins: a socket that answers a ping as an engine does, one that
 * accepts and stays silent, a closed port and a missing socket. None may take longer than the
 * probe's timeout.
 */
class DockerEngineTest {

    private static final Duration TIMEOUT = Duration.ofMillis(500);

    @TempDir Path dir;

    @Test
    void aSocketThatAnswersThePingIsAnEngine() throws Exception {
        Path socket = dir.resolve("docker.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            Thread engine =
                    new Thread(
                            () ->
                                    answerOnce(
                                            server,
                                            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK"));
            engine.start();

            DockerEngine.Answer answer =
                    DockerEngine.probe(List.of("unix://" + socket), false, TIMEOUT);

            assertThat(answer.answers()).isTrue();
            assertThat(answer.engine()).isEqualTo("unix://" + socket);
            engine.join(2000);
        }
    }

    @Test
    void aSocketThatRefusesThePingIsNoEngine() throws Exception {
        Path socket = dir.resolve("other.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            Thread engine = new Thread(() -> answerOnce(server, "HTTP/1.1 404 Not Found\r\n\r\n"));
            engine.start();

            DockerEngine.Answer answer =
                    DockerEngine.probe(List.of("unix://" + socket), false, TIMEOUT);

            assertThat(answer.answers()).isFalse();
            assertThat(answer.detail()).contains("replied 'HTTP/1.1 404 Not Found'");
            engine.join(2000);
        }
    }

    @Test
    void aSilentSocketCostsTheTimeoutNotAHang() throws Exception {
        Path socket = dir.resolve("silent.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            // connections wait in the backlog: nobody accepts, reads or replies
            server.bind(UnixDomainSocketAddress.of(socket));
            long started = System.nanoTime();

            DockerEngine.Answer answer =
                    DockerEngine.probe(List.of("unix://" + socket), false, TIMEOUT);

            assertThat(answer.answers()).isFalse();
            assertThat(answer.detail()).contains("no reply within 500 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .isLessThan(Duration.ofSeconds(2));
        }
    }

    @Test
    void aClosedPortAndAMissingSocketAreNoEngineAndSaySo() throws IOException {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        long started = System.nanoTime();

        DockerEngine.Answer answer =
                DockerEngine.probe(
                        List.of(
                                "unix://" + dir.resolve("absent.sock"),
                                "tcp://127.0.0.1:" + closedPort,
                                "npipe:////./pipe/docker_engine"),
                        false,
                        TIMEOUT);

        assertThat(answer.answers()).isFalse();
        assertThat(answer.detail())
                .contains(dir.resolve("absent.sock") + ": no such socket")
                .contains("tcp://127.0.0.1:" + closedPort + ": ConnectException")
                .contains("npipe:////./pipe/docker_engine: only unix:// and tcp://host:port");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    }

    private static void answerOnce(ServerSocketChannel server, String reply) {
        try (SocketChannel client = server.accept()) {
            ByteBuffer request = ByteBuffer.allocate(1024);
            while (!new String(request.array(), 0, request.position(), StandardCharsets.US_ASCII)
                    .contains("\r\n\r\n")) {
                if (client.read(request) < 0) {
                    return;
                }
            }
            client.write(ByteBuffer.wrap(reply.getBytes(StandardCharsets.US_ASCII)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
