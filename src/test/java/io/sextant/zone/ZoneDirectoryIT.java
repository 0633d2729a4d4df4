package io.sextant.zone;

import static io.sextant.testing.ProblemAssertions.assertProblem;
import static io.sextant.zone.ZoneApiIT.square;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sextant.shared.geo.GeoPoint;
import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.SextantIT;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * The zone directory across nodes and the per-tenant limit, with a short refresh interval and a
 * limit of two zones. "Another node" is SQL run straight against the database, as another node's
 * transaction would leave it.
 */
@TestPropertySource(properties = {"sextant.zones.max-per-tenant=2", "sextant.zones.refresh-interval=200ms"})
class ZoneDirectoryIT extends SextantIT {

    private static final String ZONES = "/api/v1/zones";

    @Autowired
    ZoneDirectory directory;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ZoneChangeRecorder recorder;

    @Test
    void a_tenant_at_its_zone_limit_gets_409_until_it_deletes_one() {
        TenantFixture tenant = newTenant();
        String first = create(tenant, "one");
        create(tenant, "two");

        Response third = api.post(ZONES)
                .bearer(tenant.adminToken())
                .json(Map.of("name", "three", "geometry", square(0, 0, 1)))
                .send();
        assertThat(assertProblem(third, 409, ZONES).get("type").asString())
                .isEqualTo("urn:sextant:problem:zone-limit-reached");
        assertThat(api.get(ZONES)
                        .bearer(tenant.adminToken())
                        .send()
                        .json()
                        .get("items")
                        .size())
                .isEqualTo(2);

        api.delete(ZONES + "/" + first).bearer(tenant.adminToken()).send();
        create(tenant, "three");
    }

    @Test
    void listeners_of_zone_changed_find_the_directory_already_updated() {
        TenantFixture tenant = newTenant();
        UUID id = UUID.fromString(create(tenant, "observed"));

        Seen seen = recorder.seen.stream()
                .filter(s -> s.event().zoneId().equals(id))
                .findFirst()
                .orElseThrow();
        assertThat(seen.event()).isEqualTo(new ZoneChanged(UUID.fromString(tenant.id()), id, 1, false));
        assertThat(seen.versionInDirectory()).isEqualTo(1L);

        api.delete(ZONES + "/" + id).bearer(tenant.adminToken()).send();
        assertThat(recorder.seen).contains(new Seen(new ZoneChanged(UUID.fromString(tenant.id()), id, 2, true), null));
    }

