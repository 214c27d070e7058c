package org.lifelongpulse.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The production Flink configuration, {@code deploy/flink/config.yaml} (flat keys, one {@code key:
 * value} a line), which the build packages beside this class: the local cluster runs it with only
 * its endpoints and paths replaced, so the state backend, checkpointing, restart strategy and
 * reporter production uses are the ones every cluster test runs.
 */
public final class ProductionFlinkConfig {

    /** Where the build puts the file, beside this class. */
    static final String RESOURCE = "config.yaml";

    /**
     * The keys a host may set: where processes listen and where files go, and the slots of its
     * TaskManagers. Everything else (state backend, checkpoint interval, restart strategy, memory,
     * reporter) stays as production has it.
     */
    public static final Set<String> HOST_KEYS =
            Set.of(
                    "jobmanager.rpc.address",
                    "jobmanager.rpc.port",
                    "jobmanager.bind-host",
                    "taskmanager.bind-host",
                    "taskmanager.host",
                    "taskmanager.numberOfTaskSlots",
                    "rest.address",
                    "rest.bind-address",
                    "rest.port",
                    "execution.checkpointing.dir",
                    "execution.checkpointing.savepoint-dir",
                    "state.backend.rocksdb.localdir",
                    "io.tmp.dirs",
                    "metrics.reporter.prom.port");

    private static final Pattern ENTRY = Pattern.compile("^([A-Za-z0-9_.\\-]+)\\s*:\\s*(.*)$");

    private final String text;

    ProductionFlinkConfig(String text) {
        this.text = text;
    }

    /** The packaged {@code deploy/flink/config.yaml}. */
    public static ProductionFlinkConfig packaged() {
        try (InputStream in = ProductionFlinkConfig.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new StackException(
                        RESOURCE + " is missing from the build (it is copied from deploy/flink/)");
            }
            return new ProductionFlinkConfig(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every key and its value, in the order of the file. */
    public Map<String, String> entries() {
        Map<String, String> entries = new LinkedHashMap<>();
        for (String line : text.lines().toList()) {
            Matcher m = ENTRY.matcher(line);
            if (m.matches()) {
                entries.put(m.group(1), m.group(2).strip());
            }
        }
        return entries;
    }

    /**
     * The file with these host settings: a key the file has is replaced in its place (its comment
     * kept, the production value noted), the others appended at the end.
     *
     * @throws IllegalArgumentException for a key outside {@link #HOST_KEYS}
     */
    public String withHostSettings(Map<String, String> host) {
        for (String key : host.keySet()) {
            if (!HOST_KEYS.contains(key)) {
                throw new IllegalArgumentException(
                        key + " is production configuration, not a host setting");
            }
        }
        Map<String, String> pending = new LinkedHashMap<>(host);
        List<String> out = new ArrayList<>();
        out.add(
                "# deploy/flink/config.yaml as the local cluster runs it: only endpoints, paths"
                        + " and slots are replaced (marked \"host:\").");
        for (String line : text.lines().toList()) {
            Matcher m = ENTRY.matcher(line);
            if (m.matches() && pending.containsKey(m.group(1))) {
                String key = m.group(1);
                out.add("# host: production has " + key + ": " + m.group(2).strip());
                out.add(key + ": " + pending.remove(key));
            } else {
                out.add(line);
            }
        }
        if (!pending.isEmpty()) {
            out.add("");
            out.add("# --- host: settings production leaves to each host");
            pending.forEach((key, value) -> out.add(key + ": " + value));
        }
        out.add("");
        return String.join("\n", out);
    }
}
