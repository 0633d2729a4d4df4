package io.sextant;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.sql.Connection;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Rules about where code of each kind may live, beyond the module boundaries Modulith verifies. */
class ModuleRulesTests {

    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.sextant");

    /**
     * Classes that still run SQL outside a repository, each to be split into a service and a
     * repository (or store) of its module. Current exceptions only: this list shrinks, never grows.
     */
    private static final Set<String> SQL_OUTSIDE_REPOSITORIES_FOR_NOW = Set.of(
            // events: the log, its search and live streams, and the relay query the event table themselves.
            "io.sextant.events.EventLog",
            "io.sextant.events.EventQueries",
            "io.sextant.events.EventStreams",
            "io.sextant.events.OutboxRelay",
            // geofencing: the rule book reads and writes asset_rules; the engine runs its own transactions.
            "io.sextant.geofencing.AssetRuleBook",
            "io.sextant.geofencing.FenceEngine",
            // jobs: the service queues jobs on a caller's raw connection.
            "io.sextant.jobs.Jobs",
            // tracking: observers and the group writer share the ingest group's raw connection.
            "io.sextant.tracking.PositionObserver",
            "io.sextant.tracking.PositionWriter");

    private static final DescribedPredicate<JavaClass> MAY_RUN_SQL = DescribedPredicate.describe(
            "a *Repository or *Store, in io.sextant.platform.database, or a listed current exception", type -> {
                String outer = outermost(type).getName();
                return outer.endsWith("Repository")
                        || outer.endsWith("Store")
                        || type.getPackageName().equals("io.sextant.platform.database")
                        || type.getPackageName().startsWith("io.sextant.platform.database.")
                        || SQL_OUTSIDE_REPOSITORIES_FOR_NOW.contains(outer);
            });

    @Test
    void sql_runs_only_in_repositories_and_stores() {
        ArchRule rule = noClasses()
                .that(DescribedPredicate.not(MAY_RUN_SQL))
                .should()
                .dependOnClassesThat()
                .areAssignableTo(JdbcClient.class)
                .orShould()
                .dependOnClassesThat()
                .areAssignableTo(JdbcTemplate.class)
                .orShould()
                .dependOnClassesThat()
                .areAssignableTo(NamedParameterJdbcTemplate.class)
                .orShould()
                .dependOnClassesThat()
                .areAssignableTo(Connection.class)
                .orShould()
                .dependOnClassesThat()
                .areAssignableTo(DataSource.class)
                .because("SQL lives in repositories (STYLE.md): services and adapters call a repository");
        rule.check(PRODUCTION);
    }

    @Test
    void the_current_exceptions_still_run_sql() {
        // An exception that no longer needs its place must leave the list, or the list hides a regression.
        for (String name : SQL_OUTSIDE_REPOSITORIES_FOR_NOW) {
            JavaClass type = PRODUCTION.get(name);
            boolean usesSql = PRODUCTION.stream()
                    .filter(c -> outermost(c).equals(type))
                    .flatMap(c -> c.getDirectDependenciesFromSelf().stream())
                    .map(d -> d.getTargetClass())
                    .anyMatch(target -> target.isAssignableTo(JdbcClient.class)
                            || target.isAssignableTo(JdbcTemplate.class)
                            || target.isAssignableTo(NamedParameterJdbcTemplate.class)
                            || target.isAssignableTo(Connection.class)
                            || target.isAssignableTo(DataSource.class));
            if (!usesSql) {
                throw new AssertionError(name + " no longer runs SQL: remove it from the exceptions");
            }
        }
    }

    private static JavaClass outermost(JavaClass type) {
        JavaClass current = type;
        while (current.getEnclosingClass().isPresent()) {
            current = current.getEnclosingClass().get();
        }
        return current;
    }
}
