package org.lifelongpulse.stack;

import java.nio.file.Path;

/** Where a stack keeps its data, configuration, logs and state under its work directory. */
public record StackLayout(Path root) {

    public StackLayout {
        root = root.toAbsolutePath().normalize();
    }

    public Path stateFile() {
        return root.resolve("stack.properties");
    }

    public Path kafkaDir() {
        return root.resolve("kafka");
    }

    public Path clickHouseDir() {
        return root.resolve("clickhouse");
    }

    public Path logDir() {
        return root.resolve("logs");
    }
}
