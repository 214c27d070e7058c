package org.lifelongpulse.testutils;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.lifelongpulse.stack.ProjectTree;

/**
 * A job jar of the previous release, built from its commit in this repository's history, so that an
 * upgrade test resumes the current jar from a savepoint the jar operators run today took.
 */
public final class PreviousRelease {

    /**
     * The last landed release of {@code main}: the commit CI last passed before this line changed.
     * Move it forward when a release lands (and keep it when a change must stay restorable from
     * it).
     */
    public static final String COMMIT = "e079f447d2c44f9acf5ec5bd14e83343bab1360c";

    private PreviousRelease() {}

    /**
     * The shaded jar of {@code job} at {@link #COMMIT}: its source from {@code git archive}, built
     * with Maven offline (the dependencies are this build's); kept under {@code target/} for the
     * next run.
     */
    public static Path jobJar(String job) throws IOException, InterruptedException {
        Path root = ProjectTree.root();
        Path tree =
                root.resolve(
                        "tools/system-tests/target/previous-release/" + COMMIT.substring(0, 12));
        Path built = find(tree.resolve("jobs").resolve(job).resolve("target"), job);
        if (built != null) {
            return built;
        }
        Files.createDirectories(tree);
        Path archive = tree.resolveSibling(COMMIT.substring(0, 12) + ".tar");
        Path log = tree.resolveSibling(COMMIT.substring(0, 12) + "-build.log");
        run(root, log, List.of("git", "archive", "--format=tar", "-o", archive.toString(), COMMIT));
        run(tree, log, List.of("tar", "-xf", archive.toString()));
        run(
                tree,
                log,
                List.of(
                        "mvn",
                        "-B",
                        "-q",
                        "-o",
                        "-pl",
                        "jobs/" + job,
                        "-am",
                        "package",
                        "-DskipTests",
                        "-Dspotless.check.skip=true",
                        "-Denforcer.skip=true"));
        built = find(tree.resolve("jobs").resolve(job).resolve("target"), job);
        if (built == null) {
            throw new IllegalStateException(
                    "the build of " + COMMIT + " made no shaded jar of " + job + " in " + tree);
        }
        return built;
    }

    private static Path find(Path target, String job) throws IOException {
        if (!Files.isDirectory(target)) {
            return null;
        }
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(
                            p -> {
                                String name = p.getFileName().toString();
                                return name.startsWith("pulse-" + job + "-")
                                        && name.endsWith("-job.jar");
                            })
                    .findFirst()
                    .orElse(null);
        }
    }

    private static void run(Path dir, Path log, List<String> command)
            throws IOException, InterruptedException {
        Process p =
                new ProcessBuilder(command)
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " took over 10 minutes");
        }
        if (p.exitValue() != 0) {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            throw new IllegalStateException(
                    String.join(" ", command)
                            + " failed (exit "
                            + p.exitValue()
                            + ") in "
                            + dir
                            + ":\n"
                            + String.join(
                                    "\n",
                                    lines.subList(Math.max(0, lines.size() - 30), lines.size())));
        }
    }
}
