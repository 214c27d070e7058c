package org.lifelongpulse.generator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Same seed and options give byte-identical files; another seed gives another world. */
class DeterminismTest {

    @TempDir Path dir;

    @Test
    void sameSeedWritesIdenticalBytesInEveryFile() throws IOException {
        Path first = write(SmallWorlds.small(42), dir.resolve("first"));
        Path second = write(SmallWorlds.small(42), dir.resolve("second"));

        List<Path> files = list(first);
        assertThat(files)
                .extracting(p -> p.getFileName().toString())
                .containsExactly(
                        "fund.institution-versions.v1.jsonl",
                        "fund.institutions.v1.jsonl",
                        "fund.transactions.v1.jsonl",
                        "learning.activity.v1.jsonl",
                        "learning.resources.v1.jsonl",
                        "learning.routes.v1.jsonl",
                        "malformed.jsonl",
                        "truth.json");
        for (Path file : files) {
            Path twin = second.resolve(file.getFileName());
            assertThat(Files.size(file)).as(file.getFileName().toString()).isPositive();
            assertThat(Files.readAllBytes(twin))
                    .as(file.getFileName().toString())
                    .isEqualTo(Files.readAllBytes(file));
        }
    }

    @Test
    void anotherSeedGivesAnotherWorld() throws IOException {
        Path first = write(SmallWorlds.small(42), dir.resolve("a"));
        Path other = write(SmallWorlds.small(43), dir.resolve("b"));

        for (String name :
                List.of("learning.activity.v1.jsonl", "fund.transactions.v1.jsonl", "truth.json")) {
            assertThat(Files.readAllBytes(other.resolve(name)))
                    .as(name)
                    .isNotEqualTo(Files.readAllBytes(first.resolve(name)));
        }
    }

    private static Path write(WorldParameters parameters, Path out) throws IOException {
        World world = Generator.build(parameters);
        try (DirectorySink sink = new DirectorySink(out)) {
            new Delivery(0, line -> {}).send(world.messages(), sink);
        }
        GroundTruth.of(world).write(out.resolve("truth.json"));
        return out;
    }

    private static List<Path> list(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.sorted().toList();
        }
    }
}
