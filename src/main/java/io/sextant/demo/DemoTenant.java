package io.sextant.demo;

import io.sextant.asset.AssetDraft;
import io.sextant.asset.Assets;
import io.sextant.asset.Classification;
import io.sextant.demo.DemoMap.Place;
import io.sextant.demo.DemoMap.Point;
import io.sextant.geofencing.AssetRuleBook;
import io.sextant.geofencing.AssetRules;
import io.sextant.identity.ApiKey;
import io.sextant.identity.ApiKeys;
import io.sextant.identity.Permission;
import io.sextant.identity.Role;
import io.sextant.identity.SextantPrincipal;
import io.sextant.identity.UserAccount;
import io.sextant.identity.UserAccounts;
import io.sextant.shared.TenantContext;
import io.sextant.tenancy.Tenant;
import io.sextant.tenancy.Tenants;
import io.sextant.workflow.WorkflowDefinitionReader;
import io.sextant.workflow.WorkflowDefinitions;
import io.sextant.zone.ZoneDraft;
import io.sextant.zone.Zones;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The demo tenant: creates it whole, in one transaction under an advisory lock (so nodes started
 * at once create it once, and a failed start leaves nothing half made), and issues the simulator's
 * API key, revoking the keys earlier starts issued, so no key outlives its process for long and
 * none is stored in clear.
 */
@Component
class DemoTenant {

    static final String SLUG = "demo";
    static final String USERNAME = "demo";
    static final String KEY_NAME = "demo-fleet-simulator";
    static final String VEHICLE_TYPE = "vehicle";
    static final String VEHICLE_TAG = "demo";
    static final String MISSION = "mission";
    /** What the simulator's key may do: post positions, start and command missions. */
    private static final Set<Permission> PERMISSIONS = Set.of(Permission.POSITIONS_WRITE, Permission.WORKFLOWS_COMMAND);

    private static final String MISSION_RESOURCE = "workflow/examples/mission.yaml";

    private static final String PASSWORD_ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    private final Tenants tenants;
    private final UserAccounts users;
    private final ApiKeys apiKeys;
    private final Assets assets;
    private final Zones zones;
    private final AssetRuleBook rules;
    private final WorkflowDefinitions workflows;
    private final DemoLockRepository lock;
    private final TransactionTemplate transactions;
    private final JsonMapper json = JsonMapper.builder().build();
    private final SecureRandom random = new SecureRandom();

    DemoTenant(
            Tenants tenants,
            UserAccounts users,
            ApiKeys apiKeys,
            Assets assets,
            Zones zones,
            AssetRuleBook rules,
            WorkflowDefinitions workflows,
            DemoLockRepository lock,
            TransactionTemplate transactions) {
        this.tenants = tenants;
        this.users = users;
        this.apiKeys = apiKeys;
        this.assets = assets;
        this.zones = zones;
        this.rules = rules;
        this.workflows = workflows;
        this.lock = lock;
        this.transactions = transactions;
    }

    /**
     * The demo tenant, if it exists.
     *
     * @param password the password of a demo user just created, else null
     */
    record Found(UUID tenantId, boolean created, @Nullable String password) {}

    /** The ids the dispatcher needs: zones by name, vehicles by external id. */
    record Directory(Map<String, UUID> zones, Map<String, UUID> vehicles) {}

    Optional<UUID> find() {
        return TenantContext.callAsSystem(() -> tenants.findBySlug(SLUG)).map(Tenant::id);
    }

    /** Finds the demo tenant, or creates it with everything in it; {@code password} null: generate one. */
    Found findOrCreate(@Nullable String password) {
        Found found = TenantContext.callAsSystem(() -> transactions.execute(status -> {
            lock.lock();
            Optional<Tenant> existing = tenants.findBySlug(SLUG);
            if (existing.isPresent()) {
                return new Found(existing.get().id(), false, null);
            }
            String chosen = password != null ? password : generatedPassword();
            Tenant tenant = tenants.create(SLUG, "Demo fleet");
            users.create(tenant.id(), USERNAME, chosen, List.of(Role.ADMIN.id()));
            TenantContext.callAs(tenant.id(), () -> {
                furnish();
                return tenant;
            });
            return new Found(tenant.id(), true, chosen);
        }));
        return Objects.requireNonNull(found, "the transaction returns what its callback did");
    }

    /** Whether {@code password} is the demo user's. */
    boolean passwordIs(UUID tenantId, String password) {
        return TenantContext.callAsSystem(() -> users.authenticate(USERNAME, password, tenantId))
                .isPresent();
    }

    /** The demo tenant's zones and vehicles. */
    Directory directory(UUID tenantId) {
        Directory directory = TenantContext.callAs(
                tenantId,
                () -> transactions.execute(status -> {
                    Map<String, UUID> zoneIds = new HashMap<>();
                    zones.list(List.of(), null, null, null, 1000)
                            .items()
                            .forEach(zone -> zoneIds.put(zone.name(), zone.id()));
                    Map<String, UUID> vehicleIds = new HashMap<>();
                    assets.list(VEHICLE_TYPE, List.of(VEHICLE_TAG), null, 1000)
                            .items()
                            .forEach(asset -> vehicleIds.put(asset.externalId(), asset.id()));
                    return new Directory(Map.copyOf(zoneIds), Map.copyOf(vehicleIds));
                }));
        return Objects.requireNonNull(directory, "the transaction returns what its callback did");
    }

