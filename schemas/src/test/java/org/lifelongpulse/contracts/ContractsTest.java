package org.lifelongpulse.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** The contracts keep the rules that let them evolve without breaking readers. */
class ContractsTest {

    private static final Path AVRO = Path.of("avro");

    @Test
    void everyFieldHasADocAndOptionalFieldsAreNullableWithANullDefault() {
        List<String> offences = new ArrayList<>();
        for (Topic topic : Topic.values()) {
            for (Schema.Field field : topic.schema().getFields()) {
                String name = topic.schema().getName() + "." + field.name();
                if (field.doc() == null || field.doc().isBlank()) {
                    offences.add(name + " has no doc");
                }
                if (field.schema().isUnion()) {
                    boolean nullFirst =
                            field.schema().getTypes().get(0).getType() == Schema.Type.NULL;
                    if (!nullFirst
                            || !field.hasDefaultValue()
                            || field.defaultVal() != org.apache.avro.JsonProperties.NULL_VALUE) {
                        offences.add(name + " is optional without a null default");
                    }
                }
            }
        }
        assertThat(offences).isEmpty();
    }

    @Test
    void everyEnumDefaultsToUnknown() {
        List<Schema> enums =
                Stream.of(Topic.values())
                        .flatMap(t -> t.schema().getFields().stream())
                        .map(f -> f.schema().isUnion() ? f.schema().getTypes().get(1) : f.schema())
                        .filter(s -> s.getType() == Schema.Type.ENUM)
                        .distinct()
                        .toList();
        assertThat(enums).hasSizeGreaterThanOrEqualTo(10);
        assertThat(enums)
                .allSatisfy(
                        e -> {
                            assertThat(e.getEnumDefault()).as(e.getName()).isEqualTo("UNKNOWN");
                            assertThat(e.getEnumSymbols().get(0))
                                    .as(e.getName())
                                    .isEqualTo("UNKNOWN");
                        });
    }

    @Test
    void theHistoryIndexListsExactlyTheSchemasInTheHistoryFolder() throws IOException {
        List<String> files;
        try (Stream<Path> list = Files.list(AVRO.resolve("history"))) {
            files =
                    list.map(p -> p.getFileName().toString())
                            .filter(n -> n.endsWith(".avsc"))
                            .sorted()
                            .toList();
        }
        List<String> indexed =
                Files.readAllLines(AVRO.resolve("history").resolve("INDEX")).stream()
                        .map(String::strip)
                        .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                        .sorted()
                        .toList();
        assertThat(indexed).isEqualTo(files);
        assertThat(Contracts.history()).hasSize(files.size());
    }

    @Test
    void topicsAreKeyedAsTheDesignSays() {
        assertThat(Topic.LEARNING_ACTIVITY.keyOf(Samples.activity())).isEqualTo("learner-42");
        assertThat(Topic.FUND_TRANSACTIONS.keyOf(Samples.sale())).isEqualTo("inst-7");
        assertThat(Topic.RISK_RULES.keyOf(Samples.rule())).isEqualTo("R2@PUDONG");
        assertThat(Topic.INSTITUTIONS.keyOf(Samples.institution())).isEqualTo("inst-7");
        // one key per version on the history topic: updated 2020-11-01T01:00:00Z
        assertThat(Topic.INSTITUTION_VERSIONS.keyOf(Samples.institution()))
                .isEqualTo("inst-7@1604192400000");
        assertThat(Topic.INSTITUTION_VERSIONS.compacted()).isTrue();
        assertThat(Topic.LEARNING_RESOURCES.keyOf(Samples.resource())).isEqualTo("MOOC-007");
        assertThat(Topic.LEARNING_RESOURCES.compacted()).isTrue();
        assertThat(Topic.byName("fund.alerts.v1")).contains(Topic.RISK_ALERTS);
        assertThat(Topic.byName("nope")).isEmpty();
    }
}
