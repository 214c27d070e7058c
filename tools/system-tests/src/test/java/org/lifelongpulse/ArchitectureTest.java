package org.lifelongpulse;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The rooms of the project, enforced over the main code of every module: no package cycles, the two
 * jobs independent of each other, and job code (jobs/) never reaching for a tool (tools/). The
 * module boundary says the same at build time: the enforcer in {@code jobs/pom.xml} fails the build
 * when a job module declares a dependency on a tool module, in any scope.
 */
class ArchitectureTest {

    private static final JavaClasses MAIN_CODE =
            new ClassFileImporter()
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .importPackages("org.lifelongpulse");

    /** The packages of jobs/ (common, participation, fund-risk). */
    private static final String[] JOB_PACKAGES = {
        "org.lifelongpulse.participation..", "org.lifelongpulse.fundrisk..",
        "org.lifelongpulse.admission..", "org.lifelongpulse.adapters..",
        "org.lifelongpulse.pseudonyms..", "org.lifelongpulse.jobs..",
        "org.lifelongpulse.state..", "org.lifelongpulse.shuffle.."
    };

    /** The packages of tools/. */
    private static final String[] TOOL_PACKAGES = {
        "org.lifelongpulse.ops..",
        "org.lifelongpulse.stack..",
        "org.lifelongpulse.generator..",
        "org.lifelongpulse.cli.."
    };

    @Test
    void everyModuleIsImported() {
        // a rule over an empty or partial import would pass for the wrong reason
        for (String type :
                new String[] {
                    "participation.ParticipationJob",
                    "fundrisk.FundRiskJob",
                    "admission.AdmitInTime",
                    "state.WriteBeforeSnapshot",
                    "shuffle.ShuffleSerializer",
                    "ops.clickhouse.SchemaMigrator",
                    "stack.LocalStack",
                    "generator.World",
                    "cli.PulseCli"
                }) {
            MAIN_CODE.get("org.lifelongpulse." + type);
        }
    }

    @Test
    void packagesFormNoCycle() {
        slices().matching("org.lifelongpulse.(**)").should().beFreeOfCycles().check(MAIN_CODE);
    }

    @Test
    void theJobsDoNotDependOnEachOther() {
        noClasses()
                .that()
                .resideInAPackage("org.lifelongpulse.fundrisk..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.lifelongpulse.participation..")
                .check(MAIN_CODE);
        noClasses()
                .that()
                .resideInAPackage("org.lifelongpulse.participation..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.lifelongpulse.fundrisk..")
                .check(MAIN_CODE);
    }

    @Test
    void jobCodeNeverUsesATool() {
        noClasses()
                .that()
                .resideInAnyPackage(JOB_PACKAGES)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(TOOL_PACKAGES)
                .check(MAIN_CODE);
    }
}
