package org.lifelongpulse.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The properties file in which a local runtime remembers what it started: pids with their start
 * instants, and ports. Written atomically, so a crash never leaves half a file.
 */
record StateFile(Path file) {

    Properties read() {
        Properties state = new Properties();
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                state.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return state;
    }

    void write(Properties state, String comment) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                state.store(out, comment);
            }
            Files.move(
                    tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Suffix of the key recording a process's Prometheus reporter port. */
    static final String METRICS_PORT = ".metrics.port";

    static void record(Properties state, ManagedProcess process) {
        state.setProperty(process.name() + ".pid", Long.toString(process.pid()));
        state.setProperty(process.name() + ".started", process.startedAt().toString());
    }

    static void forget(Properties state, String name) {
        state.remove(name + ".pid");
        state.remove(name + ".started");
        state.remove(name + METRICS_PORT);
    }

    static Optional<ManagedProcess> process(Properties state, String name) {
        String pid = state.getProperty(name + ".pid");
        String started = state.getProperty(name + ".started");
        return pid == null || started == null
                ? Optional.empty()
                : Optional.of(
                        new ManagedProcess(name, Long.parseLong(pid), Instant.parse(started)));
    }

    /**
     * The recorded processes whose names match {@code name}, e.g. every {@code taskmanager-N},
     * oldest first.
     */
    static List<ManagedProcess> processes(Properties state, Pattern name) {
        return state.stringPropertyNames().stream()
                .filter(key -> key.endsWith(".pid"))
                .map(key -> key.substring(0, key.length() - ".pid".length()))
                .filter(n -> name.matcher(n).matches())
                .map(n -> process(state, n))
                .flatMap(Optional::stream)
                .sorted(
                        Comparator.comparing(ManagedProcess::startedAt)
                                .thenComparing(ManagedProcess::name))
                .toList();
    }
}
