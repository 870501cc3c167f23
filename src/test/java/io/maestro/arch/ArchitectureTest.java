package io.maestro.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/** The layout is the architecture (architecture.md): core imports no feature; kinds never import each other. */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importMain() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.maestro");
    }

    @Test
    void theRulesSeeTheCode() {
        assertThat(classes.stream().filter(c -> c.getPackageName().startsWith("io.maestro.core"))).isNotEmpty();
        assertThat(classes.stream().map(c -> c.getPackageName()).filter(p -> p.startsWith("io.maestro.inventory.")).distinct())
                .hasSizeGreaterThanOrEqualTo(8);
    }

    @Test
    void coreDependsOnNoFeature() {
        noClasses().that().resideInAPackage("io.maestro.core..")
                .should().dependOnClassesThat().resideInAnyPackage("io.maestro.inventory..", "io.maestro.identity..", "io.maestro.web..", "io.maestro.integrations..")
                .because("core is the shared kernel every feature builds on")
                .check(classes);
    }

    @Test
    void kindsDoNotDependOnEachOther() {
        slices().matching("io.maestro.inventory.(*)..").should().notDependOnEachOther()
                .because("adding or changing one kind must not touch another; shared work belongs in core")
                .check(classes);
    }
}
