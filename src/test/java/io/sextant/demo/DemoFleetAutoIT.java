package io.sextant.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.testing.ApiClient;
import io.sextant.testing.SextantIT;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * {@code SEXTANT_DEMO=auto} on a database the user configured (here, the test's): no demo, even
 * on the database's first start, when the bootstrap tenant was just created.
 */
@TestPropertySource(properties = "sextant.demo.enabled=auto")
class DemoFleetAutoIT extends SextantIT {

    @Test
    void auto_creates_no_demo_on_a_configured_database_even_on_its_first_start() {
        assertThat(tenantSlugs(api, adminToken)).containsExactly("default");
    }

    static List<String> tenantSlugs(ApiClient api, String adminToken) {
        return api.get("/api/v1/tenants?limit=100")
                .bearer(adminToken)
                .send()
                .json()
                .get("items")
                .valueStream()
                .map(tenant -> tenant.get("slug").asString())
                .toList();
    }
}
