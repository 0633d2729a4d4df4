package io.sextant.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.testing.SextantIT;
import org.junit.jupiter.api.Test;

/** {@code SEXTANT_DEMO=false}, the tests' default: no demo tenant. */
class DemoFleetOffIT extends SextantIT {

    @Test
    void false_creates_no_demo() {
        assertThat(DemoFleetAutoIT.tenantSlugs(api, adminToken)).isNotEmpty().doesNotContain(DemoTenant.SLUG);
    }
}
