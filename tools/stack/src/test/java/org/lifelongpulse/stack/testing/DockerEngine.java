package org.lifelongpulse.stack.testing;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether a Docker engine answers, asked the way the Docker CLI finds one ({@code DOCKER_HOST},
 * else the usual sockets) with one {@code GET /_ping} bounded by a timeout: where no engine exists,
 * the answer comes at once, and a socket that accepts but never replies costs the timeout, never a
 * hang. Testcontainers' own detection runs only after an engine answered.
 */
final class DockerEngine {

    /** How long one engine may take to answer its ping. */
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    /**
     * What the probe found.
     *
     * @param answers whether an engine replied 200 to {@code /_ping}
     * @param engine the engine that answered, or every place asked when none did
     * @param detail why each place asked did not answer; empty when one did
     */
    record Answer(boolean answers, String engine, String detail) {}

    private DockerEngine() {}

    /** Asks the engines the environment points at. */
    static Answer probe(Map<String, String> env) {
        return probe(candidates(env), env.get("DOCKER_TLS_VERIFY") != null, TIMEOUT);
    }

    /** {@code DOCKER_HOST} when set, else the sockets Docker and Docker Desktop listen on. */
    static List<String> candidates(Map<String, String> env) {
        String host = env.get("DOCKER_HOST");
        if (host != null && !host.isBlank()) {
            return List.of(host.strip());
        }
        List<String> sockets = new ArrayList<>(List.of("unix:///var/run/docker.sock"));
        String home = env.get("HOME");
        if (home != null && !home.isBlank()) {
            sockets.add("unix://" + home + "/.docker/run/docker.sock");
            sockets.add("unix://" + home + "/.docker/desktop/docker.sock");
        }
        String runtime = env.get("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isBlank()) {
            sockets.add("unix://" + runtime + "/docker.sock"); // rootless Docker
        }
        return sockets;
    }

    /**
     * Pings each candidate in turn until one answers. With {@code tls}, a TCP engine counts as
     * answering when it accepts the connection (its ping would need the client certificates).
     */
    static Answer probe(List<String> candidates, boolean tls, Duration timeout) {
        List<String> reasons = new ArrayList<>();
        for (String candidate : candidates) {
            String reason = ping(candidate, tls, timeout);
            if (reason == null) {
                return new Answer(true, candidate, "");
            }
            reasons.add(candidate + ": " + reason);
        }
        return new Answer(false, String.join(", ", candidates), String.join("; ", reasons));
    }

    /** Null when the engine at {@code address} answered, else why not. */
    private static String ping(String address, boolean tls, Duration timeout) {
        URI uri;
        try {
            uri = URI.create(address);
        } catch (IllegalArgumentException e) {
            return "not an address";
        }
        if ("unix".equals(uri.getScheme())) {
            Path socket = Path.of(uri.getPath());
            if (!Files.exists(socket)) {
                return "no such socket";
            }
            return bounded(
                    timeout,
                    closer -> {
                        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                        closer.set(channel);
                        channel.connect(UnixDomainSocketAddress.of(socket));
                        return exchange(
                                Channels.newInputStream(channel),
                                Channels.newOutputStream(channel));
                    });
        }
        if ("tcp".equals(uri.getScheme()) && uri.getHost() != null && uri.getPort() > 0) {
            return bounded(
                    timeout,
                    closer -> {
                        Socket socket = new Socket();
                        closer.set(socket);
                        socket.connect(
                                new InetSocketAddress(uri.getHost(), uri.getPort()),
                                (int) timeout.toMillis());
                        if (tls) {
                            return null;
                        }
                        socket.setSoTimeout((int) timeout.toMillis());
                        return exchange(socket.getInputStream(), socket.getOutputStream());
                    });
        }
        return "only unix:// and tcp://host:port engines are probed";
    }

    /** Sends the ping; null on a 200 reply. */
    private static String exchange(InputStream in, OutputStream out) throws IOException {
        out.write(
                "GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        ByteBuffer reply = ByteBuffer.allocate(256);
        int read;
        while (reply.hasRemaining() && (read = in.read()) >= 0) {
            reply.put((byte) read);
            if (read == '\n') {
                break; // the status line is all we need
            }
        }
        String status =
                new String(reply.array(), 0, reply.position(), StandardCharsets.US_ASCII).strip();
        return status.startsWith("HTTP/1.") && status.contains(" 200")
                ? null
                : "replied " + (status.isEmpty() ? "nothing" : "'" + status + "'");
    }

    private interface Exchange {
        String run(AtomicReference<Closeable> closer) throws IOException;
    }

    /** Runs the exchange on a daemon thread; past the timeout its connection is closed. */
    private static String bounded(Duration timeout, Exchange exchange) {
        AtomicReference<Closeable> closer = new AtomicReference<>();
        CompletableFuture<String> result = new CompletableFuture<>();
        Thread thread =
                new Thread(
                        () -> {
                            try {
                                result.complete(exchange.run(closer));
                            } catch (IOException | RuntimeException e) {
                                result.complete(
                                        e.getClass().getSimpleName() + ": " + e.getMessage());
                            }
                        },
                        "docker-engine-probe");
        thread.setDaemon(true);
        thread.start();
        try {
            return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return "no reply within " + timeout.toMillis() + " ms";
        } catch (ExecutionException e) {
            return e.getCause().toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } finally {
            Closeable connection = closer.get();
            if (connection != null) {
                try {
                    connection.close();
                } catch (IOException ignored) {
                    // the probe's verdict stands
                }
            }
        }
    }
}
