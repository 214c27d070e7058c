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
    public static final String COMMIT = "f66bd0bd299655ada1c3639c51951b2177dc6e99";

    /**
     * Whether this release's participation job resumes from a savepoint of {@link #COMMIT}. When a
     * state change cannot be migrated, set it to false: the upgrade test then takes the documented
     * fresh start from the earliest offsets instead (see the README's upgrade runbook), until
     * {@link #COMMIT} moves to a release that has the new state.
     */
    public static final boolean PARTICIPATION_SAVEPOINT_COMPATIBLE = true;

    private PreviousRelease() {}

    /**
     * The shaded jar of {@code job} at {@link #COMMIT}: its source from {@code git archive}, built
     * with Maven offline (the dependencies are this build's). A commit never changes, so the build
     * is cached beside Maven's, under {@code ${XDG_CACHE_HOME:-~/.cache}/lifelong-pulse/}: a fresh
     * machine builds it once. The build happens in a scratch directory that is moved into place
     * when complete, so an interrupted build is never taken for a finished one.
     */
    public static Path jobJar(String job) throws IOException, InterruptedException {
        String cacheHome = System.getenv("XDG_CACHE_HOME");
        Path cache =
                (cacheHome == null || cacheHome.isBlank()
                                ? Path.of(System.getProperty("user.home"), ".cache")
                                : Path.of(cacheHome))
                        .resolve("lifelong-pulse/previous-release");
        String name = COMMIT.substring(0, 12) + "-" + job;
        Path done = cache.resolve(name);
        Path built = find(done.resolve("jobs").resolve(job).resolve("target"), job);
        if (built != null) {
            return built;
        }
        Path scratch = cache.resolve(name + ".building-" + ProcessHandle.current().pid());
        Files.createDirectories(scratch);
        Path log = cache.resolve(name + "-build.log");
        Path archive = cache.resolve(name + ".tar");
        run(
                ProjectTree.root(),
                log,
                List.of("git", "archive", "--format=tar", "-o", archive.toString(), COMMIT));
        run(scratch, log, List.of("tar", "-xf", archive.toString()));
        Files.delete(archive);
        run(
                scratch,
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
        if (find(scratch.resolve("jobs").resolve(job).resolve("target"), job) == null) {
            throw new IllegalStateException(
                    "the build of " + COMMIT + " made no shaded jar of " + job + " in " + scratch);
        }
        try {
            Files.move(scratch, done, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.FileAlreadyExistsException
                | java.nio.file.DirectoryNotEmptyException e) {
            // another run finished first: use its build
        }
        return find(done.resolve("jobs").resolve(job).resolve("target"), job);
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
