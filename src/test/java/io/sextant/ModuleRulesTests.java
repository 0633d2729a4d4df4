package io.sextant;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.sql.Connection;
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

    private static final DescribedPredicate<JavaClass> MAY_RUN_SQL =
            DescribedPredicate.describe("a *Repository or *Store, or in io.sextant.platform.database", type -> {
                String outer = outermost(type).getName();
                return outer.endsWith("Repository")
                        || outer.endsWith("Store")
                        || type.getPackageName().equals("io.sextant.platform.database")
                        || type.getPackageName().startsWith("io.sextant.platform.database.");
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

    private static JavaClass outermost(JavaClass type) {
        JavaClass current = type;
        while (current.getEnclosingClass().isPresent()) {
            current = current.getEnclosingClass().get();
        }
        return current;
    }
}
