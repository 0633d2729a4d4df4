package io.sextant.tracking;

import io.sextant.shared.TenantScope;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The positions one ingest group newly stored, ordered by tenant, asset and event time, one per
 * key, as its observers see them inside the group's transaction. The group may hold several
 * tenants; {@link #forEachTenant} hands over each tenant's positions with the transaction scoped to
 * that tenant, so whatever an observer reads or writes there is confined to it by row-level
 * security.
 */
public final class StoredGroup {

    private final List<Position> positions;
    private final TenantScope scope;

    StoredGroup(List<Position> positions, TenantScope scope) {
        this.positions = List.copyOf(positions);
        this.scope = scope;
    }

    /** Every position of the group, across tenants (for work that needs no database, such as locking). */
    public List<Position> positions() {
        return positions;
    }

    /** Runs {@code work} for each tenant of the group in turn, the transaction scoped to that tenant. */
    public void forEachTenant(TenantWork work) throws SQLException {
        for (List<Position> ofTenant : byTenant(positions)) {
            UUID tenantId = ofTenant.getFirst().tenantId();
            scope.enter(tenantId);
            work.run(tenantId, ofTenant);
        }
    }

    /** One tenant's share of a group. */
    @FunctionalInterface
    public interface TenantWork {
        void run(UUID tenantId, List<Position> positions) throws SQLException;
    }

    /** Consecutive runs of one tenant's positions (the input is ordered by tenant). */
    static List<List<Position>> byTenant(List<Position> positions) {
        List<List<Position>> runs = new ArrayList<>();
        int from = 0;
        while (from < positions.size()) {
            UUID tenantId = positions.get(from).tenantId();
            int to = from;
            while (to < positions.size() && positions.get(to).tenantId().equals(tenantId)) {
                to++;
            }
            runs.add(positions.subList(from, to));
            from = to;
        }
        return runs;
    }
}
