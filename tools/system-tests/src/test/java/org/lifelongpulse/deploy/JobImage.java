package org.lifelongpulse.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * deploy/Dockerfile read as data: what each {@code COPY} puts where (sources resolved in the
 * repository, globs included), and the {@code ENV} it sets. Without Docker, the tests lay these
 * files out under a directory of their own and run the compose commands against that layout.
 */
final class JobImage {

    /** One file or directory the image carries: its path in the image, its source in the repo. */
    record Copy(String target, String source, Path resolved) {}

    private final String from;
    private final List<Copy> copies;
    private final Map<String, String> environment;

    private JobImage(String from, List<Copy> copies, Map<String, String> environment) {
        this.from = from;
        this.copies = copies;
        this.environment = environment;
    }

    static JobImage read(Path dockerfile, Path root) {
        List<String> lines;
        try {
            lines = joinContinuations(Files.readAllLines(dockerfile));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String from = null;
        List<Copy> copies = new ArrayList<>();
        Map<String, String> environment = new LinkedHashMap<>();
        for (String line : lines) {
            String[] words = line.trim().split("\\s+");
            if (words.length == 0 || words[0].startsWith("#") || words[0].isEmpty()) {
                continue;
            }
            switch (words[0]) {
                case "FROM" -> from = words[1];
                case "COPY" -> {
                    List<String> args = new ArrayList<>();
                    for (int i = 1; i < words.length; i++) {
                        if (!words[i].startsWith("--")) {
                            args.add(words[i]);
                        }
                    }
                    String target = args.get(args.size() - 1);
                    for (String source : args.subList(0, args.size() - 1)) {
                        String into =
                                target.endsWith("/")
                                        ? target + Path.of(source).getFileName()
                                        : target;
                        copies.add(new Copy(into, source, resolve(root, source)));
                    }
                }
                case "ENV" -> {
                    for (int i = 1; i < words.length; i++) {
                        String[] kv = words[i].split("=", 2);
                        if (kv.length == 2) {
                            environment.put(kv[0], kv[1]);
                        }
                    }
                }
                default -> {}
            }
        }
        return new JobImage(from, copies, environment);
    }

    private static List<String> joinContinuations(List<String> raw) {
        List<String> lines = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : raw) {
            if (line.trim().startsWith("#") && current.length() == 0) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
            } else {
                current.append(line);
                lines.add(current.toString());
                current.setLength(0);
            }
        }
        return lines;
    }

    /** A COPY source in the repository; a glob must match exactly one file; null when none. */
    private static Path resolve(Path root, String source) {
        if (!source.contains("*")) {
            Path path = root.resolve(source).normalize();
            return Files.exists(path) ? path : null;
        }
        Path dir = root.resolve(source).getParent();
        PathMatcher glob =
                FileSystems.getDefault()
                        .getPathMatcher("glob:" + Path.of(source).getFileName().toString());
        if (!Files.isDirectory(dir)) {
            return null;
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> matches = files.filter(f -> glob.matches(f.getFileName())).toList();
            if (matches.size() > 1) {
                throw new IllegalStateException(
                        "COPY " + source + " matches " + matches + ": one file expected");
            }
            return matches.isEmpty() ? null : matches.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String from() {
        return from;
    }

    List<Copy> copies() {
        return copies;
    }

    Map<String, String> environment() {
        return environment;
    }

    /** The source in the repository of what the image has at {@code target}. */
    Copy copyTo(String target) {
        return copies.stream()
                .filter(c -> c.target().equals(target))
                .findFirst()
                .orElseThrow(
                        () -> new AssertionError("deploy/Dockerfile copies nothing to " + target));
    }
}
