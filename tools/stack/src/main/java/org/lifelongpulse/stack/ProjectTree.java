package org.lifelongpulse.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The project checkout as the tools see it: its root, and where the build leaves each job's shaded
 * jar ({@code jobs/<job>/target/pulse-<job>-<version>-job.jar}).
 */
public final class ProjectTree {

    private ProjectTree() {}

    /**
     * The project root: {@code $PULSE_HOME} when set, otherwise the nearest directory above the
     * working directory (Maven runs tests in the module) holding {@code jobs/}, {@code dashboards/}
     * and {@code schemas/}.
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
        throw new IllegalStateException(
                "no project root (with jobs/, dashboards/ and schemas/)"
                        + " above "
                        + Path.of("").toAbsolutePath()
                        + "; set PULSE_HOME");
    }

    /**
     * The shaded jar of a job (its module's name: {@code participation}, {@code fund-risk}), as
     * {@code ./pulse} or {@code mvn package} builds it.
     */
    public static Path jobJar(String job) {
        Path target = root().resolve("jobs").resolve(job).resolve("target");
        String prefix = "pulse-" + job + "-";
        if (Files.isDirectory(target)) {
            try (Stream<Path> files = Files.list(target)) {
                var jar =
                        files.filter(
                                        p ->
                                                p.getFileName().toString().startsWith(prefix)
                                                        && p.getFileName()
                                                                .toString()
                                                                .endsWith("-job.jar"))
                                .findFirst();
                if (jar.isPresent()) {
                    return jar.get();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new StackException(
                "no shaded jar of the "
                        + job
                        + " job in "
                        + target
                        + "; build it with ./pulse (any command) or mvn -pl jobs/"
                        + job
                        + " -am package -DskipTests");
    }

    private static boolean isRoot(Path dir) {
        return Files.isDirectory(dir.resolve("jobs"))
                && Files.isDirectory(dir.resolve("dashboards"))
                && Files.isDirectory(dir.resolve("schemas"));
    }
}
