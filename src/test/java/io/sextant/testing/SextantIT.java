package io.sextant.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Base of the integration tests: the whole service on a random port over its own fresh database
 * (embedded PostgreSQL 17, or the server named by {@code SEXTANT_TEST_DB_URL}), called over real
 * HTTP. The context is shared by every subclass that adds no configuration of its own.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "sextant.auth.issuer=" + SextantIT.ISSUER,
            "sextant.auth.bootstrap.admin-password=" + SextantIT.ADMIN_PASSWORD,
            "sextant.auth.external.tenant-claim=org",
            "sextant.auth.external.roles-claim=realm_access.roles",
            "sextant.auth.external.audiences=sextant",
            "sextant.http.rate-limit.capacity=100000",
            // Every test calls from 127.0.0.1, and some fail sign-ins on purpose: only names lock out.
            "sextant.auth.sign-in-throttle.failures-per-address=1000000",
            "sextant.http.rate-limit.refill-per-second=100000",
            // Every cached test context keeps its pool open: small pools keep a full run under
            // PostgreSQL's default of 100 connections.
            "sextant.db.pool-size=8",
            "sextant.jobs.workers=4",
            // No demo fleet unless a test asks for one (DemoFleetIT).
            "sextant.demo.enabled=false",
            // No load balancer to wait for: a context closes (evicted from the cache, or at the end of
            // the run) without holding its listener open for the drain's five seconds.
            "sextant.http.shutdown-drain=0s",
            "logging.level.root=WARN",
            "logging.level.io.sextant=INFO",
        })
public abstract class SextantIT {

    public static final String ISSUER = "http://sextant.test";
    public static final String ADMIN = "admin";
    public static final String ADMIN_PASSWORD = "bootstrap-password-for-tests";

    private static String keysetFile;

    @LocalServerPort
    protected int port;

    protected ApiClient api;
    protected String adminToken;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        String url = TestDatabases.create();
        registry.add("sextant.db.url", () -> url);
        registry.add(
                "sextant.auth.external.issuer-uri", () -> TestOidcProvider.get().issuer());
        registry.add("sextant.secrets.keyset-file", SextantIT::keysetFile);
    }

    /** One secrets keyset file for the test run, outside the working tree (generated on first start). */
    static synchronized String keysetFile() {
        if (keysetFile == null) {
            try {
                keysetFile = Files.createTempDirectory("sextant-test-secrets")
                        .resolve("secrets.keyset")
                        .toString();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return keysetFile;
    }

    @BeforeEach
    void connect() {
        api = new ApiClient(port);
        adminToken = api.signIn(ADMIN, ADMIN_PASSWORD);
    }

    /** A new tenant with an administrator, and that administrator's token. */
    protected TenantFixture newTenant() {
        String slug = "t-" + UUID.randomUUID().toString().substring(0, 8);
        JsonNode tenant = api.post("/api/v1/tenants")
                .bearer(adminToken)
                .json(Map.of("slug", slug, "name", "Tenant " + slug))
                .send()
                .json();
        String tenantId = tenant.get("id").asString();
        String username = "admin@" + slug;
        String password = "password-of-" + slug;
        var created = api.post("/api/v1/tenants/" + tenantId + "/users")
                .bearer(adminToken)
                .json(Map.of("username", username, "password", password, "roles", List.of("admin")))
                .send();
        if (created.status() != 201) {
            throw new IllegalStateException("could not create tenant admin: " + created);
        }
        return new TenantFixture(tenantId, slug, username, api.signIn(username, password));
    }

    /** Creates an asset as {@code token} and returns its JSON. */
    protected JsonNode createAsset(String token, String externalId, String type, List<String> tags) {
        var response = api.post("/api/v1/assets")
                .bearer(token)
                .json(Map.of("externalId", externalId, "name", "Asset " + externalId, "type", type, "tags", tags))
                .send();
        if (response.status() != 201) {
            throw new IllegalStateException("could not create asset: " + response);
        }
        return response.json();
    }

    /** A tenant created for a test, with its administrator's token. */
    public record TenantFixture(String id, String slug, String adminUsername, String adminToken) {}
}
