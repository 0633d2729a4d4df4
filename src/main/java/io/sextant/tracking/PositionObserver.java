package io.sextant.tracking;

import java.sql.SQLException;

/**
 * Sees every group of newly stored positions inside the group's own transaction, before it
 * commits: what an observer writes there — through the ports of other modules, which join the
 * current transaction, or its own repositories — commits with the positions or not at all, so
 * nothing acknowledged can lose its consequences. Duplicates are not passed on. An observer works
 * tenant by tenant ({@link StoredGroup#forEachTenant}), so row-level security confines each
 * tenant's reads and writes. It must be quick — ingest waits for it — and must not query the
 * database per position. An asset's groups come in the order they were taken from the writers'
 * queue (unless an earlier one is held up beyond the writer's order wait): the next group with one
 * of a group's assets comes only once {@link #observe} has returned for it, so what an observer
 * locks there, that group waits for.
 */
public interface PositionObserver {

    /** @return what to do once the transaction has ended */
    Observation observe(StoredGroup stored) throws SQLException;

    /** The in-memory side of an observation, applied or dropped with the transaction's outcome. */
    interface Observation {

        Observation NONE = new Observation() {
            @Override
            public void committed() {}

            @Override
            public void abandoned() {}
        };

        void committed();

        void abandoned();
    }
}
