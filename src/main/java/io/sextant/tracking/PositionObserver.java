package io.sextant.tracking;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Sees every group of newly stored positions inside the group's own transaction, before it
 * commits: what an observer writes through {@code connection} (fence states, events) commits with
 * the positions or not at all, so nothing acknowledged can lose its consequences. Duplicates are
 * not passed on. An observer must be quick — ingest waits for it — and must not query the
 * database per position.
 */
public interface PositionObserver {

    /**
     * @param stored the newly stored positions of the group, ordered by tenant, asset and event
     *     time, one per key
     * @return what to do once the transaction has ended
     */
    Observation observe(Connection connection, List<Position> stored) throws SQLException;

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
