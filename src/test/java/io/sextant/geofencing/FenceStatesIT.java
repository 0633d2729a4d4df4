package io.sextant.geofencing;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.testing.MigratedDatabases;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The in-memory fence states can be loaded for a subset of assets and evicted again, as moving
 * assets between nodes will need: a subset brings exactly its assets' states and the proximity
 * episodes they are in, and evicting then reloading gives back the same states.
 */
class FenceStatesIT {

    private static final DataSource DATA_SOURCE = MigratedDatabases.createDataSource();
    private static final JdbcClient JDBC = JdbcClient.create(DATA_SOURCE);
    private static final Instant T0 = Instant.parse("2026-11-20T06:00:00Z");

    private final UUID tenant = MigratedDatabases.tenant(JDBC);
    private final UUID a1 = UUID.randomUUID();
    private final UUID a2 = UUID.randomUUID();
    private final UUID a3 = UUID.randomUUID();
    private final UUID zone1 = UUID.randomUUID();
    private final UUID zone2 = UUID.randomUUID();

    private FenceStates states() {
        return new FenceStates(new FenceStore(JDBC, DATA_SOURCE), assetId -> T0.plusSeconds(100));
    }

    private void insideSince(UUID asset, UUID zone, int seconds) {
        JDBC.sql("insert into fence_state (tenant_id, asset_id, zone_id, inside, since) values (:t, :a, :z, true, :s)")
                .param("t", tenant)
                .param("a", asset)
                .param("z", zone)
                .param("s", Timestamp.from(T0.plusSeconds(seconds)))
                .update();
    }

    private void stored() {
        insideSince(a1, zone1, 10);
        insideSince(a2, zone2, 20);
        JDBC.sql("""
                        insert into speeding_state (tenant_id, asset_id, since, limit_kmh, max_kmh)
                        values (:t, :a, :s, 50, 72)""")
                .param("t", tenant)
                .param("a", a2)
                .param("s", Timestamp.from(T0.plusSeconds(30)))
                .update();
        JDBC.sql("insert into asset_stale (tenant_id, asset_id, last_seen, detected_at) values (:t, :a, :s, :s)")
                .param("t", tenant)
                .param("a", a3)
                .param("s", Timestamp.from(T0))
                .update();
        ProximityRule.AssetPair pair = ProximityRule.AssetPair.of(a1, a3);
        JDBC.sql("""
                        insert into proximity_state (tenant_id, rule, first_asset, second_asset, since)
                        values (:t, 'close', :f, :s, :since)""")
                .param("t", tenant)
                .param("f", pair.first())
                .param("s", pair.second())
                .param("since", Timestamp.from(T0.plusSeconds(40)))
                .update();
    }

    /** The database is shared by the tests of this class: each looks at its own tenant's episodes. */
    private List<PairKey> pairsOfThisTenant(FenceStates states) {
        return states.pairKeys().stream()
                .filter(key -> key.tenantId().equals(tenant))
                .toList();
    }

    @Test
    void a_subset_loads_only_its_assets_and_the_episodes_they_are_in() {
        stored();
        FenceStates states = states();

        assertThat(states.load(List.of(a1, a2))).isEqualTo(2);

        assertThat(states.get(a1).states()).containsOnlyKeys(zone1);
        assertThat(states.get(a1).states().get(zone1).since()).isEqualTo(T0.plusSeconds(10));
        assertThat(states.get(a2).states()).containsOnlyKeys(zone2);
        assertThat(states.get(a2).speeding().speeding()).isTrue();
        assertThat(states.get(a2).speeding().maxKmh()).isEqualTo(72);
        assertThat(states.get(a3)).as("not in the subset").isNull();
        assertThat(states.pairKeys()).extracting(PairKey::pair).containsExactly(ProximityRule.AssetPair.of(a1, a3));
    }

    @Test
    void evicting_and_loading_again_gives_back_the_same_states() {
        stored();
        FenceStates states = states();
        states.loadAll();
        Map<UUID, AssetFences> before = Map.of(a1, states.get(a1), a2, states.get(a2), a3, states.get(a3));
        assertThat(states.get(a3).stale()).isTrue();

        states.evict(List.of(a1, a3));
        assertThat(states.get(a1)).isNull();
        assertThat(states.get(a3)).isNull();
        assertThat(states.get(a2)).isEqualTo(before.get(a2));
        assertThat(states.pairKeys())
                .as("the episode of an evicted asset goes with it")
                .isEmpty();

        states.load(List.of(a1, a3));
        assertThat(Map.of(a1, states.get(a1), a2, states.get(a2), a3, states.get(a3)))
                .isEqualTo(before);
        assertThat(pairsOfThisTenant(states)).hasSize(1);
    }
}
