package org.lifelongpulse.dashboards;

import java.nio.file.Files;
import java.nio.file.Path;

/** Files of the project checkout that tests read: dashboards, provisioning, deployment. */
public final class ProjectTree {

    private ProjectTree() {}

    /**
     * The project root: {@code $PULSE_HOME} when set, otherwise the nearest directory above the
     * working directory (Maven runs tests in the module) holding {@code dashboards/} and
     * {@code schemas/}.
     */
    public static Path root() {
        String home = System.getenv("PULSE_HOME");
        if (home != null && !home.isBlank() && isRoot(Path.of(home))) {
            return Path.of(home).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (isRoot(dir)) {
                return dir;
            }
        }
        throw new IllegalStateException("no project root (with dashboards/ and schemas/) above "
                + Path.of("").toAbsolutePath());
    }

    private static boolean isRoot(Path dir) {
        return Files.isDirectory(dir.resolve("dashboards"))
                && Files.isDirectory(dir.resolve("schemas"));
    }
}
