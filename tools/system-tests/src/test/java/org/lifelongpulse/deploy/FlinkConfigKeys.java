package org.lifelongpulse.deploy;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * Flink's own configuration keys, found by reflection: every public static {@link ConfigOption} of
 * the {@code org.apache.flink..*Options} classes on the test classpath (core, runtime,
 * checkpointing, RocksDB, metrics, ...). Only current keys count: deprecated and fallback keys are
 * not accepted, so the deployment files use Flink 2.x names.
 */
final class FlinkConfigKeys {

    private final Map<String, ConfigOption<?>> options = new TreeMap<>();
    private int classes;

    private FlinkConfigKeys() {}

    static FlinkConfigKeys fromClasspath() {
        FlinkConfigKeys keys = new FlinkConfigKeys();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.endsWith(".jar") && new File(entry).getName().startsWith("flink-")) {
                keys.scan(entry);
            }
        }
        return keys;
    }

    private void scan(String jar) {
        try (JarFile file = new JarFile(jar)) {
            for (JarEntry entry : Collections.list(file.entries())) {
                String name = entry.getName();
                if (name.startsWith("org/apache/flink/")
                        && name.endsWith("Options.class")
                        && !name.contains("$")) {
                    register(
                            name.substring(0, name.length() - ".class".length()).replace('/', '.'));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void register(String className) {
        Class<?> type;
        try {
            type = Class.forName(className, false, FlinkConfigKeys.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return; // an optional dependency of that class is absent; its keys are not ours
        }
        boolean any = false;
        for (Field field : type.getFields()) {
            if (Modifier.isStatic(field.getModifiers())
                    && ConfigOption.class.isAssignableFrom(field.getType())) {
                try {
                    ConfigOption<?> option = (ConfigOption<?>) field.get(null);
                    options.putIfAbsent(option.key(), option);
                    any = true;
                } catch (IllegalAccessException | LinkageError e) {
                    // not readable: skip
                }
            }
        }
        if (any) {
            classes++;
        }
    }

    int optionClasses() {
        return classes;
    }

    int size() {
        return options.size();
    }

    /**
     * The option a key names. Reporter settings {@code metrics.reporter.<name>.<option>} name a
     * reporter-scoped option of {@code MetricOptions} (e.g. {@code factory.class}).
     */
    Optional<ConfigOption<?>> option(String key) {
        ConfigOption<?> direct = options.get(key);
        if (direct != null) {
            return Optional.of(direct);
        }
        String[] parts = key.split("\\.", 4);
        if (parts.length == 4 && parts[0].equals("metrics") && parts[1].equals("reporter")) {
            return Optional.ofNullable(options.get(parts[3]));
        }
        return Optional.empty();
    }

    /** Parses the value with the option's own type: a bad duration or enum throws. */
    static Object parse(ConfigOption<?> option, String value) {
        Configuration config = Configuration.fromMap(Map.of(option.key(), value));
        return config.get(option);
    }
}
