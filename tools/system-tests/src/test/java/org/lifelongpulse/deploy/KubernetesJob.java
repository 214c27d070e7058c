package org.lifelongpulse.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Kubernetes Job manifest as the kubelet would run it: its init containers, then its containers,
 * each with its command and arguments and its environment, values from Secrets looked up in {@code
 * secrets} ({@code secret-name/key} → value).
 */
final class KubernetesJob {

    record Container(
            String name, String image, List<String> argv, Map<String, String> environment) {}

    private final List<Container> containers;

    private KubernetesJob(List<Container> containers) {
        this.containers = containers;
    }

    @SuppressWarnings("unchecked")
    static KubernetesJob read(Path file, Map<String, String> secrets) {
        Map<String, Object> job;
        try {
            job = new org.yaml.snakeyaml.Yaml().load(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Object> pod =
                (Map<String, Object>)
                        ((Map<String, Object>)
                                        ((Map<String, Object>) job.get("spec")).get("template"))
                                .get("spec");
        List<Container> out = new ArrayList<>();
        for (String field : List.of("initContainers", "containers")) {
            for (Object c : (List<Object>) pod.getOrDefault(field, List.of())) {
                Map<String, Object> container = (Map<String, Object>) c;
                List<String> argv = new ArrayList<>();
                ((List<Object>) container.getOrDefault("command", List.of()))
                        .forEach(a -> argv.add(a.toString()));
                ((List<Object>) container.getOrDefault("args", List.of()))
                        .forEach(a -> argv.add(a.toString()));
                Map<String, String> env = new LinkedHashMap<>();
                for (Object e : (List<Object>) container.getOrDefault("env", List.of())) {
                    Map<String, Object> var = (Map<String, Object>) e;
                    String name = var.get("name").toString();
                    if (var.containsKey("value")) {
                        env.put(name, String.valueOf(var.get("value")));
                    } else {
                        Map<String, Object> ref =
                                (Map<String, Object>)
                                        ((Map<String, Object>) var.get("valueFrom"))
                                                .get("secretKeyRef");
                        String key = ref.get("name") + "/" + ref.get("key");
                        String value = secrets.get(key);
                        if (value == null) {
                            throw new AssertionError(file + ": no secret " + key + " for " + name);
                        }
                        env.put(name, value);
                    }
                }
                out.add(
                        new Container(
                                container.get("name").toString(),
                                container.get("image").toString(),
                                argv,
                                env));
            }
        }
        return new KubernetesJob(out);
    }

    List<Container> containers() {
        return containers;
    }
}
