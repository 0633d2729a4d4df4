package io.sextant;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Rules about what may depend on what, beyond the module boundaries Spring Modulith verifies. */
class ArchitectureTests {

    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.sextant");

    @Test
    void only_web_adapters_know_about_http() {
        noClasses()
                .that()
                .resideOutsideOfPackages("..web..", "io.sextant.platform.http..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.springframework.http..", "org.springframework.web..", "jakarta.servlet..")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("io.sextant.shared.web.Problems")
                .because("services are called by adapters other than HTTP too; they throw domain exceptions"
                        + " that the problem handler maps to RFC 9457")
                .check(PRODUCTION);
    }

    @Test
    void domain_exceptions_need_nothing_but_the_jdk() {
        classes()
                .that()
                .resideInAPackage("io.sextant.shared.problem")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "org.jspecify..", "io.sextant.shared.problem")
                .because("every adapter, HTTP or not, catches them")
                .check(PRODUCTION);
    }
}
