package org.lifelongpulse;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The rooms of the pipeline module, enforced: no package cycles, the two jobs independent of
 * each other, and the jobs' code never reaching for the operator tooling that still ships in this
 * module (issue #18 moves it out).
 */
class ArchitectureTest {

    private static final JavaClasses PIPELINE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.lifelongpulse");

    /** Operator tooling in the job jar: schema migration, Grafana macros, ad-hoc producers. */
    private static final String[] TOOLS = {
        "org.lifelongpulse.adapters.clickhouse.GrafanaMacros",
        "org.lifelongpulse.adapters.clickhouse.SchemaMigrator",
        "org.lifelongpulse.adapters.clickhouse.Migration",
        "org.lifelongpulse.adapters.clickhouse.ClickHouseHttp",
        "org.lifelongpulse.adapters.kafka.ContractProducer",
        "org.lifelongpulse.adapters.kafka.KafkaTopics",
    };

    @Test
    void packagesFormNoCycle() {
        slices().matching("org.lifelongpulse.(**)").should().beFreeOfCycles()
                .check(PIPELINE);
    }

    @Test
    void theJobsDoNotDependOnEachOther() {
        noClasses().that().resideInAPackage("org.lifelongpulse.fundrisk..")
                .should().dependOnClassesThat()
                .resideInAPackage("org.lifelongpulse.participation..")
                .check(PIPELINE);
        noClasses().that().resideInAPackage("org.lifelongpulse.participation..")
                .should().dependOnClassesThat()
                .resideInAPackage("org.lifelongpulse.fundrisk..")
                .check(PIPELINE);
    }

    @Test
    void jobCodeNeverUsesOperatorTooling() {
        noClasses().that().resideInAnyPackage("org.lifelongpulse.participation..",
                        "org.lifelongpulse.fundrisk..", "org.lifelongpulse.admission..",
                        "org.lifelongpulse.pseudonyms..",
                        "org.lifelongpulse.adapters.clickhouse.sink..",
                        "org.lifelongpulse.jobs..")
                .should().dependOnClassesThat().haveFullyQualifiedName(TOOLS[0])
                .orShould().dependOnClassesThat().haveFullyQualifiedName(TOOLS[1])
                .orShould().dependOnClassesThat().haveFullyQualifiedName(TOOLS[2])
                .orShould().dependOnClassesThat().haveFullyQualifiedName(TOOLS[3])
                .orShould().dependOnClassesThat().haveFullyQualifiedName(TOOLS[4])
                .orShould().dependOnClassesThat().haveFullyQualifiedName(TOOLS[5])
                .check(PIPELINE);
    }
}