    /**
     * A new API key that may post positions and start and command workflow instances, issued to the demo user; the keys earlier starts
     * issued are revoked. Returns the token.
     */
    String rotateKey(UUID tenantId) {
        String token = TenantContext.callAs(
                tenantId,
                () -> transactions.execute(status -> {
                    lock.lock();
                    UserAccount user = users.list(tenantId, null, 100).items().stream()
                            .filter(u -> u.username().equals(USERNAME))
                            .findFirst()
                            .orElseThrow(
                                    () -> new IllegalStateException("the demo tenant has no user '" + USERNAME + "'"));
                    String cursor = null;
                    do {
                        var page = apiKeys.list(tenantId, cursor, 100);
                        for (ApiKey key : page.items()) {
                            if (key.name().equals(KEY_NAME) && key.revokedAt() == null) {
                                apiKeys.revoke(tenantId, key.id());
                            }
                        }
                        cursor = page.nextCursor();
                    } while (cursor != null);
                    SextantPrincipal owner = new SextantPrincipal(
                            SextantPrincipal.Kind.USER, "user:" + user.id(), USERNAME, tenantId, PERMISSIONS);
                    return apiKeys.create(
                                    owner,
                                    KEY_NAME,
                                    PERMISSIONS.stream()
                                            .map(Permission::authority)
                                            .toList(),
                                    null)
                            .token();
                }));
        return Objects.requireNonNull(token, "the transaction returns what its callback did");
    }

    /** The zones, the vehicles, the rules that make stale and speeding vehicles show, the mission workflow. */
    private void furnish() {
        for (Place depot : DemoMap.DEPOTS) {
            zones.create(zone(depot, Map.of("marginMeters", 10, "dwell", "PT1M")));
        }
        for (Place site : DemoMap.SITES) {
            zones.create(zone(site, Map.of("marginMeters", 10)));
        }
        zones.create(zone(DemoMap.RESTRICTED, Map.of("marginMeters", 10)));
        for (int number = 1; number <= Fleet.SIZE; number++) {
            assets.create(new AssetDraft(
                    Fleet.externalId(number),
                    Fleet.name(number),
                    VEHICLE_TYPE,
                    List.of(VEHICLE_TAG),
                    Map.of(
                            "depot",
                            DemoMap.DEPOTS.get(number % DemoMap.DEPOTS.size()).name()),
                    Classification.INTERNAL));
        }
        rules.replace(new AssetRules(
                Duration.ofMinutes(2), Map.of(VEHICLE_TYPE, 90.0), 5, Duration.ofSeconds(10), List.of()));
        workflows.publish(missionDefinition(), WorkflowDefinitionReader.Format.YAML);
    }

    /** The mission workflow shipped as an example, published as it is. */
    private static String missionDefinition() {
        try (var in = new ClassPathResource(MISSION_RESOURCE).getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + MISSION_RESOURCE, e);
        }
    }

    private ZoneDraft zone(Place place, Map<String, Object> fence) {
        JsonNode geometry = null;
        JsonNode circle = null;
        JsonNode corridor = null;
        Point c = place.center();
        switch (place.shape()) {
            case RECTANGLE -> {
                Point sw = new Point(c.x() - place.halfWidth(), c.y() - place.halfHeight());
                Point ne = new Point(c.x() + place.halfWidth(), c.y() + place.halfHeight());
                geometry = json.valueToTree(Map.of(
                        "type",
                        "Polygon",
                        "coordinates",
                        List.of(List.of(
                                List.of(sw.lon(), sw.lat()),
                                List.of(ne.lon(), sw.lat()),
                                List.of(ne.lon(), ne.lat()),
                                List.of(sw.lon(), ne.lat()),
                                List.of(sw.lon(), sw.lat())))));
            }
            case CIRCLE ->
                circle = json.valueToTree(
                        Map.of("center", List.of(c.lon(), c.lat()), "radiusMeters", place.halfWidth()));
            case CORRIDOR -> {
                Point west = new Point(c.x() - place.halfWidth(), c.y());
                Point east = new Point(c.x() + place.halfWidth(), c.y());
                corridor = json.valueToTree(Map.of(
                        "line",
                        Map.of(
                                "type",
                                "LineString",
                                "coordinates",
                                List.of(List.of(west.lon(), west.lat()), List.of(east.lon(), east.lat()))),
                        "widthMeters",
                        2 * place.halfHeight()));
            }
        }
        return new ZoneDraft(
                place.name(),
                List.of(place.kind().tag),
                Map.of("demo", true),
                geometry,
                circle,
                corridor,
                null,
                json.valueToTree(fence));
    }

    private String generatedPassword() {
        StringBuilder password = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            password.append(PASSWORD_ALPHABET.charAt(random.nextInt(PASSWORD_ALPHABET.length())));
        }
        return password.toString();
    }
}
