package io.sextant;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/** The module structure holds (no cycles, no reaching into another module's internals) and is documented. */
class ModularityTests {

    private final ApplicationModules modules = ApplicationModules.of(SextantApplication.class);

    @Test
    void modules_respect_their_boundaries() {
        modules.verify();
    }

    @Test
    void module_documentation_is_written() {
        new Documenter(modules).writeDocumentation().writeIndividualModulesAsPlantUml();
    }
}
