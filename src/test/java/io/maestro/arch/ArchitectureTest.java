package io.maestro.arch;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.maestro.core.record.BatchInsert;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.stereotype.Controller;
import org.springframework.stereotype.Repository;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
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
 * <li>JDBC (Spring's {@code JdbcTemplate}, {@code JdbcClient} ..., {@code java.sql}, {@code javax.sql},
 * the Hikari pool) only in stores: classes annotated {@code @Repository} or named {@code *Store}.
 * Services, controllers and pages ask a store. {@link #JDBC_INFRASTRUCTURE} names the few
 * classes that set up or guard the connections, each with its reason;</li>
 * <li>controllers and web pages reach data only through services: never a store (such as
 * {@code RecordStore}), JDBC or that infrastructure; the templates call no bean.</li>
 * </ul>
 */
class ArchitectureTest {
    private static JavaClasses classes;

    /**
     * The only classes outside stores that touch JDBC, each with why it must: none runs a query of
     * a feature; they set up, guard or classify the connections the stores use. Feature code never
     * belongs here: its SQL goes in a store.
     */
    private static final Map<String, String> JDBC_INFRASTRUCTURE = Map.of(
            "io.maestro.core.Dialect", "reads the database's product name from the connection metadata once, to spell SQL for the stores",
            "io.maestro.core.PostgresTuning", "sets a driver property on the connection pool before it starts (batched inserts on PostgreSQL)",
            "io.maestro.core.record.BatchInsert", "the stores' bulk-insert tool (COPY on PostgreSQL); only stores call it (batchInsertOnlyFromStores)",
            "io.maestro.core.reliability.DatabaseProbe", "the health check: its own connection outside the pool, so a full pool does not read as a dead database",
            "io.maestro.core.reliability.SerialisedH2Writes", "the transaction manager (a JdbcTransactionManager over the DataSource)",
            "io.maestro.core.reliability.ReliabilityConfig", "builds that transaction manager from the DataSource",
            "io.maestro.core.reliability.TransientDatabaseError", "tells which SQLExceptions are worth a retry; runs no SQL",
            "io.maestro.core.reliability.BrokenConnections", "tells the pool which SQLExceptions mean a dead connection; runs no SQL");

    /** What reaches a database: Spring's JDBC, JDBC itself ({@code java.sql}: DriverManager, Connection ...), {@code javax.sql} and the pool. */
    private static final DescribedPredicate<JavaClass> JDBC = resideInAnyPackage("org.springframework.jdbc..", "java.sql..", "javax.sql..",
            "com.zaxxer.hikari..").as("JDBC (org.springframework.jdbc, java.sql, javax.sql, the Hikari pool)");

    private static final DescribedPredicate<JavaClass> STORE = DescribedPredicate.describe("a store (@Repository or *Store)",
            c -> c.isAnnotatedWith(Repository.class) || c.getSimpleName().endsWith("Store")
                    || (c.getEnclosingClass().isPresent() && (c.getEnclosingClass().get().isAnnotatedWith(Repository.class)
                    || c.getEnclosingClass().get().getSimpleName().endsWith("Store"))));

    private static final DescribedPredicate<JavaClass> INFRASTRUCTURE = DescribedPredicate.describe("JDBC infrastructure (listed)",
            c -> JDBC_INFRASTRUCTURE.containsKey(c.getName())
                    || c.getEnclosingClass().map(e -> JDBC_INFRASTRUCTURE.containsKey(e.getName())).orElse(false));

    /** Web pages and HTTP endpoints: everything in {@code web}, and every controller wherever it lives. */
    private static final DescribedPredicate<JavaClass> PAGES_AND_CONTROLLERS = DescribedPredicate.describe("a page or a controller",
            c -> c.getPackageName().startsWith("io.maestro.web") || c.isAnnotatedWith(RestController.class) || c.isAnnotatedWith(Controller.class)
                    || c.getEnclosingClass().map(e -> e.getPackageName().startsWith("io.maestro.web") || e.isAnnotatedWith(RestController.class)
                    || e.isAnnotatedWith(Controller.class)).orElse(false));

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
        noClasses().that(DescribedPredicate.not(STORE).and(DescribedPredicate.not(INFRASTRUCTURE)))
                .should().dependOnClassesThat(JDBC)
                .because("SQL lives in stores (@Repository or *Store); services decide, stores read and write rows")
                .check(classes);
    }

    @Test
    void theInfrastructureListNamesClassesThatExistAndNeedIt() {
        for (String name : JDBC_INFRASTRUCTURE.keySet()) {
            JavaClass c = classes.get(name);
            assertThat(c.getDirectDependenciesFromSelf()).as(name + " is listed but touches no JDBC: take it off the list")
                    .anyMatch(d -> JDBC.test(d.getTargetClass()));
            assertThat(STORE.test(c)).as(name + " is a store; it needs no place on the list").isFalse();
        }
    }

    @Test
    void batchInsertOnlyFromStores() {
        noClasses().that(DescribedPredicate.not(STORE).and(DescribedPredicate.not(belongToAnyOf(BatchInsert.class))))
                .should().dependOnClassesThat(belongToAnyOf(BatchInsert.class))
                .because("BatchInsert writes rows: it is a store's tool, like JdbcTemplate")
                .check(classes);
    }

    /**
     * Why the browser suite (UiTest) runs on H2 only and this is enough for PostgreSQL: a page
     * (anything in {@code web}) or a controller depends on no store, no JDBC class and no listed
     * JDBC infrastructure, so it reaches data only by calling services; services hold no SQL
     * either ({@link #jdbcOnlyInStores}), so every statement a page causes is a store's, the same
     * statement an API request through that service runs. The templates cannot reach around this:
     * {@link #templatesReachNoBeansAndNoStaticCode} forbids Thymeleaf bean references and static
     * calls. So what differs between the databases is confined to the stores, which the API suite
     * runs on both databases; the page tests that are plain HTTP ({@code InsightPagesTest},
     * {@code PagesRenderOnEitherDatabaseTest}) run on both too and cover the page-only service
     * calls. A page that needed its own SQL would fail here, not only in a browser on PostgreSQL.
     */
    @Test
    void controllersAndPagesGoThroughServices() {
        noClasses().that(PAGES_AND_CONTROLLERS)
                .should().dependOnClassesThat(STORE.or(annotatedWith(Repository.class)).or(JDBC).or(INFRASTRUCTURE))
                .because("what a page or an endpoint may see and do is decided by the services (access, validation, history)")
                .check(classes);
    }

    /** Thymeleaf expressions could call a bean ({@code ${@jdbcTemplate...}}) or static code ({@code T(...)}); the templates do neither. */
    @Test
    void templatesReachNoBeansAndNoStaticCode() throws IOException {
        Path root = Path.of("src/main/resources/templates");
        List<Path> templates;
        try (Stream<Path> files = Files.walk(root)) {
            templates = files.filter(f -> f.toString().endsWith(".html")).toList();
        }
        assertThat(templates).as("the templates are found").hasSizeGreaterThan(10);
        Pattern expression = Pattern.compile("[$*]\\{([^}]*)}");
        for (Path t : templates) {
            Matcher m = expression.matcher(Files.readString(t));
            while (m.find()) {
                assertThat(m.group(1)).as(root.relativize(t) + ": " + m.group()).doesNotContainPattern("@[A-Za-z_]").doesNotContain("T(");
            }
        }
    }
}