    @Test
    void a_change_through_this_node_is_packed_into_the_tenants_tree_by_the_next_refresh() {
        TenantFixture tenant = newTenant();
        UUID tenantId = UUID.fromString(tenant.id());
        UUID id = UUID.fromString(create(tenant, "packed later"));
        assertThat(directory.indexFor(tenantId).get(id)).isPresent();

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() ->
                        assertThat(directory.indexFor(tenantId).isPacked()).isTrue());
        ZoneIndex index = directory.indexFor(tenantId);
        assertThat(index.get(id)).isPresent();
        List<UUID> found = new ArrayList<>();
        index.candidates(0.5, 0.5, zone -> found.add(zone.id()));
        assertThat(found).containsExactly(id);
    }

    @Test
    void a_change_applied_after_a_reload_that_already_read_it_does_not_undo_a_later_deletion() {
        TenantFixture tenant = newTenant();
        UUID tenantId = UUID.fromString(tenant.id());
        UUID id = UUID.fromString(create(tenant, "deleted"));
        CompiledZone first = directory.indexFor(tenantId).get(id).orElseThrow();
        api.delete(ZONES + "/" + id).bearer(tenant.adminToken()).send();
        assertThat(directory.indexFor(tenantId).get(id)).isEmpty();

        // The creation (revision 1) applied late, as when a refresh read the database between its
        // commit and its apply: the directory already reflects revision 2, the deletion.
        directory.apply(tenantId, id, first, 1);

        assertThat(directory.indexFor(tenantId).get(id)).isEmpty();
    }

    @Test
    void a_change_applied_after_the_zones_deletion_does_not_bring_it_back() {
        UUID tenantId = UUID.fromString(newTenant().id());
        UUID id = UUID.randomUUID();
        CompiledZone first = zone(tenantId, id, 1);
        CompiledZone second = zone(tenantId, id, 2);
        // Held, so that no refresh reloads the tenant in between.
        synchronized (directory) {
            directory.apply(tenantId, id, first, 1);
            // The deletion (revision 3) committed after the replacement (revision 2), but is applied first.
            directory.apply(tenantId, id, null, 3);
            directory.apply(tenantId, id, second, 2);

            assertThat(directory.indexFor(tenantId).get(id)).isEmpty();
        }
    }

    private static CompiledZone zone(UUID tenantId, UUID id, long version) {
        return new CompiledZone(
                id,
                tenantId,
                version,
                "zone",
                List.of(),
                new CircleShape(new GeoPoint(0, 0), 100),
                null,
                new FenceSettings(0, 1, Duration.ZERO, null, null, null));
    }

    @Test
    void changes_made_through_another_node_reach_the_directory_within_the_refresh_interval() {
        TenantFixture tenant = newTenant();
        UUID tenantId = UUID.fromString(tenant.id());
        UUID local = UUID.fromString(create(tenant, "local"));
        UUID remote = UUID.randomUUID();

        // Another node creates a zone (a copy of the local one, moved) ...
        jdbc.sql("""
                insert into zone (id, tenant_id, version, name, tags, attributes, shape_kind, shape, schedule, fence,
                                  bbox_west, bbox_south, bbox_east, bbox_north, created_at, updated_at)
                select :remote, tenant_id, 1, 'remote', tags, attributes, 'circle',
                       '{"center": [30, 30], "radiusMeters": 100}', null, null, 29.99, 29.99, 30.01, 30.01, now(), now()
                from zone where id = :local""").param("remote", remote).param("local", local).update();
        bumpRevision(tenantId, 1);

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() ->
                        assertThat(directory.indexFor(tenantId).get(remote)).isPresent());
        CompiledZone found = directory.indexFor(tenantId).get(remote).orElseThrow();
        assertThat(found.shape().contains(30, 30)).isTrue();
        assertThat(directory.indexFor(tenantId).get(local)).isPresent();
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() ->
                        assertThat(recorder.seen).contains(new Seen(new ZoneChanged(tenantId, remote, 1, false), 1L)));

        // ... and deletes the local one.
        jdbc.sql("update zone set version = version + 1, deleted_at = now() where id = :local")
                .param("local", local)
                .update();
        bumpRevision(tenantId, -1);

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() ->
                        assertThat(directory.indexFor(tenantId).get(local)).isEmpty());
        assertThat(directory.indexFor(tenantId).get(remote)).isPresent();
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() ->
                        assertThat(recorder.seen).contains(new Seen(new ZoneChanged(tenantId, local, 2, true), null)));
    }

    private void bumpRevision(UUID tenantId, int delta) {
        jdbc.sql("update zone_revision set revision = revision + 1, live_zones = live_zones + :delta"
                        + " where tenant_id = :tenantId")
                .param("tenantId", tenantId)
                .param("delta", delta)
                .update();
    }

    private String create(TenantFixture tenant, String name) {
        Response response = api.post(ZONES)
                .bearer(tenant.adminToken())
                .json(Map.of("name", name, "geometry", square(0, 0, 1)))
                .send();
        assertThat(response.status()).as("%s", response).isEqualTo(201);
        return response.json().get("id").asString();
    }

    /** An event and the version the directory held for its zone when a listener received it. */
    record Seen(ZoneChanged event, @Nullable Long versionInDirectory) {}

    /** A listener the way the fence engine would listen: after the change commits. */
    static class ZoneChangeRecorder {

        final List<Seen> seen = new CopyOnWriteArrayList<>();
        private final ZoneDirectory directory;

        ZoneChangeRecorder(ZoneDirectory directory) {
            this.directory = directory;
        }

        @TransactionalEventListener
        void on(ZoneChanged event) {
            Long version = directory
                    .indexFor(event.tenantId())
                    .get(event.zoneId())
                    .map(CompiledZone::version)
                    .orElse(null);
            seen.add(new Seen(event, version));
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class Recording {

        @Bean
        ZoneChangeRecorder zoneChangeRecorder(ZoneDirectory directory) {
            return new ZoneChangeRecorder(directory);
        }
    }
}
