package io.maestro.arch;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcOperations;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Controller;
import org.springframework.stereotype.Repository;
import org.springframework.web.bind.annotation.RestController;

import javax.sql.DataSource;
import java.util.Set;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.properties.CanBeAnnotated.Predicates.annotatedWith;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The layout is the architecture (architecture.md), checked on every build:
 * <ul>
 * <li>no cycles between the top-level packages (core, identity, history, graph, web, inventory,
 * and any feature added beside them);</li>
 * <li>core depends on no feature: only on itself (so every feature, old or new, may use it);</li>
 * <li>kinds never import each other;</li>
 * <li>JDBC ({@code JdbcTemplate}, {@code NamedParameterJdbcTemplate}, {@code JdbcClient},
 * {@code DataSource}) only in stores: classes annotated {@code @Repository} or named
 * {@code *Store}. Services, controllers and pages ask a store. The classes listed in
 * {@link #SQL_NOT_YET_IN_A_STORE} predate the rule; the list only shrinks;</li>
 * <li>controllers and web pages reach data only through services: never a store (such as
 * {@code RecordStore}) directly.</li>
 * </ul>
 */
class ArchitectureTest {
    private static JavaClasses classes;

    /** Classes that still hold their own SQL (identity, history, infrastructure); new code puts SQL in a store. */
    private static final Set<String> SQL_NOT_YET_IN_A_STORE = Set.of(
            "io.maestro.core.Dialect", "io.maestro.core.PostgresTuning", "io.maestro.core.options.OptionsService",
            "io.maestro.core.record.BatchInsert", "io.maestro.core.record.RefResolver", "io.maestro.core.record.SecretRotation",
            "io.maestro.core.record.Visibility",
            // infrastructure around the connection pool: the transaction manager and the health probe
            "io.maestro.core.reliability.DatabaseProbe", "io.maestro.core.reliability.SerialisedH2Writes",
            "io.maestro.core.reliability.ReliabilityConfig",
            "io.maestro.identity.Accounts", "io.maestro.identity.ApiTokens", "io.maestro.identity.Bootstrap",
            "io.maestro.identity.CurrentCaller", "io.maestro.identity.LoginThrottle", "io.maestro.identity.SecurityConfig");

    private static final DescribedPredicate<JavaClass> STORE = DescribedPredicate.describe("a store (@Repository or *Store)",
            c -> c.isAnnotatedWith(Repository.class) || c.getSimpleName().endsWith("Store")
                    || (c.getEnclosingClass().isPresent() && (c.getEnclosingClass().get().isAnnotatedWith(Repository.class)
                    || c.getEnclosingClass().get().getSimpleName().endsWith("Store"))));

    private static final DescribedPredicate<JavaClass> LEGACY_SQL = DescribedPredicate.describe("listed as SQL not yet in a store",
            c -> SQL_NOT_YET_IN_A_STORE.contains(c.getName())
                    || c.getEnclosingClass().map(e -> SQL_NOT_YET_IN_A_STORE.contains(e.getName())).orElse(false));

    @BeforeAll
    static void importMain() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.maestro");
    }

    @Test
    void theRulesSeeTheCode() {
        assertThat(classes.stream().filter(c -> c.getPackageName().startsWith("io.maestro.core"))).isNotEmpty();
        assertThat(classes.stream().map(c -> c.getPackageName()).filter(p -> p.startsWith("io.maestro.inventory.")).distinct())
                .hasSizeGreaterThanOrEqualTo(8);
        assertThat(classes.stream().filter(c -> c.getPackageName().startsWith("io.maestro.web"))).isNotEmpty();
        assertThat(classes.stream().filter(STORE::test).map(JavaClass::getSimpleName)).contains("RecordStore", "AccessStore", "GraphStore");
    }

    @Test
    void topLevelPackagesHaveNoCycles() {
        slices().matching("io.maestro.(*)..").should().beFreeOfCycles()
                .because("a feature builds on core and on features below it, never on one that builds on it")
                .check(classes);
    }

    @Test
    void coreDependsOnNoFeature() {
        noClasses().that().resideInAPackage("io.maestro.core..")
                .should().dependOnClassesThat(resideInAPackage("io.maestro..").and(DescribedPredicate.not(resideInAPackage("io.maestro.core.."))))
                .because("core is the shared kernel every feature (inventory, identity, history, graph, web and those to come) builds on")
                .check(classes);
    }

    @Test
    void kindsDoNotDependOnEachOther() {
        slices().matching("io.maestro.inventory.(*)..").should().notDependOnEachOther()
                .because("adding or changing one kind must not touch another; shared work belongs in core")
                .check(classes);
    }

    @Test
    void jdbcOnlyInStores() {
        noClasses().that(DescribedPredicate.not(STORE).and(DescribedPredicate.not(LEGACY_SQL)))
                .should().dependOnClassesThat(belongToAnyOf(JdbcTemplate.class, JdbcOperations.class, NamedParameterJdbcTemplate.class,
                        NamedParameterJdbcOperations.class, JdbcClient.class, DataSource.class))
                .because("SQL lives in stores (@Repository or *Store); services decide, stores read and write rows")
                .check(classes);
    }

    @Test
    void controllersAndPagesGoThroughServices() {
        noClasses().that().resideInAPackage("io.maestro.web..")
                .or().areAnnotatedWith(RestController.class).or().areAnnotatedWith(Controller.class)
                .should().dependOnClassesThat(STORE.or(annotatedWith(Repository.class)))
                .because("what a page or an endpoint may see and do is decided by the services (access, validation, history)")
                .check(classes);
    }
}
