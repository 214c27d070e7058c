package org.lifelongpulse.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * deploy/docker-compose.yml as docker compose reads it: YAML with anchors and merge keys resolved
 * (SnakeYAML), then {@code ${VAR}}, {@code ${VAR:-default}}, {@code ${VAR-default}}, {@code
 * ${VAR:?message}}, {@code ${VAR?message}} and {@code $$} interpolated from an environment, as
 * compose does with the shell's environment and {@code .env}.
 */
final class ComposeFile {

    private static final Pattern VARIABLE =
            Pattern.compile("\\$\\$|\\$\\{(\\w+)(?:(:?[-?])([^}]*))?}|\\$(\\w+)");

    /** A required variable ({@code :?}) is unset: compose refuses to start, with this message. */
    static final class MissingVariable extends RuntimeException {
        MissingVariable(String variable, String message) {
            super(variable + ": " + message);
        }
    }

    private final Map<String, Object> root;

    private ComposeFile(Map<String, Object> root) {
        this.root = root;
    }

    /** The file interpolated from {@code environment}. */
    @SuppressWarnings("unchecked")
    static ComposeFile read(Path file, Map<String, String> environment) {
        try {
            Object document = new org.yaml.snakeyaml.Yaml().load(Files.readString(file));
            return new ComposeFile((Map<String, Object>) interpolate(document, environment));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Object interpolate(Object node, Map<String, String> environment) {
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(k.toString(), interpolate(v, environment)));
            return out;
        }
        if (node instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(v -> out.add(interpolate(v, environment)));
            return out;
        }
        if (node instanceof String text) {
            return interpolate(text, environment);
        }
        return node;
    }

    static String interpolate(String text, Map<String, String> environment) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group().equals("$$")) {
                replacement = "$";
            } else if (m.group(4) != null) {
                replacement = environment.getOrDefault(m.group(4), "");
            } else {
                String name = m.group(1);
                String operator = m.group(2);
                String argument = m.group(3);
                String value = environment.get(name);
                boolean unsetOrEmpty = value == null || value.isEmpty();
                boolean missing =
                        operator != null && operator.startsWith(":") ? unsetOrEmpty : value == null;
                if (operator == null) {
                    replacement = value == null ? "" : value;
                } else if (operator.endsWith("-")) {
                    replacement = missing ? argument : value;
                } else {
                    if (missing) {
                        throw new MissingVariable(name, argument);
                    }
                    replacement = value;
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> services() {
        return (Map<String, Object>) root.get("services");
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> service(String name) {
        Object service = services().get(name);
        if (service == null) {
            throw new IllegalArgumentException("deploy/docker-compose.yml has no service " + name);
        }
        return (Map<String, Object>) service;
    }

    /** A service's environment, each value as text. */
    @SuppressWarnings("unchecked")
    Map<String, String> environment(String name) {
        Map<String, String> out = new LinkedHashMap<>();
        Object environment = service(name).get("environment");
        if (environment instanceof Map<?, ?> map) {
            map.forEach((k, v) -> out.put(k.toString(), v == null ? "" : v.toString()));
        } else if (environment instanceof List<?> list) {
            for (Object entry : (List<Object>) list) {
                String[] parts = entry.toString().split("=", 2);
                out.put(parts[0], parts.length > 1 ? parts[1] : "");
            }
        }
        return out;
    }

    /** The service's entrypoint (empty: the image's) or command (empty: the image's). */
    List<String> list(String name, String field) {
        Object value = service(name).get(field);
        List<String> out = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.forEach(v -> out.add(v.toString()));
        } else if (value != null) {
            throw new IllegalStateException(
                    name
                            + "."
                            + field
                            + " is a string; write it as a list, so that no shell splits it");
        }
        return out;
    }

    /** Container path → source of each volume: a host path (bind mount) or a volume name. */
    Map<String, String> volumes(String name) {
        Map<String, String> out = new LinkedHashMap<>();
        Object volumes = service(name).get("volumes");
        if (volumes instanceof List<?> list) {
            for (Object volume : list) {
                String[] parts = volume.toString().split(":");
                out.put(parts[1], parts[0]);
            }
        }
        return out;
    }

    String image(String name) {
        Object image = service(name).get("image");
        return image == null ? "" : image.toString();
    }
}
